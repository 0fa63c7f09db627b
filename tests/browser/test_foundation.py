"""The foundation's pages in a real browser: login, tree, filters, progress via htmx, refusals,
the language switch, and axe (WCAG 2.1 A/AA) on every page."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from django_otp.oath import TOTP
from playwright.sync_api import expect

from actions.models import MilestoneStatus, ProgressUpdate
from governance.models import ActionPerspective
from tests.factories import (
    ActionFactory,
    MilestoneFactory,
    RecommendationFactory,
    make_user,
    org,
    verified_device,
)

# `seeded` restores the organisations and perspectives after each test's flush.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def chain():
    """A small chain: an IND action under perspective 7 and a COA action under perspective 4."""
    ind_rec = RecommendationFactory(
        code="B7.1", perspective=ActionPerspective.objects.get(number=7)
    )
    coa_rec = RecommendationFactory(
        code="B4.1", perspective=ActionPerspective.objects.get(number=4)
    )
    ind_action = ActionFactory(
        title="Dossier ontsluiten", owner=org("IND"), recommendations=[ind_rec]
    )
    coa_action = ActionFactory(
        title="Reservecapaciteit verkennen", owner=org("COA"), recommendations=[coa_rec]
    )
    return {
        "ind": MilestoneFactory(
            action=ind_action,
            title="Koppeling getest",
            due_date=days(-4),
            status=MilestoneStatus.IN_PROGRESS,
        ),
        "ind_soon": MilestoneFactory(action=ind_action, title="Livegang", due_date=days(10)),
        "coa": MilestoneFactory(
            action=coa_action,
            title="Verkenning opgeleverd",
            due_date=days(40),
            status=MilestoneStatus.IN_PROGRESS,
            at_risk=True,
            risk_reason="Wacht op besluit.",
        ),
        "coa_done": MilestoneFactory(action=coa_action, title="Plan vastgesteld", done=True),
    }


def log_in_through_the_form(page, live_server, username: str) -> None:
    """Password, and for a role that needs one (regie) the code of its authenticator app."""
    device = verified_device(User.objects.get(username=username))  # set up before logging in
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    if device is not None:
        page.get_by_label("Code uit uw authenticator-app").fill(
            f"{TOTP(device.bin_key).token():06d}"
        )
        page.get_by_role("button", name="Inloggen").click()
    # Regie lands on its own work (issue 13), the overdue milestones among it.
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn werk – Regie Migratieketen")


def test_regie_logs_in_walks_the_tree_filters_and_reports_progress_without_reload(
    page, live_server, chain
):
    make_user("regie", username="regie-browser")
    log_in_through_the_form(page, live_server, "regie-browser")
    expect(page.get_by_role("link", name="Koppeling getest")).to_be_visible()  # overdue list

    page.get_by_role("navigation").get_by_role("link", name="Uitvoering").click()
    expect(page.get_by_role("heading", name="Uitvoering: van thema tot mijlpaal")).to_be_visible()
    results = page.locator("#results")
    expect(results).to_contain_text("4 mijlpalen")
    expect(results).to_contain_text("Verkenning opgeleverd")

    # htmx: the list changes and the URL carries the filter, without a new page.
    page.evaluate("window.__samePage = true")
    page.get_by_label("Organisatie").select_option("IND")
    expect(page).to_have_url(re.compile(r"organisation=IND"))
    expect(results).to_contain_text("2 mijlpalen")
    expect(results).not_to_contain_text("Verkenning opgeleverd")
    page.get_by_label("RAG").select_option("red")
    expect(page).to_have_url(re.compile(r"rag=red"))
    expect(results).to_contain_text("1 mijlpaal")
    expect(results).not_to_contain_text("Livegang")
    assert page.evaluate("window.__samePage") is True

    # The back button restores the previous filter, with the whole page intact.
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"rag=red"))
    expect(page.locator("#results")).to_contain_text("2 mijlpalen")
    expect(page.get_by_label("Organisatie")).to_have_value("IND")
    page.go_forward()
    expect(page.locator("#results")).to_contain_text("1 mijlpaal")

    # The filtered URL is shareable: opening it fresh shows the same list.
    page.goto(page.url)
    expect(page.locator("#results")).to_contain_text("1 mijlpaal")
    expect(page.get_by_label("RAG")).to_have_value("red")

    page.locator("#results").get_by_role("link", name="Koppeling getest").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Koppeling getest")
    page.evaluate("window.__samePage = true")
    page.get_by_role("textbox", name="Toelichting", exact=True).fill(
        "Koppeling werkt in de testomgeving."
    )
    page.get_by_label("Nieuwe status").select_option("done")
    page.get_by_role("button", name="Vastleggen").click()

    progress = page.locator("#progress")
    expect(progress).to_contain_text("De voortgang is vastgelegd.")
    expect(progress.get_by_role("table")).to_contain_text("Koppeling werkt in de testomgeving.")
    expect(page.locator("#milestone-summary")).to_contain_text("Gereed")
    expect(page.locator("#milestone-summary")).to_contain_text("100%")
    assert page.evaluate("window.__samePage") is True
    assert ProgressUpdate.objects.filter(milestone=chain["ind"]).count() == 1


def test_an_empty_progress_text_is_refused_in_place_with_a_dutch_message(
    page, live_server, login, chain
):
    login(make_user("partner", "IND", username="ind-browser"))
    page.goto(f"{live_server.url}/mijlpalen/{chain['ind'].pk}/")
    page.get_by_label("Nieuwe status").select_option("done")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.locator("#progress")).to_contain_text("Geef een toelichting bij de voortgang.")
    chain["ind"].refresh_from_db()
    assert chain["ind"].status == MilestoneStatus.IN_PROGRESS


def test_partner_of_another_organisation_cannot_change_a_milestone(page, live_server, login, chain):
    login(make_user("partner", "COA", username="coa-browser"))
    page.goto(f"{live_server.url}/mijlpalen/{chain['ind'].pk}/")
    expect(page.get_by_role("button", name="Vastleggen")).to_have_count(0)
    expect(page.locator("#progress")).to_contain_text(
        "Alleen Regie Migratieketen en medewerkers van IND kunnen voortgang melden"
    )

    response = page.goto(f"{live_server.url}/mijlpalen/{chain['ind'].pk}/voortgang/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Geen toegang")
    expect(page.get_by_role("alert")).to_contain_text(
        "U mag alleen de voortgang melden van mijlpalen van uw eigen organisatie. "
        "Deze mijlpaal is van IND."
    )
    assert not ProgressUpdate.objects.exists()


def test_the_language_switch_serves_the_page_in_english(page, live_server, login, chain):
    login(make_user("viewer", username="viewer-browser"))
    page.goto(f"{live_server.url}/uitvoering/?status=in_progress")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    page.get_by_role("button", name=re.compile(r"^EN\b")).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/uitvoering/\?status=in_progress"))
    expect(page.get_by_role("button", name=re.compile(r"^EN\b"))).to_have_attribute(
        "aria-current", "true"
    )


# ---------------------------------------------------------------- accessibility


AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def pages(chain) -> dict[str, str]:
    ind, coa = chain["ind"], chain["coa"]
    recommendation = ind.action.recommendations.get()
    return {
        "my work": "/",
        "overview": "/overzicht/",
        "tree": "/uitvoering/",
        "tree filtered": "/uitvoering/?organisation=COA&rag=amber&due_from=2020-01-01",
        "tree with a bad date": "/uitvoering/?due_from=2025-02-30",
        "milestone": f"/mijlpalen/{ind.pk}/",
        "milestone at risk": f"/mijlpalen/{coa.pk}/",
        "progress page": f"/mijlpalen/{ind.pk}/voortgang/",
        "recommendation": f"/aanbevelingen/{recommendation.pk}/",
        "action": f"/acties/{ind.action.pk}/",
        "new recommendation": "/aanbevelingen/nieuw/",
        "edit recommendation": f"/aanbevelingen/{recommendation.pk}/wijzigen/",
        "new action": "/acties/nieuw/",
        "edit action": f"/acties/{ind.action.pk}/wijzigen/",
        "new milestone": "/mijlpalen/nieuw/",
        "edit milestone": f"/mijlpalen/{ind.pk}/wijzigen/",
        "not found": "/mijlpalen/987654/",
    }


def test_every_page_regie_uses_passes_axe(page, live_server, login, chain, axe):
    """One test over all pages (each browser test flushes the database, which is slow); the
    failure lists every page with its violations."""
    login(make_user("regie", username="regie-axe"))
    reports = []
    for name, path in pages(chain).items():
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            reports.append(f"{name} ({path}):\n{results.generate_report()}")
    assert not reports, "\n\n".join(reports)


def test_login_page_and_its_error_pass_axe(page, live_server, assert_accessible):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Gebruikersnaam").fill("niemand")
    page.get_by_label("Wachtwoord").fill("fout")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_contain_text("onjuist")
    assert_accessible(page)


def test_lockout_page_passes_axe(page, live_server, assert_accessible, settings):
    make_user("regie", username="geblokkeerd")
    page.goto(f"{live_server.url}/accounts/login/")
    heading = page.get_by_role("heading", level=1)
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        page.get_by_label("Gebruikersnaam").fill("geblokkeerd")
        page.get_by_label("Wachtwoord").fill("geraden")
        page.get_by_role("button", name="Inloggen").click()
        if heading.inner_text() != "Inloggen":
            break
    expect(page.get_by_role("heading", level=1)).to_have_text("Account tijdelijk geblokkeerd")
    assert_accessible(page)


def test_refusal_page_passes_axe(page, live_server, login, chain, assert_accessible):
    login(make_user("partner", "COA", username="coa-axe"))
    page.goto(f"{live_server.url}/mijlpalen/{chain['ind'].pk}/voortgang/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Geen toegang")
    assert_accessible(page)


def test_milestone_page_for_another_partner_passes_axe(
    page, live_server, login, chain, assert_accessible
):
    login(make_user("partner", "COA", username="coa-axe2"))
    page.goto(f"{live_server.url}/mijlpalen/{chain['ind'].pk}/")
    assert_accessible(page)


def test_forms_with_errors_pass_axe(page, live_server, login, chain, assert_accessible):
    login(make_user("regie", username="regie-axe-errors"))
    page.goto(f"{live_server.url}/mijlpalen/nieuw/")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/mijlpalen/{chain['ind'].pk}/")
    page.get_by_label("Deze mijlpaal loopt risico").check()
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.locator("#progress")).to_contain_text("Geef een toelichting bij de voortgang.")
    assert_accessible(page)


def test_overview_in_english_passes_axe(page, live_server, login, chain, assert_accessible):
    login(make_user("viewer", username="viewer-axe"))
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name=re.compile(r"^EN\b")).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)
