"""The rebuild tasks: called directly, and through a real Celery worker and beat on Redis."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from django.db import connection

from dashboards.models import Frequency, Indicator, Rebuild, RebuildStatus, RebuildTrigger
from dashboards.rebuild.series import points
from tests.conftest import ROOT
from tests.dashboards.factories import approved_upload


@pytest.mark.integration
def test_beat_and_a_real_worker_run_the_scheduled_rebuild(celery_worker_process, tmp_path):
    approved_upload("IND", {("asylum_pending", "2024-01", ""): 42})
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_QUEUE": celery_worker_process,
        "REBUILD_EVERY_SECONDS": "2",
    }
    beat = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ketenportaal", "beat", "-l", "warning",
         "-s", str(tmp_path / "beat-schedule"), "--pidfile", str(tmp_path / "beat.pid")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            done = Rebuild.objects.filter(
                trigger=RebuildTrigger.SCHEDULE, status=RebuildStatus.SUCCEEDED
            ).first()
            if done:
                break
            assert beat.poll() is None, beat.stdout.read().decode()
            time.sleep(0.5)
        else:
            pytest.fail("beat and the worker did not complete a scheduled rebuild within 90 s")
    finally:
        beat.terminate()
        beat.wait(timeout=20)
    pending = Indicator.objects.get(code="asylum_pending")
    assert [(p.period, p.value) for p in points(indicator=pending, frequency=Frequency.MONTH)] == [
        ("2024-01", 42)
    ]
