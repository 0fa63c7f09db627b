"""Celery tasks of the dashboards app: thin, taking ids, safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from . import services
from .models import RebuildTrigger
from .rebuild import RebuildInProgress, queue_rebuild, rebuild_dashboards


@shared_task(acks_late=True)
def validate_upload_task(upload_id: int) -> str:
    """Validate one upload (services.validate_upload). Idempotent: a finished or claimed upload
    is left alone, so a redelivered message (acks_late) does no harm. Returns the status."""
    return services.validate_upload(upload_id=upload_id).status


@shared_task(bind=True, acks_late=True, max_retries=None)
def run_rebuild(self, rebuild_id: int) -> str:
    """Run queued rebuild `rebuild_id`. Idempotent: a finished rebuild is not run again.

    While another rebuild runs this one stays queued and the task retries later, so rebuilds wait
    for each other and never interleave. A failure is recorded on the rebuild, not retried.
    """
    try:
        rebuild = rebuild_dashboards(rebuild_id=rebuild_id)
    except RebuildInProgress as exc:
        raise self.retry(exc=exc, countdown=settings.REBUILD_RETRY_SECONDS) from exc
    return rebuild.status


@shared_task(acks_late=True)
def scheduled_rebuild() -> int:
    """The nightly full rebuild (Celery beat): queues one full rebuild and returns its id."""
    return queue_rebuild(trigger=RebuildTrigger.SCHEDULE).pk
