"""The rebuild tasks: called directly, and through a real Celery worker and beat on Redis."""

from __future__ import annotations

import pytest

from dashboards.models import Frequency, Indicator, Rebuild, RebuildStatus, RebuildTrigger
from dashboards.rebuild import tasks
from dashboards.rebuild.queue import queue_incremental_rebuild
from dashboards.rebuild.series import points
from tests.dashboards.factories import approved_upload

# Small figures for convenience; suppression is tested in tests/dashboards/suppression/.
pytestmark = pytest.mark.usefixtures("no_suppression")


def test_run_rebuild_runs_a_queued_rebuild_once(db):
    rebuild = Rebuild.objects.create()
    assert tasks.run_rebuild(rebuild.pk) == RebuildStatus.SUCCEEDED
    finished_at = Rebuild.objects.get(pk=rebuild.pk).finished_at
    assert tasks.run_rebuild(rebuild.pk) == RebuildStatus.SUCCEEDED
    assert Rebuild.objects.get(pk=rebuild.pk).finished_at == finished_at


def test_scheduled_rebuild_queues_a_full_rebuild(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rebuild_id = tasks.scheduled_rebuild()
    rebuild = Rebuild.objects.get(pk=rebuild_id)
    assert rebuild.trigger == RebuildTrigger.SCHEDULE
    assert rebuild.status == RebuildStatus.SUCCEEDED


def test_an_approval_queues_a_rebuild_of_just_its_indicators(
    db, django_capture_on_commit_callbacks
):
    pending = Indicator.objects.get(code="asylum_pending")
    approved_upload("IND", {("asylum_pending", "2024-01", ""): 7})
    with django_capture_on_commit_callbacks(execute=True):
        queue_incremental_rebuild([pending.pk])
    rebuild = Rebuild.objects.get()
    assert (rebuild.scope, rebuild.indicator_ids, rebuild.trigger) == (
        "incremental",
        [pending.pk],
        RebuildTrigger.APPROVAL,
    )
    assert [p.value for p in points(indicator=pending, frequency=Frequency.MONTH, viewer=None)] == [
        7
    ]
