"""Fixtures of the integration tests: a real Celery worker on Redis."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.workers import real_celery_worker


@pytest.fixture
def celery_worker_process(transactional_db) -> Iterator[str]:
    """A real Celery worker process on Redis, against this test's database (tests.workers)."""
    with real_celery_worker() as worker:
        yield worker.queue
