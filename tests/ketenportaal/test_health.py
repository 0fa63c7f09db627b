"""Liveness, readiness and the status endpoint (issue 15, health; DESIGN.md)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from dashboards.models import Heartbeat, Rebuild, RebuildScope, RebuildStatus, Upload
from ketenportaal import healthcheck
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_livez_answers_without_login(client):
    response = client.get("/livez")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_answers_200_when_database_broker_and_cache_answer(client, settings):
    settings.CACHE_URL = "redis://127.0.0.1:6379/1"
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readyz_names_the_broker_when_it_is_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failing": ["broker"]}


def test_readyz_names_the_cache_when_it_is_down(client, settings):
    settings.CACHE_URL = "redis://127.0.0.1:1/1"
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["failing"] == ["cache"]


def test_the_container_healthcheck_asks_readyz(live_server):
    assert healthcheck.check_url(f"{live_server.url}/readyz")
    assert not healthcheck.check_url(f"{live_server.url}/bestaat-niet")


def test_status_is_for_regie_and_admin(regie, ind_partner, viewer):
    api = APIClient()
    for user, expected in ((regie, 200), (ind_partner, 403), (viewer, 403)):
        api.force_authenticate(user)
        assert api.get("/api/v1/status/").status_code == expected
    admin_user = make_user("admin", "JENV", username="beheer-status")
    api.force_authenticate(admin_user)
    assert api.get("/api/v1/status/").status_code == 200


def test_status_raises_alarms_for_a_missed_rebuild_a_waiting_upload_and_silent_processes(
    regie, ind_partner
):
    now = timezone.now()
    Rebuild.objects.create(
        scope=RebuildScope.FULL,
        status=RebuildStatus.SUCCEEDED,
        finished_at=now - datetime.timedelta(hours=27),
    )
    upload = Upload.objects.create(
        organisation=ind_partner.membership.organisation,
        uploaded_by=ind_partner,
        file="uploads/x.csv",
        file_name="x.csv",
        size=1,
        sha256="0" * 64,
    )
    Upload.objects.filter(pk=upload.pk).update(uploaded_at=now - datetime.timedelta(minutes=31))
    Heartbeat.objects.create(name="worker", at=now)
    api = APIClient()
    api.force_authenticate(regie)
    body = api.get("/api/v1/status/").json()
    assert {alarm["code"] for alarm in body["alarms"]} == {
        "rebuild_missed",
        "upload_waiting",
        "beat_silent",
    }
    assert body["uploads_waiting"] == 1 and body["healthy"] is False
    assert body["heartbeats"]["worker"]["age_seconds"] < 60

    Rebuild.objects.create(scope=RebuildScope.FULL, status=RebuildStatus.SUCCEEDED, finished_at=now)
    Upload.objects.filter(pk=upload.pk).update(status="valid")
    Heartbeat.objects.create(name="beat", at=now)
    body = api.get("/api/v1/status/").json()
    assert body["alarms"] == [] and body["healthy"] is True
    assert body["last_successful_full_rebuild"]["age_seconds"] < 60
