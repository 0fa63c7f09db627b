"""Ketenbeeld, tested without the client: incomplete quarters, overlapping series, the flows."""

from __future__ import annotations

import pytest
from django.conf import settings

from dashboards.models import Frequency
from dashboards.pages import chain
from dashboards.pages.base import indicators_by_code
from dashboards.rebuild import series
from dashboards.rebuild.build import rebuild_dashboards
from tests.dashboards.factories import approved_upload

# Small figures for convenience; suppression is tested in tests/dashboards/suppression/.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_suppression")]


def months(code: str, key: str, values: dict[str, int]) -> dict:
    return {(code, period, key): value for period, value in values.items()}


@pytest.fixture
def five_months():
    """January to May 2024: the first quarter complete, the second two months short."""
    first = {f"2024-{m:02d}": 100 for m in range(1, 6)}
    approved_upload(
        "IND",
        months("asylum_applications", "application_type=first", first)
        | months("asylum_decisions", "outcome=rejected", dict.fromkeys(first, 40))
        | months("asylum_pending", "", {p: 1000 + n for n, p in enumerate(first)}),
    )
    approved_upload(
        "COA",
        months("reception_occupancy", "", dict.fromkeys(first, 30000))
        | months("reception_capacity", "", dict.fromkeys(first, 33000)),
    )
    approved_upload("DTV", months("departures", "departure_type=forced", dict.fromkeys(first, 25)))
    rebuild_dashboards()


def page(**filters):
    result = chain.figures(indicators_by_code(chain.CHAIN), **filters)
    return result, {chart.slug: chart for chart in result["charts"]}


def test_the_flow_chart_opens_on_the_last_complete_quarter_and_marks_the_incomplete_one(
    five_months,
):
    result, charts = page()
    assert result["quarter"] == "2024-Q1"
    assert result["quarters"] == [("2024-Q1", "2024-Q1"), ("2024-Q2", "2024-Q2 (onvolledig)")]
    assert "In 2024-Q1" in charts["stromen"].summary
    _result, chosen = page(quarter="2024-Q2")
    assert "2024-Q2 (onvolledig)" in chosen["stromen"].summary


def test_the_headline_names_the_last_complete_quarter_and_the_incomplete_one_apart(five_months):
    _result, charts = page()
    summary = charts["aanvragen"].summary
    assert summary.startswith("In 2024-Q1: 300 personen.")
    assert "2024-Q2 is nog onvolledig (200 personen" in summary
    assert charts["aanvragen"].incomplete == ["2024-Q2"]


def test_a_stock_of_an_incomplete_quarter_is_not_called_the_end_of_the_quarter(five_months):
    _result, charts = page()
    pending = charts["openstaand"]
    assert pending.summary.startswith("In 2024-Q1: 1.002 aanvragen.")
    assert "laatst aangeleverde maand, niet van het einde" in pending.summary


def test_occupancy_and_capacity_are_not_summed_and_are_in_persons_and_places(five_months):
    _result, charts = page()
    reception = charts["opvang"]
    assert "63.000" not in reception.summary
    assert "30.000 personen (2024-Q1)" in reception.summary
    assert "33.000 plaatsen (2024-Q1)" in reception.summary
    assert reception.columns[1:3] == ["Bezetting opvang (personen)", "Opvangcapaciteit (plaatsen)"]


def test_the_flow_chart_links_no_stage_to_the_next_and_says_what_it_compares(five_months):
    _result, charts = page()
    flows = charts["stromen"]
    assert ["Afgewezen", "Vertrek"] not in [row[:2] for row in flows.rows]
    assert ["Asielaanvragen", "Beslissingen IND"] not in [row[:2] for row in flows.rows]
    assert ["Beslissingen IND", "Beslissingen IND: afgewezen", 120, "beslissingen"] in flows.rows
    assert ["Eerste aanvraag", "Asielaanvragen", 300, "personen"] in flows.rows
    assert "niet verbonden" in flows.summary


def test_the_page_marks_the_incomplete_quarter_in_dutch_and_in_english(client, viewer, five_months):
    client.force_login(viewer)
    dutch = client.get("/dashboards/").content.decode()
    assert '<option value="2024-Q1" selected>2024-Q1</option>' in dutch
    assert "2024-Q2 (onvolledig)" in dutch
    assert '2024-Q2 <span class="incomplete">onvolledig</span>' in dutch
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/dashboards/").content.decode()
    assert "2024-Q2 (incomplete)" in english
    assert '2024-Q2 <span class="incomplete">incomplete</span>' in english
    assert "2024-Q2 is still incomplete" in english


def test_each_indicator_is_read_for_its_own_keys_only():
    indicators = indicators_by_code(chain.CHAIN)
    shown = chain.keys_shown(indicators, {})
    assert shown[indicators["asylum_pending"].pk] == [""]  # no dimensions: its total only
    applications = indicators["asylum_applications"]
    assert set(shown[applications.pk]) == {
        "",
        *(f"application_type={v}" for v in applications.dimensions["application_type"]),
    }


def test_a_dimension_no_chart_shows_is_not_read():
    """Applications by type, nationality and route: the charts show them by type (the dimension
    with the fewest values) and so does the flow chart; no nationality is read until chosen."""
    indicators = indicators_by_code(chain.CHAIN)
    applications = indicators["asylum_applications"]
    types = applications.dimensions["application_type"]
    applications.dimensions = {
        "application_type": types,
        "nationality": [f"n{n:03d}" for n in range(150)],
        "route": ["air", "land", "sea"],
    }
    by_type = {"", *(f"application_type={v}" for v in types)}
    assert set(chain.keys_shown(indicators, {})[applications.pk]) == by_type
    chosen = chain.keys_shown(indicators, {"nationality": "n007", "route": "sea"})
    assert set(chosen[applications.pk]) == by_type | {
        "nationality=n007;route=sea",  # the whole of the chart's series
        *(f"application_type={v};nationality=n007;route=sea" for v in types),
    }


def test_rows_read_per_indicator_are_those_of_its_keys_and_no_others(five_months):
    indicators = indicators_by_code(["asylum_applications", "asylum_decisions"])
    applications, decisions = indicators["asylum_applications"], indicators["asylum_decisions"]
    rows = series.point_rows(
        indicators=[applications, decisions],
        frequency=Frequency.QUARTER,
        viewer=None,
        dimension_keys={applications.pk: ["application_type=first"], decisions.pk: [""]},
    )
    assert {(r["indicator_id"], r["dimension_key"]) for r in rows} == {
        (applications.pk, "application_type=first"),
        (decisions.pk, ""),
    }
    same_for_both = series.point_rows(
        indicators=[applications, decisions],
        frequency=Frequency.QUARTER,
        viewer=None,
        dimension_keys=[""],
    )
    assert {(r["indicator_id"], r["dimension_key"]) for r in same_for_both} == {
        (applications.pk, ""),
        (decisions.pk, ""),
    }
