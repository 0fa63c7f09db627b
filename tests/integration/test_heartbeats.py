"""Worker and beat heartbeats with a real Celery worker and a real beat on Redis (issue 15)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection
from rest_framework.test import APIClient

from dashboards.models import Heartbeat
from tests.conftest import ROOT

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_beat_and_the_worker_write_heartbeats_that_the_status_shows(
    celery_worker_process, tmp_path, regie
):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_QUEUE": celery_worker_process,
        "HEARTBEAT_SECONDS": "1",
        "MEDIA_ROOT": str(django_settings.STORAGES["default"]["OPTIONS"]["location"]),
    }
    beat = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ketenportaal",
            "beat",
            "-l",
            "warning",
            "--schedule",
            str(tmp_path / "beat-schedule"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 180  # beat alone takes ~50 s to start on a busy machine
        while time.monotonic() < deadline:
            names = set(Heartbeat.objects.values_list("name", flat=True))
            if {"worker", "beat"} <= names:
                break
            if beat.poll() is not None:
                pytest.fail(beat.stdout.read().decode(errors="replace"))
            time.sleep(0.5)
        else:
            pytest.fail(f"heartbeats seen: {names}")
        first = Heartbeat.objects.get(name="beat").at
        time.sleep(2.5)
        assert Heartbeat.objects.get(name="beat").at > first  # it keeps beating
    finally:
        beat.terminate()
        beat.wait(timeout=20)
    api = APIClient()
    api.force_authenticate(regie)
    body = api.get("/api/v1/status/").json()
    assert not {"worker_silent", "beat_silent"} & {alarm["code"] for alarm in body["alarms"]}
