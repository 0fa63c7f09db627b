"""In-process tasks (the demo, no broker) run after the response, in a background thread: an
approval returns at once and the dashboards are current moments later."""

from __future__ import annotations

import threading
import time

import pytest
from django.urls import reverse

from dashboards.models import Indicator, Rebuild, RebuildStatus, RebuildTrigger, UploadStatus
from dashboards.rebuild import series
from dashboards.rebuild import tasks as rebuild_tasks
from ketenportaal.tasks import wait_for_background_tasks
from tests.dashboards.factories import submit

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for(find, seconds: float = 20):
    """Poll until `find()` returns something (the background thread commits on its own)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = find()
        if found is not None:
            return found
        time.sleep(0.1)
    raise AssertionError("nothing appeared")


@pytest.fixture
def in_background(settings):
    settings.TASKS_IN_BACKGROUND = True
    yield
    assert wait_for_background_tasks(), "the background tasks did not finish"


def test_an_approval_returns_before_its_rebuild_runs_and_the_dashboards_follow(
    client, regie, ind_partner, in_background, monkeypatch
):
    upload = submit(ind_partner, "indicator,period,value\nasylum_pending,2024-03,4321\n")
    assert upload.status == UploadStatus.VALID
    release = threading.Event()
    ran_in: list[threading.Thread] = []
    real = rebuild_tasks.rebuild_dashboards

    def held_rebuild(**kwargs):
        ran_in.append(threading.current_thread())
        assert release.wait(30), "the test never let the rebuild go"
        return real(**kwargs)

    monkeypatch.setattr(rebuild_tasks, "rebuild_dashboards", held_rebuild)
    client.force_login(regie)
    response = client.post(reverse("dashboards:upload-approve", args=[upload.pk]))
    assert response.status_code == 302  # returned while the rebuild is held
    rebuild = wait_for(lambda: Rebuild.objects.filter(trigger=RebuildTrigger.APPROVAL).first())
    assert rebuild.status == RebuildStatus.QUEUED
    release.set()
    assert wait_for_background_tasks()
    assert ran_in and ran_in[0] is not threading.main_thread()
    rebuild.refresh_from_db()
    assert rebuild.status == RebuildStatus.SUCCEEDED
    pending = Indicator.objects.get(code="asylum_pending")
    assert [p.value for p in series.points(indicator=pending, frequency="month", viewer=None)] == [
        4321
    ]


def test_a_rebuild_started_in_the_portal_shows_its_real_progress(
    client, regie, in_background, monkeypatch
):
    release = threading.Event()
    real = rebuild_tasks.rebuild_dashboards

    def held_rebuild(**kwargs):
        assert release.wait(30)
        return real(**kwargs)

    monkeypatch.setattr(rebuild_tasks, "rebuild_dashboards", held_rebuild)
    client.force_login(regie)
    response = client.post(reverse("dashboards:rebuilds"), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "In de wachtrij" in page or "in de wachtrij" in page
    assert "geslaagd" not in page
    release.set()
    assert wait_for_background_tasks()
    status = client.get(response.redirect_chain[-1][0], HTTP_HX_REQUEST="true")
    assert "geslaagd" in status.content.decode()


def test_a_sent_task_carries_no_time_limits_so_the_workers_own_apply(settings, monkeypatch):
    """The sender's time limits would travel in the message and override the worker's (the
    validation's soft limit was the web process's 900 s, whatever the worker was given)."""
    from celery import current_app

    from ketenportaal import tasks

    sent = []
    monkeypatch.setattr(
        current_app, "send_task", lambda name, args, kwargs, **options: sent.append(options)
    )
    current_app.conf.task_always_eager = False
    try:
        tasks.send("dashboards.uploads.tasks.validate_upload_task", 1, queue="groot")
    finally:
        current_app.conf.task_always_eager = True
    task = current_app.tasks["dashboards.uploads.tasks.validate_upload_task"]
    assert task.soft_time_limit == settings.UPLOAD_VALIDATION_SOFT_SECONDS  # defined on the task
    assert sent[0]["soft_time_limit"] is None
    assert sent[0]["time_limit"] is None
    assert sent[0]["queue"] == "groot"
