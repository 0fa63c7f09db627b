"""Queueing rebuilds: recorded in the database, sent to the worker once the request commits."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dashboards.models import Rebuild, RebuildScope, RebuildStatus, RebuildTrigger
from ketenportaal.tasks import send, send_on_commit

if TYPE_CHECKING:
    from django.contrib.auth.models import User

RUN_TASK = "dashboards.rebuild.tasks.run_rebuild"


@transaction.atomic
def queue_rebuild(
    *,
    indicator_ids: Sequence[int] | None = None,
    upload_ids: Sequence[int] | None = None,
    trigger: str = RebuildTrigger.PORTAL,
    triggered_by: User | None = None,
) -> Rebuild:
    """Record a queued rebuild and send it to the worker once this transaction commits.

    `indicator_ids` are rebuilt whole, the cells of `upload_ids` (approved uploads) only where
    they lie; neither: a full rebuild.

    Requests are merged while a rebuild waits: a waiting full rebuild covers any request (it is
    returned); an incremental request joins a waiting incremental one (its indicators and
    uploads added). So
    a burst of requests costs one rebuild, not one each. The waiting rows are locked while they
    are merged, and the rebuild reads what it covers only when it starts (`build._start`).
    """
    waiting = list(
        Rebuild.objects.select_for_update().filter(status=RebuildStatus.QUEUED).order_by("pk")
    )
    full = next((r for r in waiting if r.scope == RebuildScope.FULL), None)
    if full is not None:
        return full
    if indicator_ids or upload_ids:
        joined = next((r for r in waiting if r.scope == RebuildScope.INCREMENTAL), None)
        if joined is not None:
            joined.indicator_ids = sorted({*joined.indicator_ids, *map(int, indicator_ids or [])})
            joined.upload_ids = sorted({*joined.upload_ids, *map(int, upload_ids or [])})
            joined.save(update_fields=["indicator_ids", "upload_ids"])
            return joined
    rebuild = Rebuild.objects.record(
        indicator_ids=indicator_ids,
        upload_ids=upload_ids,
        trigger=trigger,
        triggered_by=triggered_by,
    )
    send_on_commit(RUN_TASK, rebuild.pk)
    return rebuild


def queue_incremental_rebuild(
    indicator_ids: Sequence[int] = (), *, upload_ids: Sequence[int] = ()
) -> Rebuild | None:
    """After an approval: queue a rebuild of the series-years the approved uploads' cells touch
    (or, without uploads, of these indicators whole)."""
    if upload_ids:
        return queue_rebuild(upload_ids=upload_ids, trigger=RebuildTrigger.APPROVAL)
    if not indicator_ids:
        return None
    return queue_rebuild(indicator_ids=indicator_ids, trigger=RebuildTrigger.APPROVAL)


def requeue_waiting_rebuilds(*, now: datetime.datetime | None = None) -> list[int]:
    """Send the task of every rebuild still queued after REBUILD_REQUEUE_MINUTES again (its
    message was lost: a broker outage). Safe: a rebuild runs once (`build.rebuild_dashboards`)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=settings.REBUILD_REQUEUE_MINUTES)
    ids = list(
        Rebuild.objects.filter(status=RebuildStatus.QUEUED, queued_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        send(RUN_TASK, pk)
    return ids
