"""Every rule of the upload contract, each with a file that breaks it. Pure: no database."""

from __future__ import annotations

import datetime

import pandas as pd
import pytest
from django.utils import translation

from dashboards.uploads.ingest import read_table
from dashboards.uploads.validation import Context, IndicatorSpec, validate

TODAY = datetime.date(2026, 11, 28)
CATALOGUE = {
    "asylum_applications": IndicatorSpec(
        1,
        "asylum_applications",
        "IND",
        "month",
        {"application_type": ["first", "follow_up", "family_reunification"]},
    ),
    "asylum_pending": IndicatorSpec(
        3, "asylum_pending", "IND", "month", plausible_min=0, plausible_max=100_000
    ),
    "asylum_lead_time": IndicatorSpec(
        4, "asylum_lead_time", "IND", "quarter", is_count=False, tolerance_percent=20
    ),
    "reception_occupancy": IndicatorSpec(5, "reception_occupancy", "COA", "month"),
    "forecast_asylum_inflow": IndicatorSpec(
        11,
        "forecast_asylum_inflow",
        "IND",
        "year",
        {"scenario": ["low", "expected", "high"]},
        is_forecast=True,
    ),
    "retired": IndicatorSpec(12, "retired", "IND", "month", active=False),
}


def check(
    text: str, *, current: pd.DataFrame | None = None, encoding: str = "utf-8", org: str = "IND"
):
    table = read_table(text.encode(encoding), "cijfers.csv", max_bytes=10**7, max_rows=10**5)
    return validate(table, Context(org, CATALOGUE, TODAY, current))


def issues(result, severity: str = "error") -> list[tuple]:
    frame = result.issues[result.issues["severity"] == severity]
    return list(frame[["row", "column", "code"]].itertuples(index=False, name=None))


HEADER = "indicator,period,value,application_type\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("nonsense,2024-01,1,\n", (2, "indicator", "unknown_indicator")),
        ("retired,2024-01,1,\n", (2, "indicator", "unknown_indicator")),
        ("reception_occupancy,2024-01,1,\n", (2, "indicator", "foreign_indicator")),
        (
            "asylum_applications,2024-01,1,second\n",
            (2, "application_type", "unknown_dimension_value"),
        ),
        ("asylum_applications,2024-01,1,\n", (2, "application_type", "unknown_dimension_value")),
        ("asylum_pending,2024-01,1,first\n", (2, "application_type", "dimension_not_applicable")),
        ("asylum_pending,jan 2024,1,\n", (2, "period", "malformed_period")),
        ("asylum_pending,2024-13,1,\n", (2, "period", "malformed_period")),
        ("asylum_lead_time,2024-03,1,\n", (2, "period", "period_too_fine")),
        ("asylum_pending,2027-01,1,\n", (2, "period", "future_period")),
        ("asylum_pending,2024-01,veel,\n", (2, "value", "not_a_number")),
        ("asylum_pending,2024-01,,\n", (2, "value", "not_a_number")),
        ("asylum_pending,2024-01,inf,\n", (2, "value", "not_a_number")),
        ("asylum_pending,2024-01,-3,\n", (2, "value", "negative_count")),
        ("asylum_pending,2024-01,3.5,\n", (2, "value", "fractional_count")),
        ("asylum_pending,2024-01,1e20,\n", (2, "value", "value_too_large")),
        ("asylum_pending,2024-01,1,\nasylum_pending,2024-01,2,\n", (3, "period", "duplicate_cell")),
        (
            "asylum_pending,2024-01,1,\nasylum_pending,2024-1,2,\n",
            (3, "period", "malformed_period"),
        ),
        (
            "asylum_pending,2024-Q1,1,\nasylum_pending,2024-02,2,\n",
            (3, "period", "overlap_in_file"),
        ),
        ("asylum_pending,2024,1,\nasylum_pending,2024-Q3,2,\n", (3, "period", "overlap_in_file")),
    ],
)
def test_each_row_rule_reports_row_column_and_code(body, expected):
    result = check(HEADER + body)
    assert expected in issues(result)
    assert not result.is_valid
    assert result.observations is None
    message = result.issues.loc[0, "message"]
    assert (message and message[0].isupper()) or message[0] == '"'


def test_a_quarter_and_a_month_in_the_file_are_a_period_and_a_period_inside_it():
    result = check(HEADER + "asylum_pending,2024-Q1,1,\nasylum_pending,2024-03,2,\n")
    assert "2024-Q1" in result.issues.loc[0, "message"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("indicator,value\nasylum_pending,1\n", (1, "period", "missing_column")),
        (
            "indicator,period,value,value\nasylum_pending,2024-01,1,2\n",
            (1, "value", "duplicate_column"),
        ),
        (
            "indicator,period,value,kleur\nasylum_pending,2024-01,1,rood\n",
            (1, "kleur", "unknown_column"),
        ),
        (
            "indicator,period,value\nasylum_applications,2024-01,1\n",
            (2, "application_type", "missing_column"),
        ),
        (
            "indicator,period,value,organisation\nasylum_pending,2024-01,1,COA\n",
            (2, "organisation", "wrong_organisation"),
        ),
    ],
)
def test_column_rules_name_the_column(text, expected):
    assert expected in issues(check(text))


def test_a_header_without_data_rows_is_an_error():
    result = check("indicator,period,value\n")
    assert [code for *_, code in issues(result)] == ["no_rows"]


def test_the_own_organisation_in_the_organisation_column_is_fine_in_any_case():
    result = check("indicator,period,value,organisation\nasylum_pending,2024-01,1,ind\n")
    assert result.is_valid


def test_a_yearly_figure_for_a_monthly_indicator_is_allowed_and_forecasts_may_lie_ahead():
    result = check(
        "indicator,period,value,scenario,round\nasylum_pending,2023,10,,\nforecast_asylum_inflow,2028,40000,high,2026-06\n"
    )
    assert result.is_valid, result.issues


def test_windows_1252_semicolon_file_with_decimal_commas_gives_the_right_values():
    text = (
        "Indicator;Period;Value\r\n"
        "asylum_lead_time;2024-K1;1.234,5\r\n"
        "asylum_lead_time;2024-Q2;1.200,25\r\n"
        "asylum_lead_time;2024-Q3;987\r\n"
    )
    result = check(text, encoding="cp1252")
    assert result.is_valid, result.issues
    values = result.observations.set_index("period")["value"].astype(float).to_dict()
    assert values == {"2024-Q1": 1234.5, "2024-Q2": 1200.25, "2024-Q3": 987.0}


def test_a_valid_file_gives_observations_with_canonical_cells():
    result = check(
        HEADER + "asylum_applications,2024-k1,1,\n".replace("2024-k1,1,", "2024-01,5,FIRST")
    )
    assert result.is_valid
    row = result.observations.iloc[0]
    assert (
        row["period"],
        row["period_type"],
        row["dimension_key"],
        row["value"],
    ) == ("2024-01", "month", "application_type=first", "5")
    assert "dimensions" not in result.observations  # derived from dimension_key, not stored
    assert row["period_start"] == datetime.date(2024, 1, 1)


def current(*cells) -> pd.DataFrame:
    return pd.DataFrame(
        [(code, period, kind, key, float(value), 7) for code, period, kind, key, value in cells],
        columns=["indicator", "period", "period_type", "dimension_key", "value", "upload_id"],
    )


def test_a_month_inside_an_approved_quarter_is_an_error():
    result = check(
        HEADER + "asylum_pending,2024-02,1,\n",
        current=current(("asylum_pending", "2024-Q1", "quarter", "", 3)),
    )
    assert (2, "period", "overlap_with_current") in issues(result)


def test_a_quarter_over_approved_months_is_an_error():
    result = check(
        HEADER + "asylum_pending,2024-Q1,1,\n",
        current=current(("asylum_pending", "2024-03", "month", "", 3)),
    )
    assert (2, "period", "overlap_with_current") in issues(result)


def test_approved_figures_of_another_dimension_value_do_not_overlap():
    result = check(
        HEADER + "asylum_applications,2024-Q1,1,first\n".replace("2024-Q1", "2024"),
        current=current(
            ("asylum_applications", "2024-03", "month", "application_type=follow_up", 3)
        ),
    )
    assert result.is_valid, result.issues


def test_a_jump_beyond_the_tolerance_from_the_previous_period_is_a_warning():
    result = check(
        HEADER
        + "asylum_pending,2024-01,100,\nasylum_pending,2024-02,151,\nasylum_pending,2024-03,200,\n"
    )
    assert result.is_valid
    assert issues(result, "warning") == [(3, "value", "change_vs_previous")]
    assert "51%" in result.issues.loc[0, "message"]


def test_the_previous_period_may_come_from_the_approved_figures():
    result = check(
        "indicator,period,value\nasylum_lead_time,2024-Q1,130\n",
        current=current(("asylum_lead_time", "2023-Q4", "quarter", "", 100)),
    )
    assert issues(result, "warning") == [(2, "value", "change_vs_previous")]


def test_a_value_outside_the_plausible_range_is_a_warning():
    result = check(HEADER + "asylum_pending,2024-01,250000,\n")
    assert result.is_valid
    assert issues(result, "warning") == [(2, "value", "implausible")]


def test_a_correction_of_an_approved_value_is_a_warning_naming_the_old_value():
    result = check(
        HEADER + "asylum_pending,2024-01,90,\nasylum_pending,2024-02,95,\n",
        current=current(
            ("asylum_pending", "2024-01", "month", "", 80),
            ("asylum_pending", "2024-02", "month", "", 95),
        ),
    )
    assert result.is_valid
    assert issues(result, "warning") == [(2, "value", "correction")]
    assert "80" in result.issues.loc[0, "message"] and "#7" in result.issues.loc[0, "message"]


def test_errors_come_before_warnings_and_block_the_upload():
    result = check(
        HEADER
        + "asylum_pending,2024-01,100,\nasylum_pending,2024-02,900,\nasylum_pending,2024-03,x,\n"
    )
    assert result.issues["severity"].tolist()[0] == "error"
    assert not result.is_valid


def test_messages_are_dutch():
    result = check(HEADER + "asylum_pending,2024-01,veel,\n")
    assert result.issues.loc[0, "message"] == 'De waarde "veel" is geen getal.'


# ---------------------------------------------------------------- periods that have not ended


@pytest.mark.parametrize(
    ("period", "ends"),
    [
        ("asylum_pending,2026-11", "30 november 2026"),  # TODAY is 28 November
        ("asylum_lead_time,2026-Q4", "31 december 2026"),
        ("asylum_lead_time,2026-K4", "31 december 2026"),
        ("asylum_pending,2026", "31 december 2026"),
    ],
)
def test_a_running_period_is_an_error_that_says_when_it_ends(period, ends):
    result = check(HEADER + period + ",1,\n")
    assert issues(result) == [(2, "period", "running_period")]
    message = result.issues.loc[0, "message"]
    assert "loopt nog" in message
    assert f"eindigt op {ends}" in message
    assert result.observations is None


def test_a_future_period_is_an_error_that_says_when_it_ends():
    result = check(HEADER + "asylum_lead_time,2027-Q1,1,\n")
    assert issues(result) == [(2, "period", "future_period")]
    assert "eindigt op 31 maart 2027" in result.issues.loc[0, "message"]


def test_the_month_that_ended_yesterday_is_accepted():
    table = read_table(
        (HEADER + "asylum_pending,2026-10,1,\n").encode(), "c.csv", max_bytes=10**7, max_rows=10
    )
    result = validate(table, Context("IND", CATALOGUE, datetime.date(2026, 11, 1), None))
    assert result.is_valid, result.issues
    running = validate(table, Context("IND", CATALOGUE, datetime.date(2026, 10, 31), None))
    assert issues(running) == [(2, "period", "running_period")]


def test_a_forecast_may_be_for_the_running_year():
    result = check(
        "indicator,period,value,scenario,round\nforecast_asylum_inflow,2026,40000,high,2026-06\n"
    )
    assert result.is_valid, result.issues


def test_the_running_period_message_is_in_both_languages():
    with translation.override("en"):
        result = check(HEADER + "asylum_lead_time,2026-Q4,1,\n")
    english = result.issues.loc[0, "message_en"]
    assert english.startswith('The period "2026-Q4" is still running: it ends on 31 December 2026.')
    dutch = result.issues.loc[0, "message"]
    assert dutch.startswith('De periode "2026-Q4" loopt nog: die eindigt op 31 december 2026.')
