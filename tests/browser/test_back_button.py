"""The Back button after htmx pushed a filter into the URL: always the whole page, never a part.

Two ways it can go wrong: the browser's cache answers Back with the htmx partial it fetched for
that URL (prevented by `Vary: HX-Request`), or htmx, missing the page in its own history cache,
asks the server with `HX-History-Restore-Request` and gets a partial (prevented by answering
that request with the whole page, `ketenportaal.htmx.wants_partial`).
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from dashboards.rebuild.build import rebuild_dashboards
from governance.models import DecisionStatus
from tests.dashboards.factories import approved_upload
from tests.factories import DecisionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def decisions(seeded):
    DecisionFactory(title="Extra opvangplaatsen", status=DecisionStatus.ADOPTED)
    DecisionFactory(title="Versnelde procedure", status=DecisionStatus.PROPOSED)


@pytest.fixture
def built(seeded):
    cache.clear()
    approved_upload(
        "IND",
        {
            ("asylum_pending", "2024-03", ""): 1000,
            ("asylum_pending", "2025-03", ""): 1100,
        },
    )
    rebuild_dashboards()


def whole_page(page, heading: str) -> None:
    """The page as a whole: its main navigation, its heading and its filter form."""
    expect(page.get_by_role("navigation").first).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("form[hx-get]")).to_have_count(1)


def change_filter_leave_and_come_back(page, url: str, change, heading: str) -> None:
    page.goto(url)
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        change()
    expect(page).to_have_url(re.compile(r"\?"))
    filtered = page.url
    page.get_by_role("link", name="Overzicht").first.click()
    expect(page).not_to_have_url(filtered)
    page.go_back()
    expect(page).to_have_url(filtered)
    whole_page(page, heading)


def back_through_a_history_restore(page, url: str, change, heading: str) -> None:
    """Two filter changes, htmx's history cache emptied, Back: htmx asks the server."""
    page.goto(url)
    for step in change:
        with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
            step()
    page.evaluate("localStorage.removeItem('htmx-history-cache')")
    with page.expect_request(
        lambda r: r.headers.get("hx-history-restore-request") == "true"
    ) as restore:
        page.go_back()
    response = restore.value.response()
    assert response is not None
    assert "HX-Request" in (response.headers.get("vary") or "")
    assert "<html" in response.text()
    whole_page(page, heading)


def test_back_to_a_filtered_decisions_list_shows_the_whole_page(
    live_server, page, login, regie, decisions
):
    login(regie)
    change_filter_leave_and_come_back(
        page,
        f"{live_server.url}/besluiten/",
        lambda: page.get_by_label("Status").select_option("adopted"),
        "Besluitenlijst",
    )
    expect(page.get_by_text("Extra opvangplaatsen")).to_be_visible()


def test_back_to_a_filtered_dashboard_shows_the_whole_page(live_server, page, login, regie, built):
    login(regie)
    change_filter_leave_and_come_back(
        page,
        f"{live_server.url}/dashboards/",
        lambda: page.get_by_label("Vanaf jaar").select_option("2025"),
        "Ketenbeeld",
    )


def test_a_history_restore_of_the_decisions_list_gets_the_whole_page(
    live_server, page, login, regie, decisions
):
    login(regie)
    status = page.get_by_label("Status")
    back_through_a_history_restore(
        page,
        f"{live_server.url}/besluiten/",
        [lambda: status.select_option("adopted"), lambda: status.select_option("proposed")],
        "Besluitenlijst",
    )


def test_a_history_restore_of_a_dashboard_gets_the_whole_page(
    live_server, page, login, regie, built
):
    login(regie)
    start = page.get_by_label("Vanaf jaar")
    back_through_a_history_restore(
        page,
        f"{live_server.url}/dashboards/",
        [lambda: start.select_option("2024"), lambda: start.select_option("2025")],
        "Ketenbeeld",
    )
