"""Maintenance in a real browser: the functional administrator adds a user with organisation and
role in one form; regie edits an indicator and adds a labelled value; axe on every page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from dashboards.models import Indicator
from governance.models import BoardMember, Role, Theme
from tests.dashboards.factories import approved_upload
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_functional_administrator_creates_a_user_with_organisation_and_role(
    page, live_server, login, assert_accessible
):
    login(make_user(Role.ADMIN, "JENV", username="beheerder"))
    page.goto(f"{live_server.url}/beheer/gebruikers/")
    expect(page.get_by_role("heading", name="Gebruikers", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Nieuwe gebruiker").click()
    expect(page.get_by_role("heading", name="Nieuwe gebruiker")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Gebruikersnaam").fill("m.jansen")
    page.get_by_label("Voornaam").fill("Marieke")
    page.get_by_label("Achternaam").fill("Jansen")
    page.get_by_label("E-mailadres").fill("m.jansen@dtv.example")
    page.get_by_label("Organisatie").select_option(label="DTV – Dienst Terugkeer en Vertrek")
    page.get_by_label("Rol").select_option("partner")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Opgeslagen.")).to_be_visible()
    row = page.locator("tr", has_text="m.jansen")
    expect(row).to_contain_text("DTV")
    expect(row).to_contain_text("Ketenpartner")
    user = get_user_model().objects.get(username="m.jansen")
    assert (user.membership.organisation.code, user.membership.role) == ("DTV", "partner")
    # filtering swaps only the table (htmx) and keeps a shareable URL
    page.locator("select#id_rol").select_option("partner")
    page.get_by_role("button", name="Filteren").click()
    expect(page.locator("#results")).to_contain_text("m.jansen")
    assert_accessible(page)


def test_regie_edits_an_indicator_with_figures_and_adds_a_labelled_value(
    page, live_server, login, regie, assert_accessible
):
    approved_upload("IND", {("asylum_decisions", "2024-01", "outcome=granted"): 5})
    login(regie)
    page.goto(f"{live_server.url}/indicatoren/")
    expect(page.get_by_role("heading", name="Catalogus van indicatoren")).to_be_visible()
    expect(page.locator("#indicator-asylum_decisions")).to_contain_text("Ingewilligd")
    assert_accessible(page)
    page.get_by_role("link", name="Wijzigen Beslissingen in eerste aanleg").click()
    expect(
        page.get_by_role("heading", name="Indicator Beslissingen in eerste aanleg wijzigen")
    ).to_be_visible()
    expect(page.get_by_label("frequentie")).to_be_disabled()
    assert_accessible(page)
    values = page.locator("#id_dimensions-0-values")
    values.fill(values.input_value() + "\nwithdrawn; Ingetrokken; Withdrawn")
    page.get_by_role("button", name="Dimensie toevoegen").click()  # htmx: one more dimension
    expect(page.locator("#id_dimensions-2-name")).to_be_visible()
    expect(page.locator("#id_dimensions-0-values")).to_have_value(
        "granted; Ingewilligd; Granted\nrejected; Afgewezen; Rejected\nother; Overig; Other\n"
        "withdrawn; Ingetrokken; Withdrawn"
    )
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Opgeslagen.")).to_be_visible()
    expect(page.locator("#indicator-asylum_decisions")).to_contain_text("Ingetrokken")
    indicator = Indicator.objects.get(code="asylum_decisions")
    assert indicator.dimensions["outcome"][-1] == "withdrawn"
    assert indicator.frequency == "month"


def test_regie_maintains_a_boards_members_and_themes_in_the_portal(
    page, live_server, login, regie, assert_accessible
):
    login(regie)
    page.goto(f"{live_server.url}/gremia/TB/")
    page.get_by_role("link", name="Gremium beheren").click()
    expect(page.get_by_role("heading", name="Topberaad Migratieketen beheren")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Lid toevoegen").click()
    page.get_by_label("Organisatie").select_option(label="POL – Politie / AVIM")
    page.get_by_label("Rol").select_option("advisor")
    page.get_by_label("Mandaat").fill("Adviseert over vreemdelingentoezicht.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#members")).to_contain_text("Adviseert over vreemdelingentoezicht.")
    page.once("dialog", lambda dialog: dialog.accept())  # hx-confirm
    page.get_by_role("button", name="Verwijderen POL (Adviseur)").click()
    expect(page.locator("#members")).not_to_contain_text("Adviseert over vreemdelingentoezicht.")
    assert not BoardMember.objects.filter(board__code="TB", role="advisor").exists()
    page.goto(f"{live_server.url}/beheer/")
    assert_accessible(page)
    page.get_by_role("link", name="Wijzigen 1. Bewuster werken vanuit de ketengedachte").click()
    page.get_by_label("Titel (Engels)").fill("Working as one chain")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#thema-1")).to_be_visible()
    assert Theme.objects.get(number=1).title_en == "Working as one chain"
