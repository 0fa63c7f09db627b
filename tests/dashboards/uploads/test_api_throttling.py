"""Uploads through the API are throttled per user; a malformed id is a 404 (issue 6)."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from dashboards.models import Upload
from tests.dashboards.factories import csv_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_uploads_are_throttled_per_user_but_reading_is_not(ind_partner, coa_partner, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "uploads", "2/hour")
    codes = [
        client_for(ind_partner)
        .post(
            "/api/v1/uploads/",
            {"file": csv_file(f"indicator,period,value\nasylum_pending,2024-0{n},{n}\n")},
            format="multipart",
        )
        .status_code
        for n in range(1, 4)
    ]
    assert codes == [202, 202, 429]
    assert Upload.objects.count() == 2
    assert client_for(ind_partner).get("/api/v1/uploads/").status_code == 200
    other = client_for(coa_partner).post(
        "/api/v1/uploads/",
        {"file": csv_file("indicator,period,value\nreception_occupancy,2024-01,1\n")},
        format="multipart",
    )
    assert other.status_code == 202


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_a_malformed_upload_id_answers_404(regie, action):
    response = client_for(regie).post(f"/api/v1/uploads/%C3%A9x/{action}/", {"reason": "x"})
    assert response.status_code == 404
