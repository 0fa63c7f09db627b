"""Worker and beat heartbeats with a real Celery worker and a real beat on Redis (issue 15).

Waits are on state (a heartbeat row appears, then moves on), with timeouts generous enough for a
machine that several test runs share, and a failure that says what was awaited and what the
processes wrote.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from dashboards.models import Heartbeat
from tests.workers import STARTUP_SECONDS, real_celery_beat, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def beats() -> dict[str, object]:
    return dict(Heartbeat.objects.values_list("name", "at"))


def test_beat_and_the_worker_write_heartbeats_that_the_status_shows(
    celery_worker_process, tmp_path, regie
):
    with real_celery_beat(
        queue=celery_worker_process, schedule_dir=tmp_path, env={"HEARTBEAT_SECONDS": "1"}
    ) as beat:
        seen = wait_for(
            lambda: (found := beats()).keys() >= {"worker", "beat"} and found,
            seconds=STARTUP_SECONDS,
            what="heartbeats of the worker and of beat",
            processes=(beat,),
        )
        wait_for(
            lambda: beats()["beat"] > seen["beat"],
            seconds=120,
            what="beat's heartbeat to move on (it keeps beating)",
            processes=(beat,),
        )
    api = APIClient()
    api.force_authenticate(regie)
    body = api.get("/api/v1/status/").json()
    assert not {"worker_silent", "beat_silent"} & {alarm["code"] for alarm in body["alarms"]}
