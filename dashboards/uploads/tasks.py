"""Celery tasks of the uploads: thin, taking ids, safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from . import scanning, services


@shared_task(
    acks_late=True,
    soft_time_limit=settings.UPLOAD_VALIDATION_SOFT_SECONDS,
    time_limit=settings.UPLOAD_VALIDATION_SOFT_SECONDS + 60,
)
def validate_upload_task(upload_id: int) -> str:
    """Validate one upload (services.validate_upload). Idempotent: a finished or claimed upload
    is left alone, so a redelivered message (acks_late) does no harm. A validation that runs past
    its soft time limit is recorded as refused ("too_slow"). Returns the status."""
    return services.validate_upload(upload_id=upload_id).status


@shared_task(acks_late=True)
def requeue_stuck_uploads() -> list[int]:
    """Beat, every few minutes: send the validation of uploads that wait too long again (a lost
    message or a killed worker delays an upload, never strands it). Idempotent."""
    return services.requeue_stuck_uploads()


@shared_task(acks_late=True)
def scan_waiting_uploads() -> dict[str, int]:
    """Scan the uploads that wait for clamd (scanning.scan_waiting_uploads). Idempotent: each
    waiting upload is claimed under a row lock."""
    return scanning.scan_waiting_uploads()
