"""Sessions and tokens end when rights change, on "log out everywhere", after idle time; expired
rows are purged (issue 15, items 7 and 8)."""

from __future__ import annotations

import datetime
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from governance.accounts import sessions as accounts_sessions
from governance.accounts import tokens
from governance.models import AuditAction, AuditEvent, LoginSession, Organisation

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def logged_in(user) -> Client:
    client = Client()
    assert (
        client.post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code
        == 302
    )
    return client


def is_logged_in(client: Client) -> bool:
    return client.get(reverse("account")).status_code == 200


def test_a_new_role_ends_the_users_sessions_and_tokens(ind_partner):
    browser = logged_in(ind_partner)
    tokens.create_api_token(user=ind_partner)
    assert is_logged_in(browser)
    membership = ind_partner.membership
    membership.role = "viewer"
    membership.save()
    assert not is_logged_in(browser)
    assert not AuthToken.objects.filter(user=ind_partner).exists()
    event = AuditEvent.objects.get(action=AuditAction.SESSIONS_REVOKED)
    assert event.detail == {"reason": "role_or_organisation_changed", "sessions": 1, "tokens": 1}


def test_a_new_organisation_ends_the_sessions_too(ind_partner):
    browser = logged_in(ind_partner)
    membership = ind_partner.membership
    membership.organisation = Organisation.objects.get(code="COA")
    membership.save()
    assert not is_logged_in(browser)


def test_deactivation_ends_sessions_and_tokens(ind_partner):
    browser = logged_in(ind_partner)
    tokens.create_api_token(user=ind_partner)
    ind_partner.is_active = False
    ind_partner.save()
    assert not Session.objects.exists()
    assert not AuthToken.objects.exists()
    assert browser.get(reverse("account")).status_code == 302


def test_a_changed_password_revokes_the_api_tokens(ind_partner):
    _instance, key = tokens.create_api_token(user=ind_partner)
    ind_partner.set_password("een-heel-nieuw-wachtwoord")
    ind_partner.save()
    from rest_framework.test import APIClient

    assert APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/themes/").status_code == 401
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED).exists()


def test_the_password_change_page_keeps_this_session_and_wants_twelve_characters(ind_partner):
    browser = logged_in(ind_partner)
    other = logged_in(ind_partner)
    short = browser.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Kort-pw-1", "new_password2": "Kort-pw-1"},
    )
    assert short.status_code == 200 and "12" in short.content.decode()
    done = browser.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Een-lang-nieuw-wachtwoord-7",
            "new_password2": "Een-lang-nieuw-wachtwoord-7",
        },
    )
    assert done["Location"] == reverse("password_change_done")
    assert is_logged_in(browser)
    assert not is_logged_in(other)


def test_log_out_everywhere_ends_the_other_sessions_and_the_tokens(ind_partner):
    here = logged_in(ind_partner)
    elsewhere = logged_in(ind_partner)
    tokens.create_api_token(user=ind_partner)
    response = here.post(reverse("logout-everywhere"), follow=True)
    assert "overal uitgelogd" in response.content.decode()
    assert is_logged_in(here)
    assert not is_logged_in(elsewhere)
    assert not AuthToken.objects.exists()
    assert LoginSession.objects.filter(user=ind_partner).count() == 1


def test_an_idle_session_ends(settings, ind_partner):
    settings.SESSION_IDLE_SECONDS = 60
    browser = logged_in(ind_partner)
    assert is_logged_in(browser)
    session = browser.session
    session["last_seen"] = int(time.time()) - 61
    session.save()
    response = browser.get(reverse("account"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not is_logged_in(browser)


def test_the_purge_removes_expired_sessions_tokens_and_lockouts_only(ind_partner):
    logged_in(ind_partner)
    kept_session = Session.objects.get()
    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - datetime.timedelta(1)
    )
    fresh, _key = tokens.create_api_token(user=ind_partner)
    expired, _key = tokens.create_api_token(user=ind_partner)
    AuthToken.objects.filter(pk=expired.pk).update(expiry=timezone.now() - datetime.timedelta(1))
    old = AccessAttempt.objects.create(
        username="x", ip_address="127.0.0.1", user_agent="", failures_since_start=1
    )
    AccessAttempt.objects.filter(pk=old.pk).update(
        attempt_time=timezone.now() - datetime.timedelta(days=2)
    )
    counts = accounts_sessions.purge_expired()
    assert (counts["sessions"], counts["tokens"], counts["lockouts"]) == (1, 1, 1)
    assert list(Session.objects.all()) == [kept_session]
    assert list(AuthToken.objects.values_list("pk", flat=True)) == [fresh.pk]
