"""The story behind a figure on the dashboards (issue 12): every table cell and chart point opens
its lineage with the figure's own filters, and duiding is drawn on every chart of its indicator
and period, with its text in the chart's table."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import plotly.graph_objects as go
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.annotations.services import add_annotation, withdraw_annotation
from dashboards.models import Indicator
from dashboards.pages import chain, forecast, organisation
from dashboards.pages.base import indicators_by_code
from dashboards.rebuild.build import rebuild_dashboards
from governance.models import Organisation
from tests.dashboards.factories import approved_upload

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a href="([^"]+)" class="lineage-link">([^<]+)</a>')


@pytest.fixture
def figures():
    approved_upload(
        "IND",
        {("asylum_applications", f"2024-{m:02d}", "application_type=first"): 10 * m for m in range(1, 7)}
        | {("asylum_applications", f"2024-{m:02d}", "application_type=follow_up"): m for m in range(1, 7)},
    )  # fmt: skip
    rebuild_dashboards()


def by_slug(result) -> dict:
    return {chart.slug: chart for chart in result["charts"]}


def query_of(url: str) -> dict[str, str]:
    parts = urlsplit(unescape(url))
    assert parts.path == "/dashboards/herkomst/"
    return {name: values[0] for name, values in parse_qs(parts.query).items()}


def test_every_figure_of_the_chain_links_to_its_lineage_with_the_figures_filters(figures):
    ind = Organisation.objects.get(code="IND")
    result = chain.figures(
        indicators_by_code(chain.CHAIN), organisation=ind, selection={"application_type": "first"}
    )
    chart = by_slug(result)["aanvragen"]
    assert chart.rows == [["2024-Q1", 60, "ja"], ["2024-Q2", 150, "ja"]]
    assert query_of(chart.links[0][1]) == {
        "indicator": "asylum_applications",
        "frequency": "quarter",
        "period": "2024-Q1",
        "organisation": "IND",
        "application_type": "first",
    }
    assert chart.links[0][0] is None and chart.links[0][2] is None  # period and "Volledig"
    # Each point carries the same address as its cell, for a click on the chart.
    assert chart.figure["data"][0]["customdata"] == [chart.links[0][1], chart.links[1][1]]
    go.Figure(chart.figure)


def test_a_series_per_dimension_value_links_each_value(figures):
    chart = by_slug(chain.figures(indicators_by_code(chain.CHAIN)))["aanvragen"]
    names = chart.columns[1:-1]
    links = {
        name: query_of(url) for name, url in zip(names, chart.links[0][1:-1], strict=True) if url
    }
    assert {q["application_type"] for q in links.values()} == {"first", "follow_up"}
    assert all("organisation" not in q for q in links.values())  # the chain's figure


def test_the_flows_link_each_flow_to_its_lineage(figures):
    chart = by_slug(chain.figures(indicators_by_code(chain.CHAIN), quarter="2024-Q1"))["stromen"]
    urls = [row[2] for row in chart.links]
    assert urls and all(urls)
    assert query_of(urls[0])["period"] == "2024-Q1"
    assert chart.figure["data"][0]["link"]["customdata"] == urls


def test_the_table_cells_of_the_page_open_the_lineage_of_their_figure(client, viewer, figures):
    client.force_login(viewer)
    html = client.get("/dashboards/", {"application_type": "first"}).content.decode()
    links = LINK.findall(html)
    first = next(url for url, value in links if value.strip() == "60")
    assert query_of(first)["application_type"] == "first"
    lineage = client.get(unescape(first))
    assert lineage.status_code == 200
    text = lineage.content.decode()
    assert "2024-01" in text and "2024-03" in text and "2024-04" not in text


def test_the_organisation_page_links_its_own_figures_per_month(client, viewer, figures):
    client.force_login(viewer)
    html = client.get(
        "/dashboards/organisatie/", {"organisation": "IND", "frequentie": "month"}
    ).content.decode()
    queries = [query_of(url) for url, _value in LINK.findall(html)]
    assert {"indicator": "asylum_applications", "frequency": "month", "period": "2024-01",
            "organisation": "IND"} in queries  # fmt: skip


def test_a_note_is_drawn_on_every_chart_of_its_indicator_and_period(figures, ind_partner):
    add_annotation(
        by=ind_partner, indicator=Indicator.objects.get(code="asylum_applications"),
        period="2024-02", text="Ter Apel overvol",
    )  # fmt: skip
    chart = by_slug(chain.figures(indicators_by_code(chain.CHAIN)))["aanvragen"]
    drawn = chart.figure["layout"]["annotations"]
    assert [a["x"] for a in drawn] == ["2024-Q1"]
    assert "Ter Apel overvol" in drawn[0]["hovertext"]
    assert chart.columns[-1] == "Duiding"
    assert chart.rows[0][-1] == "2024-02: Ter Apel overvol (IND)"
    assert chart.rows[1][-1] == ""
    go.Figure(chart.figure)  # a valid plotly figure
    assert (
        "Duiding"
        not in by_slug(chain.figures(indicators_by_code(chain.CHAIN)))["openstaand"].columns
    )

    monthly = organisation.figures(Organisation.objects.get(code="IND"), frequency="month")
    chart = by_slug(monthly)["asylum_applications"]
    assert [a["x"] for a in chart.figure["layout"]["annotations"]] == ["2024-02"]
    assert chart.rows[1][-1] == "Ter Apel overvol (IND)"

    yearly = forecast.figures(
        Indicator.objects.select_related("realised_by").get(code=forecast.FORECAST)
    )
    chart = by_slug(yearly)["prognose"]
    assert [a["x"] for a in chart.figure["layout"]["annotations"]] == ["2024"]


def test_a_withdrawn_note_leaves_the_charts_and_the_cached_page(
    client, viewer, figures, ind_partner, django_capture_on_commit_callbacks
):
    client.force_login(viewer)
    indicator = Indicator.objects.get(code="asylum_applications")
    assert "Ter Apel overvol" not in client.get("/dashboards/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        note = add_annotation(by=ind_partner, indicator=indicator, period="2024-Q2",
                              text="Ter Apel overvol")  # fmt: skip
    assert "Ter Apel overvol" in client.get("/dashboards/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_annotation(by=ind_partner, annotation=note)
    assert "Ter Apel overvol" not in client.get("/dashboards/").content.decode()


def test_the_notes_cost_one_query_however_many_there_are(
    client, viewer, figures, ind_partner, settings
):
    settings.DASHBOARD_CACHE_SECONDS = 0
    settings.SUPPRESSION_CACHE_SECONDS = 0  # nothing kept: every request reads all it shows
    client.force_login(viewer)
    client.get("/dashboards/uitvoering/")
    indicator = Indicator.objects.get(code="asylum_applications")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/dashboards/").status_code == 200
        return len(captured)

    add_annotation(by=ind_partner, indicator=indicator, period="2024-01", text="Eén")
    one = queries()
    for month in range(2, 7):
        add_annotation(by=ind_partner, indicator=indicator, period=f"2024-{month:02d}", text="Meer")
    assert queries() == one


@pytest.mark.parametrize(
    "path", ["/dashboards/consistentie/", "/dashboards/datakwaliteit/?van=2024&tot=2024"]
)
def test_both_sides_of_a_consistency_rule_open_their_lineage(client, viewer, path):
    approved_upload(
        "COA",
        {("reception_occupancy", f"2024-{m:02d}", ""): 90 for m in (1, 2, 3)}
        | {("reception_capacity", f"2024-{m:02d}", ""): 100 for m in (1, 2, 3)},
    )
    rebuild_dashboards()
    client.force_login(viewer)
    html = client.get(path).content.decode()
    queries = [query_of(url) for url, _value in LINK.findall(html)]
    for code in ("reception_occupancy", "reception_capacity"):
        assert {"indicator": code, "frequency": "quarter", "period": "2024-Q1"} in queries
