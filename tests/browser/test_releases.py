"""Releases in a real browser: regie freezes the figures, a later correction is approved, the
release page shows old → new and Ketenbeeld with the release still shows the figure as frozen."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from dashboards.models import Release, UploadStatus
from dashboards.rebuild.build import rebuild_dashboards
from tests.dashboards.factories import approved_upload

pytestmark = pytest.mark.browser


@pytest.fixture
def built(seeded):
    cache.clear()
    approved_upload(
        "IND",
        {
            ("asylum_applications", f"2024-{m:02d}", "application_type=first"): 100 * m
            for m in (1, 2, 3)
        },
    )
    rebuild_dashboards()


def test_regie_freezes_a_release_and_sees_what_was_corrected_since(
    live_server, page, login, regie, built, assert_accessible
):
    login(regie)
    page.goto(f"{live_server.url}/dashboards/releases/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Releases van de cijfers")
    assert_accessible(page)
    page.get_by_label("Naam").fill("Kwartaal 2024-Q1")
    page.get_by_role("button", name="Vaststellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kwartaal 2024-Q1")
    expect(page.locator(".release-label")).to_contain_text(
        "Release: Kwartaal 2024-Q1, vastgesteld op"
    )
    expect(page.get_by_text("Sinds deze release is geen cijfer gecorrigeerd.")).to_be_visible()
    release = Release.objects.get()

    # A correction of February arrives and regie approves it in the queue.
    correction = approved_upload(
        "IND",
        {("asylum_applications", "2024-02", "application_type=first"): 250},
        status=UploadStatus.VALID,
    )
    page.goto(f"{live_server.url}/aanleveringen/beoordelen/")
    row = page.get_by_role("row", name=re.compile("cijfers.csv"))
    row.get_by_role("button", name=re.compile("Goedkeuren")).click()
    expect(page.locator(".messages")).to_contain_text("is goedgekeurd")

    # The release page: old → new, by which upload, in labels.
    page.goto(f"{live_server.url}/dashboards/releases/{release.pk}/")
    corrections = page.get_by_role("table", name=re.compile("Cellen waarvan de huidige waarde"))
    february = corrections.get_by_role("row", name=re.compile("2024-02"))
    expect(february).to_contain_text("Asielaanvragen")
    expect(february).to_contain_text("Eerste aanvraag")
    expect(february.get_by_role("cell").nth(4)).to_have_text("200")
    expect(february.get_by_role("cell").nth(5)).to_contain_text("250")
    expect(february).to_contain_text(f"aanlevering #{correction.pk}")
    assert_accessible(page)

    # Ketenbeeld now shows the corrected figure; with the release chosen, the frozen one.
    page.goto(f"{live_server.url}/dashboards/")
    applications = page.locator("section.chart-block", has=page.locator("#chart-aanvragen-heading"))
    expect(page.locator("#results")).to_contain_text("650")
    page.get_by_label("Release").select_option(label="Kwartaal 2024-Q1")
    expect(page.locator("#results .release-label")).to_contain_text(
        "Release: Kwartaal 2024-Q1, vastgesteld op"
    )
    expect(page).to_have_url(re.compile(rf"release={release.pk}"))
    expect(applications).to_contain_text("600")
    expect(page.locator("#results")).not_to_contain_text("650")
    assert_accessible(page)
