"""Celery tasks of the accounts: thin and safe to run twice."""

from __future__ import annotations

from celery import shared_task

from . import sessions


@shared_task(acks_late=True)
def purge_expired_task() -> dict[str, int]:
    """The nightly purge of expired sessions, API tokens and lockout rows
    (sessions.purge_expired). Idempotent: it only deletes what has expired."""
    return sessions.purge_expired()
