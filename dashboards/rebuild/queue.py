"""Queueing rebuilds: recorded in the database, sent to the worker once the request commits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction

from dashboards.models import Rebuild, RebuildTrigger
from ketenportaal.tasks import send_on_commit

if TYPE_CHECKING:
    from django.contrib.auth.models import User

RUN_TASK = "dashboards.rebuild.tasks.run_rebuild"


@transaction.atomic
def queue_rebuild(
    *,
    indicator_ids: Sequence[int] | None = None,
    trigger: str = RebuildTrigger.PORTAL,
    triggered_by: User | None = None,
) -> Rebuild:
    """Record a queued rebuild and send it to the worker once this transaction commits."""
    rebuild = Rebuild.objects.record(
        indicator_ids=indicator_ids, trigger=trigger, triggered_by=triggered_by
    )
    send_on_commit(RUN_TASK, rebuild.pk)
    return rebuild


def queue_incremental_rebuild(indicator_ids: Sequence[int]) -> Rebuild | None:
    """After an approval: queue a rebuild of just these indicators."""
    if not indicator_ids:
        return None
    return queue_rebuild(indicator_ids=indicator_ids, trigger=RebuildTrigger.APPROVAL)
