"""Two factors in the browser (issue 15): a regie user sets up TOTP at the first login, keeps
the recovery codes, logs in again with a code and with a recovery code."""

from __future__ import annotations

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from governance.models import AuditAction, AuditEvent
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def totp_now(base32_key: str) -> str:
    key = b32decode(base32_key.replace(" ", "") + "=" * (-len(base32_key.replace(" ", "")) % 8))
    return f"{TOTP(key).token():06d}"


def password_login(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def log_out(page) -> None:
    page.get_by_role("button", name="Uitloggen").first.click()


def test_regie_sets_up_totp_and_logs_in_with_a_code_and_a_recovery_code(
    live_server, page, assert_accessible
):
    make_user("regie", "JENV", username="regie-2fa")

    # First login: the password alone leads to the set-up page, nowhere else.
    password_login(page, live_server, "regie-2fa")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweede factor instellen")
    assert_accessible(page)
    page.goto(f"{live_server.url}/besluiten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweede factor instellen")

    key = page.locator("#manual-key").inner_text()
    page.get_by_label("Code uit uw authenticator-app").fill("000000")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("alert")).to_contain_text("Deze code klopt niet")
    assert_accessible(page)
    time.sleep(1.1)  # django-otp's throttle after one failure
    page.get_by_label("Code uit uw authenticator-app").fill(totp_now(key))
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw herstelcodes")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("link", name="Ik heb de codes bewaard, ga verder").click()
    page.goto(f"{live_server.url}/besluiten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Besluitenlijst")

    # Second login: the code from the app. (The code of the set-up may not be used twice, so the
    # device's last used step is moved back instead of waiting 30 s for the next code.)
    log_out(page)
    TOTPDevice.objects.update(last_t=-1)
    password_login(page, live_server, "regie-2fa")
    expect(page.get_by_role("heading", level=1)).to_have_text("Code invoeren")
    assert_accessible(page)
    page.get_by_label("Code uit uw authenticator-app").fill("123456")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_contain_text("Deze code klopt niet")
    time.sleep(1.1)  # django-otp's throttle after one failure
    page.get_by_label("Code uit uw authenticator-app").fill(totp_now(key))
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Code invoeren")
    page.goto(f"{live_server.url}/besluiten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Besluitenlijst")

    # Third login: a recovery code, which then no longer works.
    log_out(page)
    password_login(page, live_server, "regie-2fa")
    page.get_by_role("link", name="Telefoon kwijt? Log in met een herstelcode.").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen met een herstelcode")
    assert_accessible(page)
    page.get_by_label("Herstelcode").fill(codes[0])
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text("U bent ingelogd met een herstelcode")).to_be_visible()

    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions.count(AuditAction.MFA_FAILED) == 1  # the set-up's wrong code is no login
    assert AuditAction.MFA_ENABLED in actions and actions.count(AuditAction.MFA_VERIFIED) == 2


def test_the_account_page_offers_log_out_everywhere(live_server, page, login, assert_accessible):
    user = make_user("partner", "IND", username="ind-account")
    login(user)
    page.goto(f"{live_server.url}/accounts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")
    assert_accessible(page)
    page.get_by_role("button", name="Overal uitloggen").click()
    expect(page.get_by_text("U bent overal uitgelogd")).to_be_visible()
