"""A viewer opens the dashboards on the last complete quarter and sees an incomplete one marked
(issue 11: no page may mislead a minister)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from dashboards.rebuild.build import rebuild_dashboards
from tests.dashboards.factories import approved_upload


@pytest.fixture
def five_months(seeded):
    """January to May 2024: 2024-Q1 complete, 2024-Q2 without June."""
    cache.clear()
    figures = {}
    for month in range(1, 6):
        period = f"2024-{month:02d}"
        figures[("asylum_applications", period, "application_type=first")] = 100
        figures[("asylum_decisions", period, "outcome=rejected")] = 40
        figures[("asylum_pending", period, "")] = 1000 + month
    approved_upload("IND", figures)
    rebuild_dashboards()


@pytest.mark.browser
def test_a_viewer_sees_the_last_complete_quarter_by_default_and_the_incomplete_one_marked(
    page, live_server, login, viewer, five_months, assert_accessible
):
    login(viewer)
    page.goto(live_server.url + "/dashboards/")
    # The flow chart opens on the last complete quarter; the partial one is labelled as such.
    quarter = page.get_by_label("Kwartaal van het stroomdiagram")
    expect(quarter).to_have_value("2024-Q1")
    expect(quarter.locator("option", has_text="2024-Q2 (onvolledig)")).to_have_count(1)
    flows = page.get_by_role("region", name="Stromen door de keten in één kwartaal")
    expect(flows.locator(".summary")).to_contain_text("In 2024-Q1")

    applications = page.get_by_role("region", name="Asielaanvragen per soort")
    summary = applications.locator(".summary")
    expect(summary).to_contain_text("In 2024-Q1: 300 personen.")
    expect(summary).to_contain_text("2024-Q2 is nog onvolledig")
    # Drawn apart in the chart, with its own legend entry ...
    chart = applications.locator("[data-figure]")
    expect(chart).to_have_attribute("data-drawn", "true")
    expect(chart.locator(".legend .legendtext", has_text="onvolledig")).to_have_count(1)
    # ... and marked in the table.
    applications.get_by_text("Tabel met de cijfers").click()
    row = applications.get_by_role("row", name=re.compile("^2024-Q2"))
    expect(row.locator(".incomplete")).to_have_text("onvolledig")
    expect(row).to_contain_text("nee")

    # A stock of the partial quarter is not called its end.
    pending = page.get_by_role("region", name=re.compile("^Openstaande asielaanvragen"))
    expect(pending.locator(".summary")).to_contain_text("niet van het einde van de periode")
    assert_accessible(page)

    # Choosing the incomplete quarter says so.
    quarter.select_option("2024-Q2")
    expect(page).to_have_url(re.compile(r"kwartaal=2024-Q2"))
    expect(flows.locator(".summary")).to_contain_text("2024-Q2 (onvolledig)")
