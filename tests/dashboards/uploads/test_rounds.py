"""The `round` column of forecast uploads: required for forecasts, refused elsewhere, part of the
cell (a later round keeps the earlier; the same round supersedes)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboards.models import CurrentCell, Observation, UploadIssue, UploadStatus
from dashboards.uploads import approval
from governance.models import Role
from tests.dashboards.factories import submit
from tests.dashboards.uploads.test_validation import check, issues
from tests.factories import make_user

FORECAST_HEADER = "indicator,period,value,scenario,round\n"


def test_a_forecast_without_a_round_column_is_an_error_naming_the_column():
    result = check("indicator,period,value,scenario\nforecast_asylum_inflow,2027,40000,low\n")
    assert issues(result) == [(2, "round", "missing_round")]
    [message] = result.issues["message"]
    assert "round" in message and "JJJJ-MM" in message


def test_a_forecast_row_with_an_empty_round_is_an_error_on_that_row():
    result = check(
        FORECAST_HEADER
        + "forecast_asylum_inflow,2027,40000,low,2026-06\nforecast_asylum_inflow,2027,50000,high,\n"
    )
    assert issues(result) == [(3, "round", "missing_round")]


@pytest.mark.parametrize("given", ["2026-13", "juni 2026", "2026", "2026-Q2", "26-06", "2026-6"])
def test_a_malformed_round_is_an_error(given):
    result = check(FORECAST_HEADER + f"forecast_asylum_inflow,2027,40000,low,{given}\n")
    assert issues(result) == [(2, "round", "malformed_round")]
    assert given in result.issues["message"].iloc[0]


def test_a_round_published_after_today_is_an_error():
    result = check(FORECAST_HEADER + "forecast_asylum_inflow,2027,40000,low,2027-01\n")
    assert issues(result) == [(2, "round", "future_round")]


def test_a_round_on_an_indicator_that_is_no_forecast_is_an_error():
    result = check(
        "indicator,period,value,application_type,round\n"
        "asylum_applications,2024-01,10,first,2026-06\nasylum_applications,2024-02,10,first,\n"
    )
    assert issues(result) == [(2, "round", "round_not_applicable")]
    assert "asylum_applications" in result.issues["message"].iloc[0]


def test_the_round_message_is_in_english_for_an_english_uploader():
    from django.utils import translation

    with translation.override("en"):
        result = check(FORECAST_HEADER + "forecast_asylum_inflow,2027,40000,low,2026-13\n")
    assert result.issues["message"].iloc[0].startswith('The round "2026-13" is invalid')


def test_two_rounds_of_the_same_cell_in_one_file_are_two_cells():
    result = check(
        FORECAST_HEADER
        + "forecast_asylum_inflow,2027,40000,low,2025-06\n"
        + "forecast_asylum_inflow,2027,42000,low,2026-06\n"
    )
    assert result.is_valid, result.issues
    stored = result.observations[["period", "dimension_key", "round", "value"]]
    assert stored.sort_values("round").values.tolist() == [
        ["2027", "scenario=low", "2025-06", "40000"],
        ["2027", "scenario=low", "2026-06", "42000"],
    ]


def test_the_same_round_of_a_cell_twice_is_a_duplicate():
    result = check(
        FORECAST_HEADER
        + "forecast_asylum_inflow,2027,40000,low,2026-06\n"
        + "forecast_asylum_inflow,2027,42000,low,2026-06\n"
    )
    assert issues(result) == [(3, "period", "duplicate_cell")]


def test_other_indicators_store_no_round():
    result = check(
        "indicator,period,value,application_type\nasylum_applications,2024-01,10,first\n"
    )
    assert result.observations["round"].tolist() == [""]


def test_a_correction_warning_compares_with_the_same_round_only():
    current = pd.DataFrame(
        {
            "indicator": ["forecast_asylum_inflow"],
            "period": ["2027"],
            "period_type": ["year"],
            "dimension_key": ["round=2025-06;scenario=low"],
            "value": [30000.0],
            "upload_id": [7],
        }
    )
    other_round = check(
        FORECAST_HEADER + "forecast_asylum_inflow,2027,40000,low,2026-06\n", current=current
    )
    assert issues(other_round, "warning") == []
    same_round = check(
        FORECAST_HEADER + "forecast_asylum_inflow,2027,40000,low,2025-06\n", current=current
    )
    assert (2, "value", "correction") in issues(same_round, "warning")


# ---------------------------------------------------------------- through the services


@pytest.fixture
def forecaster(db):
    return make_user(Role.REGIE, "JENV", username="forecaster")


def send(user, regie, body: str):
    upload = submit(user, FORECAST_HEADER + body, organisation="JENV")
    assert upload.status == UploadStatus.VALID, list(upload.issues.values_list("message"))
    return approval.approve_upload(upload=upload, by=regie)


def current_values() -> dict[tuple[str, str], int]:
    return {
        (cell.round, cell.dimension_key): int(cell.observation.value)
        for cell in CurrentCell.objects.select_related("observation")
    }


def test_a_later_round_keeps_the_earlier_and_the_same_round_supersedes(forecaster, regie):
    send(forecaster, regie, "forecast_asylum_inflow,2027,40000,low,2025-06\n")
    send(forecaster, regie, "forecast_asylum_inflow,2027,45000,low,2026-06\n")
    assert current_values() == {
        ("2025-06", "scenario=low"): 40000,
        ("2026-06", "scenario=low"): 45000,
    }
    correction = send(forecaster, regie, "forecast_asylum_inflow,2027,46000,low,2026-06\n")
    assert current_values() == {
        ("2025-06", "scenario=low"): 40000,
        ("2026-06", "scenario=low"): 46000,
    }
    # The superseded figure stays stored; the correction says what it corrects.
    assert Observation.objects.filter(round="2026-06").count() == 2
    assert UploadIssue.objects.filter(upload=correction, code="correction").count() == 1
