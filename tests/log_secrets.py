"""The secrets a test run handles, and a check that none of them reaches a log (issue 15).

Every test logs through the portal's JSON formatter into one buffer for the whole run
(`tests/conftest.py`), and the output of every real Celery process goes to a file
(`tests/workers.py`); both are searched for what the run knows to be secret: the test users'
password, every API token key knox minted and every session key Django made during the run.
A secret found fails the run and names where it was found.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.contrib.sessions.backends.base import SessionBase
from knox import crypto

from ketenportaal import logs

#: The password of every user the factories make (tests.factories.UserFactory).
PASSWORD = "correct-horse-battery"
SEEN: set[str] = {PASSWORD}


def leaked_in(text: str) -> list[str]:
    """The secrets of this run that `text` contains (shortened, so the report is no leak)."""
    return sorted(f"{secret[:4]}…({len(secret)} characters)" for secret in SEEN if secret in text)


@contextmanager
def recording_secrets() -> Iterator[None]:
    """Remember every token key and session key made while this is active."""
    make_token, make_session_key = crypto.create_token_string, SessionBase._get_new_session_key

    def token() -> str:
        key = make_token()
        SEEN.add(key)
        return key

    def session_key(self) -> str:
        key = make_session_key(self)
        SEEN.add(key)
        return key

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(crypto, "create_token_string", token)
        patch.setattr(SessionBase, "_get_new_session_key", session_key)
        yield


@contextmanager
def logs_of_the_run() -> Iterator[io.StringIO]:
    """Everything logged (at the configured levels) through the portal's JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    config = dict(logs.configure(json=True))
    factory = config.pop("()")
    handler.setFormatter(factory(**config))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
