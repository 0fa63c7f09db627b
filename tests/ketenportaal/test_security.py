"""Headers and request checks for the whole portal (issue 15, item 8)."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import path, reverse
from rest_framework.test import APIClient

from dashboards.models import Upload
from governance.accounts.authentication import FailedTokenThrottle
from governance.models import AuditAction, AuditEvent
from tests.dashboards.factories import IND_Q1, submit


def boom(request):
    raise RuntimeError("a bug")


# This module doubles as a URL conf for the server-error test.
urlpatterns = [path("api/v1/boom/", boom)]

pytestmark = pytest.mark.django_db


def test_authenticated_pages_api_answers_and_downloads_are_not_stored(client, ind_partner):
    client.force_login(ind_partner)
    for url in ("/", "/api/v1/themes/", reverse("dashboards:template", args=["ind", "csv"])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_every_answer_has_a_permissions_policy(client):
    response = client.get(reverse("login"))
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/series/?indicator=asylum%00pending&frequency=month",
        "/aanleveringen/?organisatie=IND%00",
        "/aanleveringen/tijdigheid/?jaar=2024%00",
    ],
)
def test_a_nul_byte_in_the_query_is_answered_400(client, regie, url):
    client.force_login(regie)
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert "NUL" in response.json()["message"]


def test_an_unknown_api_url_answers_json(client):
    response = client.get("/api/v1/bestaat-niet/")
    assert response.status_code == 404
    assert response.json()["message"] == "Niet gevonden."


@pytest.mark.urls("tests.ketenportaal.test_security")
def test_a_server_error_in_the_api_answers_json_with_the_request_id(client):
    client.raise_request_exception = False
    response = client.get("/api/v1/boom/")
    assert response.status_code == 500
    body = response.json()
    assert body["request_id"] == response["X-Request-ID"] and "mis" in body["message"]


def test_an_original_is_downloaded_under_a_safe_name_rfc_6266(client, ind_partner):
    upload = submit(ind_partner, IND_Q1, name="<script>alert(1)ü.csv", validate=False)
    client.force_login(ind_partner)
    response = client.get(reverse("dashboards:upload-file", args=[upload.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="script-alert-1-u.csv"; ')
    assert disposition.endswith("filename*=UTF-8''%3Cscript%3Ealert%281%29%C3%BC.csv")
    assert b"".join(response.streaming_content) == IND_Q1.encode()
    assert Upload.objects.get().file_name.startswith("<script>")


def test_passwords_need_at_least_twelve_characters():
    with pytest.raises(ValidationError, match="12"):
        validate_password("Kort-wacht1")
    validate_password("Lang-genoeg-wachtwoord-42")


def test_a_made_up_forwarded_for_header_does_not_bypass_the_token_throttle(monkeypatch, settings):
    monkeypatch.setitem(FailedTokenThrottle.THROTTLE_RATES, "auth", "3/min")
    codes = [
        APIClient(HTTP_AUTHORIZATION="Token wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        .get("/api/v1/themes/")
        .status_code
        for n in range(5)
    ]
    assert codes == [401, 401, 401, 429, 429]
    # The audit trail records the socket's address, not the header's.
    assert set(
        AuditEvent.objects.filter(action=AuditAction.TOKEN_FAILED).values_list("ip", flat=True)
    ) == {"127.0.0.1"}


def test_behind_one_trusted_proxy_the_proxys_client_address_counts(settings, client):
    settings.NUM_PROXIES = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    client.post(
        reverse("login"),
        {"username": "nobody", "password": "x"},
        HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9",
    )
    assert AuditEvent.objects.get().ip == "203.0.113.9"
