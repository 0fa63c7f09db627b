"""Chart building: valid plotly figures of SVG trace types, tables with the same numbers."""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go

from dashboards.pages import charts

SVG_TYPES = {"bar", "scatter", "sankey"}


def test_a_series_chart_is_a_valid_plotly_figure_with_the_numbers_of_its_table():
    chart = charts.series_chart(
        slug="x",
        title="Asielaanvragen",
        unit="personen",
        periods=["2024-Q1", "2024-Q2"],
        series=[("Eerste", {"2024-Q1": Decimal("60.0000"), "2024-Q2": Decimal(5)}), ("Nareis", {})],
        complete={"2024-Q1": True, "2024-Q2": False},
    )
    go.Figure(chart.figure)  # raises on any invalid property
    assert {trace["type"] for trace in chart.figure["data"]} <= SVG_TYPES
    assert chart.figure["data"][0]["y"] == [60, 5]
    assert chart.rows == [["2024-Q1", 60, None, "ja"], ["2024-Q2", 5, None, "nee"]]
    assert chart.csv().splitlines() == [
        "Periode;Eerste;Nareis;Volledig",
        "2024-Q1;60;;ja",
        "2024-Q2;5;;nee",
    ]


def test_the_summary_says_the_latest_figure_and_its_change_in_words():
    summary = charts.summarise(
        ["2024-Q1", "2024-Q2"], [("a", {"2024-Q1": 100, "2024-Q2": 80})], "personen"
    )
    assert summary == "In 2024-Q2: 80 personen, 20% minder dan in 2024-Q1."


def test_a_flow_chart_is_a_valid_sankey_without_empty_flows():
    chart = charts.flow_chart(
        slug="f",
        title="Stromen",
        period="2024-Q1",
        links=[("A", "B", 10), ("B", "C", 0), ("B", "D", 4)],
    )
    go.Figure(chart.figure)
    assert chart.rows == [["A", "B", 10], ["B", "D", 4]]
    assert "A → B: 10" in chart.summary


def test_the_summary_of_overlapping_series_gives_each_latest_figure_instead_of_a_sum():
    summary = charts.summarise(
        ["2027", "2028"],
        [("Prognose laag", {"2027": 40000, "2028": 41000}), ("Gerealiseerd", {"2027": 38500})],
        "personen",
        additive=False,
    )
    assert summary == (
        "Laatste cijfers in personen: Prognose laag 41.000 (2028); Gerealiseerd 38.500 (2027)."
    )
