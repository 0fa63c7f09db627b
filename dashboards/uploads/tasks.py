"""Celery tasks of the uploads: thin, taking ids, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def validate_upload_task(upload_id: int) -> str:
    """Validate one upload (services.validate_upload). Idempotent: a finished or claimed upload
    is left alone, so a redelivered message (acks_late) does no harm. Returns the status."""
    return services.validate_upload(upload_id=upload_id).status
