"""The scheduled rebuild through a real Celery worker and beat on Redis.

Waits are on state (a scheduled rebuild succeeded), with a timeout generous enough for a machine
that several test runs share, and a failure that says what beat wrote.
"""

from __future__ import annotations

import pytest

from dashboards.models import Frequency, Indicator, Rebuild, RebuildStatus, RebuildTrigger
from dashboards.rebuild.series import points
from tests.dashboards.factories import approved_upload
from tests.workers import STARTUP_SECONDS, real_celery_beat, wait_for


@pytest.mark.integration
def test_beat_and_a_real_worker_run_the_scheduled_rebuild(celery_worker_process, tmp_path):
    approved_upload("IND", {("asylum_pending", "2024-01", ""): 42})
    with real_celery_beat(
        queue=celery_worker_process, schedule_dir=tmp_path, env={"REBUILD_EVERY_SECONDS": "2"}
    ) as beat:
        wait_for(
            lambda: Rebuild.objects.filter(
                trigger=RebuildTrigger.SCHEDULE, status=RebuildStatus.SUCCEEDED
            ).exists(),
            seconds=STARTUP_SECONDS + 120,
            what="a scheduled rebuild that beat sent and the worker completed",
            processes=(beat,),
        )
    pending = Indicator.objects.get(code="asylum_pending")
    assert [
        (p.period, p.value)
        for p in points(indicator=pending, frequency=Frequency.MONTH, viewer=None)
    ] == [("2024-01", 42)]
