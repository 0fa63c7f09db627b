"""Fixtures of the integration tests: a real Celery worker on Redis."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import services
from tests.workers import real_celery_worker


@pytest.fixture
def celery_worker_process(transactional_db) -> Iterator[str]:
    """A real Celery worker process on Redis, against this test's database (tests.workers)."""
    with real_celery_worker() as worker:
        yield worker.queue


@pytest.fixture(scope="session")
def clamd(tmp_path_factory) -> Iterator[services.Clamd]:
    """ClamAV's daemon with a local EICAR signature database (tests.services)."""
    with services.running_clamd(tmp_path_factory.mktemp("clamd")) as daemon:
        yield daemon


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[services.SMTPServer]:
    """An SMTP server in this process that keeps what it receives (tests.services)."""
    with services.running_smtp_server() as server:
        yield server
