"""Celery tasks of the portal's health: thin and safe to run any time."""

from __future__ import annotations

from celery import shared_task

from . import status


@shared_task(acks_late=True)
def heartbeat() -> None:
    """Beat sends this every HEARTBEAT_SECONDS; the worker that runs it records its heartbeat
    (beat records its own when it sends). Idempotent: it only moves a timestamp."""
    status.record_heartbeat("worker")


@shared_task(acks_late=True)
def check_health() -> list[str]:
    """Log an alarm (ERROR) for each failing health signal (status.log_alarms)."""
    return status.log_alarms()
