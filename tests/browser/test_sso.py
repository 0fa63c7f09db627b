"""Single sign-on in the browser through a real OpenID provider started by the tests (node's
oidc-provider, tests/oidc_provider): matched users get in, with or without the portal's TOTP
depending on the provider's multi-factor claim; unknown users are refused, never created."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from governance.models import AuditAction, AuditEvent
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The provider's sign-in page loads a web font from elsewhere: nothing leaves this machine.
OUTSIDE = re.compile(r"^https?://(?!127\.0\.0\.1[:/]|localhost[:/])")


@pytest.fixture
def sso(settings, oidc_provider, page):
    for name, value in oidc_provider.settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "governance.accounts.oidc.PortalOIDCBackend",
    ]
    page.context.route(OUTSIDE, lambda route: route.abort())
    return oidc_provider


def sign_in_at_provider(page, live_server, login_name: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Inloggen met single sign-on").click()
    page.locator("input[name=login]").fill(login_name)
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    consent = page.get_by_role("button", name="Continue")
    if consent.count():
        consent.click()


def test_a_regie_user_with_the_providers_mfa_logs_in_without_totp(
    sso, live_server, page, assert_accessible
):
    user = make_user("regie", "JENV", username="regie-sso")
    user.email = "mfa-regie@example.test"
    user.save()
    sign_in_at_provider(page, live_server, "mfa-regie@example.test")
    page.goto(f"{live_server.url}/besluiten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Besluitenlijst")
    expect(page.locator(".who")).to_contain_text(user.get_full_name())
    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.actor == user and event.detail == {"method": "sso"}


def test_a_regie_user_without_the_providers_mfa_still_needs_the_portals_second_factor(
    sso, live_server, page
):
    user = make_user("regie", "JENV", username="regie-sso-2")
    user.email = "regie2@example.test"
    user.save()
    sign_in_at_provider(page, live_server, "regie2@example.test")
    page.goto(f"{live_server.url}/besluiten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweede factor instellen")


def test_a_partner_logs_in_through_the_provider(sso, live_server, page):
    user = make_user("partner", "IND", username="ind-sso")
    user.email = "ind@example.test"
    user.save()
    sign_in_at_provider(page, live_server, "ind@example.test")
    page.goto(f"{live_server.url}/aanleveringen/")
    expect(page.locator(".who")).to_contain_text(user.get_full_name())


def test_an_unknown_user_is_refused_and_not_created(sso, live_server, page, assert_accessible):
    users = get_user_model().objects.count()
    sign_in_at_provider(page, live_server, "nobody@example.test")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    expect(page.get_by_text("Inloggen via de identiteitsprovider is niet gelukt")).to_be_visible()
    assert_accessible(page)
    assert get_user_model().objects.count() == users
    failed = AuditEvent.objects.get(action=AuditAction.SSO_LOGIN_FAILED)
    assert failed.actor_name == "nobody@example.test" and failed.outcome == "failure"
