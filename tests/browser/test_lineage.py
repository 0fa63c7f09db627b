"""A figure opens its lineage in a real browser (issue 12): a table cell of Ketenbeeld and a
point of its chart both land on the lineage page of that figure, showing its cells."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from dashboards.rebuild.build import rebuild_dashboards
from tests.dashboards.factories import approved_upload


@pytest.fixture
def applications(seeded):
    cache.clear()
    approved_upload(
        "IND",
        {("asylum_applications", f"2024-{m:02d}", "application_type=first"): 100 + m
         for m in range(1, 7)},
    )  # fmt: skip
    rebuild_dashboards()


def expect_lineage_of_the_first_quarter(page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Herkomst van een cijfer")
    table = page.locator("table.lineage")
    expect(table).to_contain_text("2024-01")
    expect(table).to_contain_text("2024-03")
    expect(table).not_to_contain_text("2024-04")
    expect(page.locator("main")).to_contain_text("Dit cijfer bestaat uit 3 actuele cellen")


@pytest.mark.browser
def test_a_table_cell_of_ketenbeeld_opens_the_lineage_of_its_figure(
    page, live_server, login, viewer, applications
):
    login(viewer)
    page.goto(live_server.url + "/dashboards/?application_type=first")
    block = page.locator("#chart-aanvragen-heading").locator("xpath=..")
    block.get_by_text("Tabel met de cijfers").click()
    block.get_by_role("link", name="306").click()  # 101 + 102 + 103
    expect(page).to_have_url(re.compile(r"/dashboards/herkomst/\?.*period=2024-Q1"))
    assert "application_type=first" in page.url
    expect_lineage_of_the_first_quarter(page)


@pytest.mark.browser
def test_a_point_of_a_chart_opens_the_lineage_of_its_figure(
    page, live_server, login, viewer, applications
):
    login(viewer)
    page.goto(live_server.url + "/dashboards/?application_type=first")
    chart = page.locator("#chart-aanvragen-heading").locator("xpath=..").locator(".chart")
    expect(chart).to_have_attribute("data-drawn", "true")
    bar = chart.locator(".point path").first
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(lambda url: "/dashboards/herkomst/" in url)
    assert "period=2024-Q1" in page.url
    expect_lineage_of_the_first_quarter(page)


@pytest.mark.browser
def test_a_figure_of_a_release_opens_the_lineage_it_had_then_with_its_correction(
    page, live_server, login, viewer, regie, applications
):
    from dashboards.releases.services import create_release

    release = create_release(name="Kwartaal 2024-Q2", by=regie)
    correction = approved_upload(
        "IND", {("asylum_applications", "2024-02", "application_type=first"): 150}
    )
    rebuild_dashboards(upload_ids=[correction.pk])
    cache.clear()
    login(viewer)
    page.goto(live_server.url + f"/dashboards/?application_type=first&release={release.pk}")
    block = page.locator("#chart-aanvragen-heading").locator("xpath=..")
    block.get_by_text("Tabel met de cijfers").click()
    block.get_by_role("link", name="306").click()  # as frozen: 101 + 102 + 103
    expect(page).to_have_url(re.compile(rf"/dashboards/herkomst/\?.*release={release.pk}"))
    expect_lineage_of_the_first_quarter_as_released(page, correction.pk)
    page.get_by_role("link", name="Herkomst van het actuele cijfer").click()
    expect(page.locator("main")).to_contain_text("Dit cijfer bestaat uit 3 actuele cellen")
    expect(page.locator("table.lineage")).to_contain_text("150")


def expect_lineage_of_the_first_quarter_as_released(page, correction: int) -> None:
    main = page.locator("main")
    expect(main).to_contain_text("Release: Kwartaal 2024-Q2")
    expect(main).to_contain_text("Dit cijfer bestond uit 3 cellen")
    expect(main).to_contain_text("1 cel is sindsdien gecorrigeerd")
    february = page.locator("table.lineage tbody tr", has_text="2024-02")
    expect(february).to_contain_text("102")
    expect(february).to_contain_text(f"150 (#{correction},")
