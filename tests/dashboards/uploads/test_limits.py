"""The web upload form is throttled like the API, per user and with one budget (issue 15)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from dashboards.models import Upload
from dashboards.uploads.limits import duration_text
from tests.dashboards.factories import csv_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_uploads_an_hour(monkeypatch):
    cache.clear()
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "uploads", "2/hour")
    yield
    cache.clear()


def figures(month: int) -> dict:
    return {"file": csv_file(f"indicator,period,value\nasylum_pending,2024-{month:02d},{month}\n")}


def test_the_web_form_refuses_past_the_rate_with_a_dutch_429_and_stores_nothing(
    client, ind_partner
):
    client.force_login(ind_partner)
    url = reverse("dashboards:upload-new")
    codes = [client.post(url, figures(month)).status_code for month in (1, 2)]
    assert codes == [302, 302]
    refused = client.post(url, figures(3))
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "te veel bestanden aangeleverd" in page
    assert "de grens is 2 per uur" in page
    assert "Er is niets opgeslagen" in page
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert Upload.objects.count() == 2
    assert client.get(url).status_code == 200  # the page itself still opens


def test_the_429_page_is_in_english_too(client, ind_partner):
    client.force_login(ind_partner)
    client.cookies["django_language"] = "en"
    url = reverse("dashboards:upload-new")
    for month in (1, 2):
        client.post(url, figures(month))
    page = client.post(url, figures(3), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "uploaded too many files" in page
    assert "the limit is 2 per hour" in page


def test_the_web_form_and_the_api_share_one_budget_per_user(client, ind_partner, coa_partner):
    api = APIClient()
    api.force_authenticate(ind_partner)
    assert api.post("/api/v1/uploads/", figures(1), format="multipart").status_code == 202
    client.force_login(ind_partner)
    assert client.post(reverse("dashboards:upload-new"), figures(2)).status_code == 302
    assert api.post("/api/v1/uploads/", figures(3), format="multipart").status_code == 429
    assert client.post(reverse("dashboards:upload-new"), figures(4)).status_code == 429
    client.force_login(coa_partner)  # another user has a budget of their own
    other = {"file": csv_file("indicator,period,value\nreception_occupancy,2024-01,1\n")}
    assert client.post(reverse("dashboards:upload-new"), other).status_code == 302
    assert Upload.objects.count() == 3


def test_durations_read_in_seconds_then_minutes():
    assert duration_text(1) == "1 seconde"
    assert duration_text(45.2) == "46 seconden"
    assert duration_text(900) == "15 minuten"
