"""Two factors through the client (issue 15): who must verify, the admin behind the factor,
django-axes counting wrong codes, API tokens, and the English pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from governance.accounts import tokens
from governance.models import AuditAction, AuditEvent
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def password_login(user) -> Client:
    client = Client()
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    return client


def device_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def code_of(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key).token():06d}"


def test_a_partner_without_a_second_factor_is_not_asked_for_one(ind_partner):
    client = password_login(ind_partner)
    assert client.get(reverse("dashboards:uploads")).status_code == 200


def test_regie_must_set_up_a_second_factor_before_anything_else(regie):
    client = password_login(regie)
    response = client.get(reverse("governance:decisions"))
    assert response["Location"].startswith(reverse("mfa-setup"))
    api = client.get("/api/v1/themes/")
    assert api.status_code == 403 and "tweede factor" in api.json()["message"]


def test_the_roles_that_require_it_are_a_setting(settings, regie):
    settings.MFA_REQUIRED_ROLES = ["admin"]
    client = password_login(regie)
    assert client.get(reverse("governance:decisions")).status_code == 200


def test_a_partner_who_set_one_up_must_use_it(ind_partner):
    device = device_for(ind_partner)
    client = password_login(ind_partner)
    assert client.get(reverse("dashboards:uploads"))["Location"].startswith(reverse("mfa-verify"))
    response = client.post(
        reverse("mfa-verify"), {"code": code_of(device), "next": "/aanleveringen/"}
    )
    assert response["Location"] == "/aanleveringen/"
    assert client.get(reverse("dashboards:uploads")).status_code == 200


def test_the_django_admin_asks_for_the_second_factor_even_when_no_role_requires_it(settings):
    settings.MFA_REQUIRED_ROLES = []
    admin_user = make_user("admin", "JENV", username="beheer-mfa")
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = password_login(admin_user)
    assert client.get("/admin/")["Location"].startswith(reverse("mfa-setup"))
    # The admin's own login page leads to the portal's (password, then the factor).
    assert Client().get("/admin/login/")["Location"].startswith(reverse("login"))


def test_wrong_codes_count_towards_the_lockout(settings, ind_partner):
    settings.AXES_FAILURE_LIMIT = 3
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device_for(ind_partner)
    client = password_login(ind_partner)
    statuses = [
        client.post(reverse("mfa-verify"), {"code": "000000"}).status_code for _ in range(3)
    ]
    assert statuses == [400, 400, 429]  # django-axes' lockout answer
    assert "_auth_user_id" not in client.session  # logged out
    assert AuditEvent.objects.filter(action=AuditAction.MFA_FAILED).count() == 3
    # Locked out: the right password no longer opens a session either.
    again = password_login(ind_partner)
    assert "_auth_user_id" not in again.session


def test_a_recovery_code_works_once(ind_partner):
    from governance.accounts import mfa

    device_for(ind_partner)
    client = password_login(ind_partner)
    request = type("R", (), {"user": ind_partner, "session": client.session})()
    codes = mfa._new_recovery_codes(request.user)
    assert client.post(reverse("mfa-recovery"), {"code": codes[0]}).status_code == 302
    other = password_login(ind_partner)
    assert other.post(reverse("mfa-recovery"), {"code": codes[0]}).status_code == 400


def test_api_tokens_keep_working_without_a_session(regie):
    _instance, key = tokens.create_api_token(user=regie)
    assert APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/themes/").status_code == 200


def test_the_token_endpoint_wants_the_code_from_a_user_with_a_second_factor(regie, ind_partner):
    api = APIClient()
    answer = api.post("/api/v1/auth/token/", {"username": "regie-test", "password": PASSWORD})
    assert answer.status_code == 400 and "otp" in answer.json()["errors"]
    device = device_for(regie)
    wrong = api.post(
        "/api/v1/auth/token/", {"username": "regie-test", "password": PASSWORD, "otp": "000000"}
    )
    assert wrong.status_code == 400
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    right = api.post(
        "/api/v1/auth/token/",
        {"username": "regie-test", "password": PASSWORD, "otp": code_of(device)},
    )
    assert right.status_code == 201
    partner = api.post("/api/v1/auth/token/", {"username": "ind-test", "password": PASSWORD})
    assert partner.status_code == 201


def test_the_second_factor_pages_are_in_english_too(regie):
    client = password_login(regie)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("mfa-setup")).content.decode()
    assert "Set up a second factor" in page
    assert 'lang="en"' in page
