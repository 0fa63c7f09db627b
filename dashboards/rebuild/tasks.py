"""Celery tasks of the dashboard rebuild: thin, taking ids, safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from dashboards.models import RebuildTrigger

from . import hidden, queue
from .build import RebuildInProgress, rebuild_dashboards
from .queue import queue_incremental_rebuild, queue_rebuild


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


@shared_task(acks_late=True)
def rebuild_after_approval(
    indicator_ids: list[int], upload_ids: list[int] | None = None
) -> int | None:
    """Queue the incremental rebuild after an approval (sent by the uploads service once the
    approval commits): of the series-years the cells of `upload_ids` touch, or (a message sent
    before uploads were named) of the indicators whole. Returns the queued rebuild's id."""
    rebuild = queue_incremental_rebuild(indicator_ids, upload_ids=upload_ids or [])
    return rebuild.pk if rebuild else None


@shared_task(acks_late=True)
def requeue_waiting_rebuilds() -> list[int]:
    """Beat, every few minutes: send the task of rebuilds left queued again. Idempotent."""
    return queue.requeue_waiting_rebuilds()


@shared_task(acks_late=True)
def work_out_hidden(
    pointers: list[list[int]],
    previous: dict[str, list[int]] | None = None,
    upload_ids: list[int] | None = None,
) -> int:
    """After a successful rebuild: what small-number suppression hides in the builds it made
    (`hidden.work_out_after`), so no reader waits for it. `previous`: indicator id → its pointer
    before a patch, whose years the approved cells of `upload_ids` do not lie in carry over.
    Idempotent (it stores what the same rows always give). Returns the pointer-years worked out."""
    touched = hidden.touched_years(upload_ids or [])
    return hidden.work_out_after(
        [(p[0], p[1], p[2]) for p in pointers],
        previous={int(k): (v[0], v[1], v[2]) for k, v in (previous or {}).items()},
        touched=touched,
    )
