"""With Redis down (cache and broker), pages, the API and uploads keep working (issue 15): the
cache degrades to none, throttles fail open for valid tokens, and an upload sent during the
outage is validated once the broker is back."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dashboards.models import Upload, UploadStatus
from dashboards.uploads import services
from governance.accounts import tokens
from tests.dashboards.factories import IND_Q1, csv_file

pytestmark = pytest.mark.django_db

DOWN = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "ketenportaal.cache.FailSoftRedisCache",
            "LOCATION": DOWN,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }  # Django's setting_changed signal makes the cache handler use it at once
    return settings


def test_pages_and_the_api_answer_while_the_cache_is_down(redis_down, client, ind_partner):
    client.force_login(ind_partner)
    assert client.get(reverse("dashboards:chain")).status_code == 200
    _instance, key = tokens.create_api_token(user=ind_partner)
    api = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/themes/").status_code == 200
    assert APIClient(HTTP_AUTHORIZATION="Token wrong").get("/api/v1/themes/").status_code == 401


def test_an_upload_sent_while_the_broker_is_down_is_validated_when_it_is_back(
    redis_down, settings, ind_partner, django_capture_on_commit_callbacks
):
    from ketenportaal.celery import app

    previous = (
        app.conf.task_always_eager,
        app.conf.broker_url,
        app.conf.broker_connection_retry,
        app.conf.broker_transport_options,
    )
    app.conf.task_always_eager = False
    app.conf.broker_url = DOWN
    app.conf.broker_connection_retry = False
    app.conf.broker_transport_options = {"max_retries": 0}
    api = APIClient()
    api.force_authenticate(ind_partner)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post("/api/v1/uploads/", {"file": csv_file(IND_Q1)}, format="multipart")
    finally:
        (
            app.conf.task_always_eager,
            app.conf.broker_url,
            app.conf.broker_connection_retry,
            app.conf.broker_transport_options,
        ) = previous

    assert response.status_code == 202
    upload = Upload.objects.get()
    assert upload.status == UploadStatus.RECEIVED
    Upload.objects.filter(pk=upload.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    assert services.requeue_stuck_uploads() == [upload.pk]
    upload.refresh_from_db()
    assert upload.status == UploadStatus.VALID
