"""The in-process SMTP server of the mail tests (the same as the integration tests use)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import services


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[services.SMTPServer]:
    """An SMTP server in this process (aiosmtpd) that keeps what it receives."""
    with services.running_smtp_server() as server:
        yield server


@pytest.fixture
def mailbox(settings, smtp_server):
    """Django's SMTP backend pointed at the in-process server; its messages, emptied."""
    settings.MAILERS = smtp_server.mailer()
    smtp_server.messages.clear()
    return smtp_server.messages
