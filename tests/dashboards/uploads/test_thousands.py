"""A thousands separator in a Dutch file (semicolons, decimal comma): read as such where that is
unambiguous, refused with an explanation where it is not (issue 13). Pure: no database."""

from __future__ import annotations

from tests.dashboards.uploads.test_validation import check, issues


def values_of(result) -> dict[str, float]:
    return result.observations.set_index("period")["value"].astype(float).to_dict()


def test_a_point_between_groups_of_three_in_a_dutch_file_is_a_thousands_separator():
    result = check(
        "indicator;period;value\n"
        "asylum_pending;2024-01;53.120\n"
        "asylum_pending;2024-02;1.234.567\n"
        "asylum_pending;2024-03;1.200\n"
        "asylum_pending;2024-04;987\n"
    )
    assert issues(result) == []
    assert values_of(result) == {
        "2024-01": 53120.0,
        "2024-02": 1234567.0,
        "2024-03": 1200.0,
        "2024-04": 987.0,
    }


def test_thousands_and_a_decimal_comma_together_read_as_one_number():
    result = check("indicator;period;value\nasylum_lead_time;2024-Q1;12.345,5\n")
    assert values_of(result) == {"2024-Q1": 12345.5}


def test_a_dutch_file_that_also_writes_decimal_points_is_ambiguous_and_explained():
    result = check(
        "indicator;period;value\nasylum_lead_time;2024-Q1;53.120\nasylum_lead_time;2024-Q2;2.5\n"
    )
    assert issues(result) == [(2, "value", "ambiguous_number")]
    message = result.issues.iloc[0]["message"]
    assert "53.120" in message and "niet eenduidig" in message and "53120" in message


def test_a_grouped_count_in_a_comma_separated_file_is_explained_not_called_a_fraction():
    result = check("indicator,period,value\nasylum_pending,2024-01,53.120\n")
    assert issues(result) == [(2, "value", "ambiguous_number")]
    message = result.issues.iloc[0]["message"]
    assert "duizendtallen" in message and "53120" in message


def test_a_real_fraction_of_a_count_is_still_not_a_whole_number():
    result = check("indicator,period,value\nasylum_pending,2024-01,53.5\n")
    assert issues(result) == [(2, "value", "fractional_count")]
