"""Every dashboard in a real browser: drawn under the strict CSP, filterable, accessible."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from dashboards.rebuild.build import rebuild_dashboards
from tests.dashboards.factories import approved_upload
from tests.factories import MilestoneFactory

DASHBOARDS = [
    ("/dashboards/", "Ketenbeeld"),
    ("/dashboards/prognose/", "Prognose en realisatie"),
    ("/dashboards/organisatie/", "Per organisatie"),
    ("/dashboards/uitvoering/", "Implementatievoortgang"),
    ("/dashboards/datakwaliteit/", "Datakwaliteit"),
]


@pytest.fixture
def built(seeded):
    cache.clear()
    figures = {}
    for month in range(1, 7):
        figures[("asylum_applications", f"2024-{month:02d}", "application_type=first")] = (
            100 + month
        )
        figures[("asylum_applications", f"2024-{month:02d}", "application_type=follow_up")] = 10
        figures[("asylum_decisions", f"2024-{month:02d}", "outcome=granted")] = 50
        figures[("asylum_decisions", f"2024-{month:02d}", "outcome=rejected")] = 30
        figures[("asylum_pending", f"2024-{month:02d}", "")] = 1000 + month
    approved_upload("IND", figures)
    approved_upload(
        "COA",
        {("reception_occupancy", "2024-03", ""): 500, ("reception_capacity", "2024-03", ""): 600},
    )
    approved_upload("DTV", {("departures", "2024-02", "departure_type=forced"): 12})
    approved_upload("JENV", {("forecast_asylum_inflow", "2024", "scenario=expected"): 40000})
    MilestoneFactory(overdue=True)
    MilestoneFactory(done=True)
    rebuild_dashboards()


def watch_csp(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: (
            violations.append(msg.text)
            if msg.type == "error"
            and ("Content Security Policy" in msg.text or "unsafe-eval" in msg.text)
            else None
        ),
    )
    page.on("pageerror", lambda exc: violations.append(str(exc)))
    return violations


@pytest.mark.browser
@pytest.mark.parametrize(("path", "heading"), DASHBOARDS)
def test_every_dashboard_draws_its_charts_under_the_csp_and_passes_axe(
    page, live_server, login, viewer, built, assert_accessible, path, heading
):
    login(viewer)
    violations = watch_csp(page)
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator(".built-at")).to_contain_text("Cijfers bijgewerkt op")
    expect(page.locator("[data-figure]").first).to_have_attribute("data-drawn", "true")
    expect(page.locator(".chart .main-svg").first).to_be_attached()
    assert page.locator(".modebar").count() == 0
    assert violations == []
    assert_accessible(page)


@pytest.mark.browser
def test_filtering_the_chain_view_by_type_updates_the_table_and_the_url(
    page, live_server, login, viewer, built
):
    login(viewer)
    page.goto(live_server.url + "/dashboards/")
    page.get_by_label("Soort aanvraag").select_option("follow_up")
    expect(page).to_have_url(re.compile(r"application_type=follow_up"))
    block = page.locator(
        "section", has=page.get_by_role("heading", name="Asielaanvragen per soort")
    )
    block.get_by_text("Tabel met de cijfers").click()
    table = block.get_by_role("table")
    expect(table.get_by_role("columnheader", name="Opvolgende aanvraag")).to_be_visible()
    expect(table.get_by_role("row", name=re.compile("2024-Q1"))).to_contain_text("30")
    # The same URL works without JavaScript: shareable.
    page.goto(page.url)
    expect(page.get_by_label("Soort aanvraag")).to_have_value("follow_up")


@pytest.mark.browser
def test_filtering_by_year_range_reads_the_total_in_the_table(
    page, live_server, login, regie, built
):
    login(regie)
    page.goto(live_server.url + "/dashboards/organisatie/?organisation=IND&frequentie=year")
    page.get_by_label("Vanaf jaar").select_option("2024")
    expect(page).to_have_url(re.compile(r"van=2024"))
    block = page.get_by_role("region", name="Asielaanvragen", exact=True)
    block.get_by_text("Tabel met de cijfers").click()
    # 6 months of (100+m) + 10: 621 + 60 = 681, half a year: incomplete.
    row = block.get_by_role("row", name=re.compile("^2024"))
    expect(row).to_contain_text("681")
    expect(row).to_contain_text("nee")


@pytest.mark.browser
def test_regie_starts_a_rebuild_and_sees_it_finish(
    page, live_server, login, regie, built, assert_accessible
):
    login(regie)
    page.goto(live_server.url + "/dashboards/herberekeningen/")
    assert_accessible(page)
    page.get_by_role("button", name="Herberekening starten").click()
    expect(page.locator(".rebuild-state")).to_have_text("geslaagd")
    expect(page.locator("#rebuild-progress")).to_have_attribute("value", "100")
    assert_accessible(page)
