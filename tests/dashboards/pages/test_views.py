"""Dashboard pages: a fixed number of queries whatever the data, CSV, permissions, rebuild log."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.models import Rebuild, RebuildStatus
from dashboards.rebuild.build import rebuild_dashboards
from governance.models import Organisation
from tests.dashboards.factories import approved_upload
from tests.factories import MilestoneFactory

PAGES = [
    "/dashboards/",
    "/dashboards/?van=2020&tot=2024&application_type=first",
    "/dashboards/prognose/",
    "/dashboards/organisatie/?organisation=IND&frequentie=month",
    "/dashboards/uitvoering/",
    "/dashboards/uitvoering/?organisation=IND",
    "/dashboards/datakwaliteit/",
]


def ten_figures() -> None:
    approved_upload(
        "IND",
        {("asylum_applications", f"2024-{m:02d}", "application_type=first"): m for m in range(1, 9)}
        | {("asylum_pending", "2024-01", ""): 5, ("asylum_lead_time", "2024-Q1", ""): 30},
    )


def hundred_thousand_figures() -> None:
    types = ["first", "follow_up", "family_reunification"]
    for n in range(28):
        code = f"X{n:02d}"
        Organisation.objects.create(code=code, name=f"Testorganisatie {n}")
        approved_upload(
            code,
            {
                ("asylum_applications", f"{year}-{month:02d}", f"application_type={t}"): year
                + month
                for year in range(1925, 2025)
                for month in range(1, 13)
                for t in types
            },
        )


def queries_per_page(client) -> dict[str, int]:
    # The first request of a session records its login session (issue 15): not a page's cost.
    assert client.get("/dashboards/uitvoering/").status_code == 200
    counts = {}
    for url in PAGES:
        cache.clear()  # each page cold: no rendered page, no suppression worked out before
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)
    return counts


def test_dashboards_run_the_same_queries_for_10_and_100000_observations(client, viewer):
    client.force_login(viewer)
    MilestoneFactory(overdue=True)
    ten_figures()
    rebuild_dashboards()
    small = queries_per_page(client)
    hundred_thousand_figures()
    rebuild_dashboards()
    assert queries_per_page(client) == small
    # A fixed handful per page (the release selector's list of releases, the page's duiding,
    # and on Prognose the forecast's rounds among them).
    assert max(small.values()) <= 17


def test_a_chart_downloads_as_csv_with_the_numbers_of_its_table(client, viewer):
    ten_figures()
    rebuild_dashboards()
    client.force_login(viewer)
    response = client.get("/dashboards/?application_type=first&csv=aanvragen")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines() == [
        "Kwartaal;Eerste aanvraag;Volledig",
        "2024-Q1;6;ja",
        "2024-Q2;15;ja",
        "2024-Q3;15;nee",
    ]
    page = client.get("/dashboards/?application_type=first").content.decode()

    def cell(period: str) -> str:  # the figure, linked to its lineage
        lineage = (
            "/dashboards/herkomst/?indicator=asylum_applications&amp;frequency=quarter"
            f"&amp;period={period}&amp;application_type=first"
        )
        return f'<td class="num"><a href="{lineage}" class="lineage-link">15</a></td>'

    assert '<th scope="row">2024-Q2</th>' + cell("2024-Q2") in page
    incomplete = '<th scope="row">2024-Q3 <span class="incomplete">onvolledig</span></th>'
    assert incomplete + cell("2024-Q3") in page


def test_every_dashboard_says_when_its_figures_were_built(client, viewer):
    client.force_login(viewer)
    assert "nog geen herberekening" in client.get("/dashboards/").content.decode()
    rebuild_dashboards()
    for url in PAGES:
        assert "Cijfers bijgewerkt op" in client.get(url).content.decode()


def test_a_bad_period_range_is_explained_and_shows_everything(client, viewer):
    client.force_login(viewer)
    page = client.get("/dashboards/?van=2025&tot=2020").content.decode()
    assert "ligt na" in page


def test_htmx_gets_only_the_results(client, viewer):
    client.force_login(viewer)
    page = client.get("/dashboards/prognose/", headers={"HX-Request": "true"}).content.decode()
    assert page.lstrip().startswith('<div id="results"')


@pytest.mark.parametrize("user", ["viewer", "ind_partner"])
def test_only_regie_reads_the_rebuild_log(db, client, user, request):
    client.force_login(request.getfixturevalue(user))
    assert client.get("/dashboards/herberekeningen/").status_code == 403
    assert client.post("/dashboards/herberekeningen/").status_code == 403
    assert not Rebuild.objects.exists()


def test_regie_starts_a_rebuild_from_the_portal(regie_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = regie_client.post("/dashboards/herberekeningen/")
    rebuild = Rebuild.objects.get()
    assert response.status_code == 302
    assert response.url == f"/dashboards/herberekeningen/{rebuild.pk}/"
    rebuild.refresh_from_db()
    assert rebuild.status == RebuildStatus.SUCCEEDED
    assert regie_client.get("/dashboards/herberekeningen/").status_code == 200
    partial = regie_client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial  # finished: polling stops
