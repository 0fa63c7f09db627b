"""Planning in a real browser: a partner bulk-updates its milestones (and is refused as a whole
when one cannot take the change), and anyone finds a milestone through the search box."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Milestone, MilestoneStatus
from tests.factories import ActionFactory, DecisionFactory, MilestoneFactory, org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def of(owner: str, title: str, due: datetime.date) -> Milestone:
    return MilestoneFactory(
        action=ActionFactory(owner=org(owner), title=f"Actie van {owner}"),
        title=title,
        due_date=due,
        baseline_due_date=due,
    )


def test_a_partner_bulk_updates_its_own_milestones(
    page, live_server, login, ind_partner, assert_accessible
):
    first = of("IND", "Werkinstructie vastgesteld", days(20))
    second = of("IND", "Medewerkers getraind", days(40))
    of("COA", "Locatie geopend", days(30))
    login(ind_partner)
    page.goto(f"{live_server.url}/mijlpalen/bijwerken/")
    expect(page.get_by_role("heading", name="Mijlpalen bijwerken")).to_be_visible()
    expect(page.get_by_text("Locatie geopend")).to_have_count(0)  # another partner's
    assert_accessible(page)

    page.get_by_label("Kies Werkinstructie vastgesteld").check()
    page.get_by_label("Kies Medewerkers getraind").check()
    page.get_by_label("Nieuwe deadline").fill(days(60).isoformat())
    page.get_by_label("Reden van de herplanning").fill("Wachten op het nieuwe systeem")
    page.get_by_role("button", name="Gekozen mijlpalen bijwerken").click()

    expect(page.get_by_text("2 mijlpalen zijn bijgewerkt.")).to_be_visible()
    expect(page.get_by_role("row", name="Werkinstructie vastgesteld")).to_contain_text("+40 dagen")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.due_date, first.replan_count, second.due_date) == (days(60), 1, days(60))


def test_a_bulk_update_one_milestone_refuses_changes_nothing_and_names_it(
    page, live_server, login, ind_partner
):
    moving = of("IND", "Werkinstructie vastgesteld", days(20))
    already = of("IND", "Medewerkers getraind", days(60))
    login(ind_partner)
    page.goto(f"{live_server.url}/mijlpalen/bijwerken/")
    page.get_by_label("Kies Werkinstructie vastgesteld").check()
    page.get_by_label("Kies Medewerkers getraind").check()
    page.get_by_label("Nieuwe status").select_option(MilestoneStatus.IN_PROGRESS)
    page.get_by_label("Toelichting bij de status").fill("Gestart")
    page.get_by_label("Nieuwe deadline").fill(days(60).isoformat())
    page.get_by_label("Reden van de herplanning").fill("Later")
    page.get_by_role("button", name="Gekozen mijlpalen bijwerken").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Er is niets gewijzigd")
    expect(alert).to_contain_text(
        "Medewerkers getraind (IND): De nieuwe deadline is gelijk aan de huidige."
    )
    expect(page.get_by_label("Kies Werkinstructie vastgesteld")).to_be_checked()
    moving.refresh_from_db()
    already.refresh_from_db()
    assert (moving.due_date, moving.status) == (days(20), MilestoneStatus.PLANNED)
    assert (already.status, already.updates.count()) == (MilestoneStatus.PLANNED, 0)


def test_the_search_box_finds_a_milestone_and_a_decision(
    page, live_server, login, viewer, assert_accessible
):
    milestone = of("IND", "Nulmeting doorlooptijden opgeleverd", days(10))
    DecisionFactory(title="Doorlooptijden halveren", text="Het Topberaad besluit tot halvering.")
    login(viewer)
    page.goto(f"{live_server.url}/")
    box = page.get_by_role("searchbox", name="Doorzoek het portaal")
    box.fill("doorlooptijd")
    box.press("Enter")

    expect(page.get_by_role("heading", name="Zoeken", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Mijlpalen")).to_be_visible()
    expect(page.get_by_role("heading", name="Besluiten")).to_be_visible()
    expect(page.get_by_role("link", name="Doorlooptijden halveren")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Nulmeting doorlooptijden opgeleverd").click()
    expect(page).to_have_url(f"{live_server.url}/mijlpalen/{milestone.pk}/")
    expect(page.get_by_role("heading", name="Nulmeting doorlooptijden opgeleverd")).to_be_visible()


def test_the_search_page_narrows_to_one_kind_in_place(page, live_server, login, regie):
    of("IND", "Opvang gepland", days(10))
    DecisionFactory(title="Opvang uitbreiden")
    login(regie)
    page.goto(f"{live_server.url}/zoeken/?q=opvang")
    expect(page.get_by_role("heading", name="Besluiten")).to_be_visible()
    page.get_by_label("Soort").select_option("milestones")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("heading", name="Mijlpalen")).to_be_visible()
    expect(page.get_by_role("heading", name="Besluiten")).to_have_count(0)
    expect(page).to_have_url(f"{live_server.url}/zoeken/?q=opvang&soort=milestones")
