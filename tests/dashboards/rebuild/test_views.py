"""The rebuild log: starting a rebuild says what was started, and the page follows that one."""

from __future__ import annotations

from django.urls import reverse

from dashboards.models import Rebuild, RebuildStatus
from dashboards.rebuild.queue import queue_rebuild


def test_starting_a_rebuild_shows_the_queued_rebuild_it_started(regie_client, monkeypatch):
    monkeypatch.setattr("dashboards.rebuild.queue.send_on_commit", lambda *a, **k: None)
    response = regie_client.post(reverse("dashboards:rebuilds"), follow=True)
    rebuild = Rebuild.objects.get()
    assert response.redirect_chain[-1][0] == reverse("dashboards:rebuild", args=[rebuild.pk])
    page = response.content.decode()
    assert f"Herberekening #{rebuild.pk} staat in de wachtrij" in page
    assert rebuild.status == RebuildStatus.QUEUED


def test_a_request_merged_into_a_waiting_rebuild_shows_that_one(regie_client, monkeypatch):
    monkeypatch.setattr("dashboards.rebuild.queue.send_on_commit", lambda *a, **k: None)
    waiting = queue_rebuild()
    response = regie_client.post(reverse("dashboards:rebuilds"), follow=True)
    assert Rebuild.objects.count() == 1
    assert response.redirect_chain[-1][0] == reverse("dashboards:rebuild", args=[waiting.pk])
    assert f"volledige herberekening (#{waiting.pk}) in de wachtrij" in response.content.decode()
