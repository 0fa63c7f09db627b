"""Chart building: valid plotly figures of SVG trace types, tables with the same numbers."""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go
import pytest
from django.utils import translation

from dashboards.pages import charts

# Small figures for convenience; suppression is tested in tests/dashboards/suppression/.
pytestmark = pytest.mark.usefixtures("no_suppression")

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
    first, incomplete, _nareis = chart.figure["data"]
    assert first["y"] == [60, None]  # the incomplete quarter is drawn apart
    assert (incomplete["x"], incomplete["y"]) == (["2024-Q2"], [5])
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
        links=[("A", "B", 10, "personen"), ("B", "C", 0, "personen"), ("B", "D", 4, "personen")],
    )
    go.Figure(chart.figure)
    assert chart.rows == [["A", "B", 10, "personen"], ["B", "D", 4, "personen"]]
    assert "A → B: 10 personen" in chart.summary


def test_the_summary_of_overlapping_series_gives_each_latest_figure_instead_of_a_sum():
    summary = charts.summarise(
        ["2027", "2028"],
        [("Prognose laag", {"2027": 40000, "2028": 41000}), ("Gerealiseerd", {"2027": 38500})],
        "personen",
        additive=False,
    )
    assert summary == (
        "Laatste volledige cijfers in personen: Prognose laag 41.000 (2028); Gerealiseerd 38.500 "
        "(2027). Deze reeksen overlappen en worden niet opgeteld."
    )


# ---------------------------------------------------------------- incomplete is visible (issue 11)

QUARTERS = ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
VALUES = dict(zip(QUARTERS, [100, 150, 110, 120, 125, 90], strict=True))
TWO_MONTHS_OF_Q4 = {q: q != "2026-Q4" for q in QUARTERS}


def test_an_incomplete_bar_is_hatched_and_lighter_with_one_legend_entry():
    chart = charts.series_chart(
        slug="x", title="Aanvragen", unit="personen", periods=QUARTERS, stacked=True,
        series=[("Eerste", VALUES), ("Nareis", VALUES)], complete=TWO_MONTHS_OF_Q4,
    )  # fmt: skip
    go.Figure(chart.figure)
    parts = [t for t in chart.figure["data"] if t.get("legendgroup") == "incomplete"]
    assert [(t["x"], t["marker"]["pattern"]["shape"]) for t in parts] == [(["2026-Q4"], "/")] * 2
    assert all(t["opacity"] < 1 for t in parts)
    assert [t["name"] for t in parts if t["showlegend"]] == ["onvolledig"]
    assert chart.incomplete == ["2026-Q4"]


def test_an_incomplete_line_goes_on_dotted_from_the_last_complete_point():
    chart = charts.series_chart(
        slug="x", title="Stand", unit="personen", periods=QUARTERS, kind="line",
        series=[("Totaal", VALUES)], complete=TWO_MONTHS_OF_Q4,
    )  # fmt: skip
    go.Figure(chart.figure)
    whole, part = chart.figure["data"]
    assert whole["y"][-1] is None
    assert (part["x"], part["y"], part["line"]["dash"]) == (
        ["2026-Q3", "2026-Q4"],
        [125, 90],
        "dot",
    )


def test_the_headline_is_the_last_complete_quarter_against_the_previous_and_a_year_earlier():
    summary = charts.summarise(QUARTERS, [("a", VALUES)], "personen", complete=TWO_MONTHS_OF_Q4)
    assert summary.startswith(
        "In 2026-Q3: 125 personen, 4% meer dan in 2026-Q2 en 25% meer dan in 2025-Q3."
    )
    assert "2026-Q4 is nog onvolledig (90 personen" in summary
    assert "2019" not in summary and "minder dan in 2025-Q4" not in summary


def test_the_headline_never_compares_with_an_incomplete_quarter():
    complete = TWO_MONTHS_OF_Q4 | {"2026-Q2": False}
    summary = charts.summarise(QUARTERS, [("a", VALUES)], "personen", complete=complete)
    assert summary.startswith("In 2026-Q3: 125 personen, 25% meer dan in 2025-Q3.")
    assert "2026-Q2" not in summary


def test_without_a_complete_period_the_headline_says_so():
    summary = charts.summarise(
        ["2026-Q4"], [("a", {"2026-Q4": 90})], "personen", complete={"2026-Q4": False}
    )
    assert summary.startswith("Er is nog geen volledige periode.")
    assert "2026-Q4 is nog onvolledig" in summary


def test_a_stock_of_an_incomplete_quarter_is_not_called_its_end():
    summary = charts.summarise(
        QUARTERS, [("a", VALUES)], "aanvragen", complete=TWO_MONTHS_OF_Q4, stock=True
    )
    assert "stand van de laatst aangeleverde maand, niet van het einde van de periode" in summary


# ---------------------------------------------------------------- overlapping series, own units


def test_occupancy_and_capacity_are_never_summed_and_keep_their_own_units():
    chart = charts.series_chart(
        slug="opvang", title="Bezetting tegen capaciteit", unit="personen", kind="line",
        periods=["2026-Q2", "2026-Q3"], complete={},
        series=[("Bezetting (personen)", {"2026-Q2": 30000, "2026-Q3": 31000}),
                ("Capaciteit (plaatsen)", {"2026-Q2": 33000, "2026-Q3": 34000})],
        units=["personen", "plaatsen"], overlapping=True,
    )  # fmt: skip
    assert "65.000" not in chart.summary and "64.000" not in chart.summary
    assert "Bezetting (personen) 31.000 personen (2026-Q3)" in chart.summary
    assert "Capaciteit (plaatsen) 34.000 plaatsen (2026-Q3)" in chart.summary
    assert "niet opgeteld" in chart.summary
    assert chart.figure["layout"]["yaxis"]["title"]["text"] == "personen / plaatsen"


def test_the_flow_chart_says_its_unit_and_what_it_compares():
    chart = charts.flow_chart(
        slug="f", title="Stromen", period="2026-Q3", note="De delen zijn niet verbonden.",
        links=[("Beslissingen", "Afgewezen", 40, "beslissingen")], complete=False,
    )  # fmt: skip
    assert "40 beslissingen" in chart.summary
    assert "2026-Q3 (onvolledig)" in chart.summary
    assert chart.summary.endswith("De delen zijn niet verbonden.")
    assert chart.rows == [["Beslissingen", "Afgewezen", 40, "beslissingen"]]


def test_the_headline_reads_in_english_too():
    with translation.override("en"):
        summary = charts.summarise(QUARTERS, [("a", VALUES)], "persons", complete=TWO_MONTHS_OF_Q4)
    assert summary.startswith(
        "In 2026-Q3: 125 persons, 4% more than in 2026-Q2 and 25% more than in 2025-Q3."
    )
    assert "2026-Q4 is still incomplete" in summary


def test_only_the_series_that_is_incomplete_is_drawn_so_with_one_legend_entry():
    years = ["2025", "2026"]
    chart = charts.series_chart(
        slug="prognose", title="Prognose", unit="personen", periods=years, kind="line",
        series=[("Prognose verwacht", {"2025": 40000, "2026": 42000}),
                ("Gerealiseerd", {"2025": 39000, "2026": 30000})],
        complete={"2026": False}, overlapping=True,
        series_complete=[{}, {"2026": False}],
    )  # fmt: skip
    go.Figure(chart.figure)
    forecast, realised, partial = chart.figure["data"]
    assert forecast["y"] == [40000, 42000]  # a forecast is not incomplete
    assert realised["y"] == [39000, None]
    assert (partial["x"], partial["y"], partial["showlegend"]) == (
        ["2025", "2026"],
        [39000, 30000],
        True,
    )
    assert "Gerealiseerd 39.000 (2025)" in chart.summary


def test_the_table_body_marks_every_kind_of_cell_and_escapes_every_value():
    from dashboards.pages.charts import series_chart
    from dashboards.suppression.marks import SUPPRESSED

    chart = series_chart(
        slug="t",
        title="T",
        unit="personen",
        periods=["2024-Q1", "2024-Q2", "2024-Q3"],
        series=[("A", {"2024-Q1": 1200, "2024-Q2": SUPPRESSED}), ("B<", {"2024-Q1": 2.5})],
        complete={"2024-Q3": False},
        link=lambda index, period: f"/herkomst/?p={period}&s={index}",
        notes={"2024-Q1": ["<script>x</script> & co"]},
    )
    body = str(chart.table_body())
    rows = body.split("\n")
    assert len(rows) == 3
    assert rows[0] == (
        '<tr><th scope="row">2024-Q1</th>'
        '<td class="num"><a href="/herkomst/?p=2024-Q1&amp;s=0" class="lineage-link">1200</a></td>'
        '<td class="num"><a href="/herkomst/?p=2024-Q1&amp;s=1" class="lineage-link">2,5</a></td>'
        '<td class="num">ja</td>'
        '<td class="note">&lt;script&gt;x&lt;/script&gt; &amp; co</td></tr>'
    )
    assert '<span class="suppressed" aria-hidden="true">&lt; ' in rows[1]  # "< threshold"
    assert "afgeschermd klein aantal" in rows[1]
    assert rows[2].startswith(
        '<tr><th scope="row">2024-Q3 <span class="incomplete">onvolledig</span></th>'
    )
    assert rows[2].count('<span class="visually-hidden">geen cijfer</span>') == 2
    assert "<script>" not in body
    empty = series_chart(slug="e", title="E", unit="personen", periods=[], series=[("A", {})],
                         complete={})  # fmt: skip
    assert str(empty.table_body()) == (
        f'<tr><td colspan="{len(empty.columns)}">Geen cijfers voor deze selectie.</td></tr>'
    )


def test_the_figure_json_is_what_json_script_writes():
    from django.utils.html import json_script

    from dashboards.pages.charts import series_chart

    chart = series_chart(
        slug="t",
        title="T </script><b> & co",
        unit="personen",
        periods=["2024-Q1", "2024-Q2"],
        series=[("A<", {"2024-Q1": 1200, "2024-Q2": 7})],
        complete={"2024-Q2": False},
        link=lambda index, period: f"/herkomst/?p={period}&s={index}",
    )
    ours = f'<script id="x" type="application/json">{chart.figure_json()}</script>'
    assert ours == json_script(chart.figure, "x")
    assert "&" not in chart.figure_json() and "</script>" not in chart.figure_json()
