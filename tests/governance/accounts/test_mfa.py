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


def verified_login(user, device) -> Client:
    client = password_login(user)
    client.post(reverse("mfa-verify"), {"code": code_of(device)})
    return client


def administrator():
    user = make_user("admin", "JENV", username="beheer-reset")
    user.is_staff = user.is_superuser = True  # as save_portal_user makes an administrator
    user.save()
    return user


def test_the_admin_site_itself_wants_the_second_factor_whatever_the_middleware(settings):
    """Django-otp's OTPAdminSite, the portal's way: without SecondFactorMiddleware the admin
    still refuses a session that only gave a password."""
    from django.contrib import admin

    from governance.accounts.admin_site import PortalAdminSite

    assert isinstance(admin.site, PortalAdminSite)
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if not m.endswith("SecondFactorMiddleware")
    ]
    user = administrator()
    device = device_for(user)
    password_only = password_login(user)
    response = password_only.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert verified_login(user, device).get("/admin/").status_code == 200


def test_the_administrator_resets_a_second_factor_audited_and_the_users_sessions_end(regie):
    from governance.accounts import mfa

    device = device_for(regie)
    users_client = verified_login(regie, device)
    assert users_client.get(reverse("dashboards:uploads")).status_code == 200
    _token, key = tokens.create_api_token(user=regie)
    by = administrator()
    mfa.reset_second_factor(user=regie, by=by)
    assert not TOTPDevice.objects.filter(user=regie).exists()
    assert not mfa.has_second_factor(regie)
    assert users_client.get(reverse("dashboards:uploads"))["Location"].startswith(reverse("login"))
    event = AuditEvent.objects.get(action=AuditAction.MFA_RESET)
    assert (event.actor, event.object_id, event.organisation.code) == (by, str(regie.pk), "JENV")
    # The next login asks for a new set-up (the role requires a second factor).
    assert password_login(regie).get("/")["Location"].startswith(reverse("mfa-setup"))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/themes/").status_code == 200  # tokens stay


def test_only_the_administrator_resets_and_never_their_own_or_a_missing_factor(regie, ind_partner):
    from django.core.exceptions import PermissionDenied, ValidationError

    from governance.accounts import mfa

    device_for(ind_partner)
    with pytest.raises(PermissionDenied):
        mfa.reset_second_factor(user=ind_partner, by=regie)
    by = administrator()
    device_for(by)
    with pytest.raises(PermissionDenied):
        mfa.reset_second_factor(user=by, by=by)
    with pytest.raises(ValidationError):
        mfa.reset_second_factor(user=make_user("partner", "COA"), by=by)
    assert TOTPDevice.objects.filter(user__in=[ind_partner, by]).count() == 2
    assert not AuditEvent.objects.filter(action=AuditAction.MFA_RESET).exists()


def test_the_reset_is_an_action_of_the_django_admin(ind_partner):
    device_for(ind_partner)
    by = administrator()
    client = verified_login(by, device_for(by))
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [ind_partner.pk]},
        follow=True,
    )
    assert "is teruggezet" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=ind_partner).exists()
    assert AuditEvent.objects.filter(action=AuditAction.MFA_RESET, actor=by).count() == 1
