"""The suppression rule as a function over frames (no database)."""

from __future__ import annotations

import datetime

import pandas as pd
import pytest

from dashboards.models import Indicator
from dashboards.suppression.rule import PERSON_UNITS, applies_to, suppress

Q1 = datetime.date(2024, 1, 1)


def frame(*rows) -> pd.DataFrame:
    """Rows (organisation or None for the chain, frequency, period, key, value)."""
    return pd.DataFrame(
        [
            {
                "indicator_id": 1,
                "organisation_id": organisation,
                "frequency": frequency,
                "period": period,
                "period_start": start,
                "dimension_key": key,
                "value": value,
            }
            for organisation, frequency, period, start, key, value in rows
        ]
    )


def quarter(organisation, values: dict[str, int]):
    total = sum(values.values())
    return [
        (organisation, "quarter", "2024-Q1", Q1, key, value) for key, value in values.items()
    ] + [(organisation, "quarter", "2024-Q1", Q1, "", total)]


def hidden(data: pd.DataFrame, aggregation: str = "sum") -> set[tuple]:
    flags = suppress(data, aggregations={1: aggregation}, limit=5)
    return {
        (None if pd.isna(r.organisation_id) else int(r.organisation_id), r.dimension_key)
        for r in data[flags.to_numpy()].itertuples()
    }


def test_a_small_breakdown_figure_is_suppressed_with_its_next_smallest_sibling():
    data = frame(*quarter(1, {"t=a": 3, "t=b": 10, "t=c": 7}))
    assert hidden(data) == {(1, "t=a"), (1, "t=c")}


def test_two_small_siblings_need_no_secondary_suppression():
    data = frame(*quarter(1, {"t=a": 3, "t=b": 10, "t=c": 2}))
    assert hidden(data) == {(1, "t=a"), (1, "t=c")}


def test_totals_are_never_suppressed_however_small():
    data = frame(*quarter(1, {"t=a": 3}))
    # The one value equals its total: nothing else may be hidden, the total stays.
    assert hidden(data) == {(1, "t=a")}
    assert hidden(frame((1, "quarter", "2024-Q1", Q1, "", 2))) == set()


def test_zero_and_the_threshold_itself_are_not_suppressed():
    data = frame(*quarter(1, {"t=a": 0, "t=b": 5, "t=c": 12}))
    assert hidden(data) == set()


def test_a_zero_sibling_is_hidden_only_when_no_other_can_be():
    assert hidden(frame(*quarter(1, {"t=a": 4, "t=b": 0, "t=c": 9}))) == {(1, "t=a"), (1, "t=c")}
    assert hidden(frame(*quarter(1, {"t=a": 4, "t=b": 0}))) == {(1, "t=a"), (1, "t=b")}


def test_an_organisation_hidden_alone_under_a_chain_figure_hides_another_organisation():
    ind = {"t=a": 3, "t=b": 30, "t=c": 2}
    coa = {"t=a": 8, "t=b": 40, "t=c": 9}
    chain = {k: ind[k] + coa[k] for k in ind}
    data = frame(*quarter(1, ind), *quarter(2, coa), *quarter(None, chain))
    found = hidden(data)
    # IND's a and c are small; chain a (11) and c (11) minus IND would give COA: so COA's a and
    # c are hidden as well, and with them enough of COA's own breakdown.
    assert {(1, "t=a"), (1, "t=c"), (2, "t=a"), (2, "t=c")} <= found
    assert (None, "") not in found and (1, "") not in found


def test_a_month_hidden_alone_in_its_quarter_hides_another_month():
    rows = [
        (1, "month", f"2024-{m:02d}", datetime.date(2024, m, 1), key, value)
        for m, values in {1: {"t=a": 3, "t=b": 20}, 2: {"t=a": 9, "t=b": 20},
                          3: {"t=a": 12, "t=b": 20}}.items()
        for key, value in [*values.items(), ("", sum(values.values()))]
    ] + quarter(1, {"t=a": 24, "t=b": 60})  # fmt: skip
    found = {(r.period, r.dimension_key) for r in frame(*rows)[
        suppress(frame(*rows), aggregations={1: "sum"}, limit=5).to_numpy()].itertuples()}  # fmt: skip
    assert ("2024-01", "t=a") in found and ("2024-02", "t=a") in found
    # Each month's total is then made of two hidden values, or none: nothing more to subtract.
    assert ("2024-01", "t=b") in found and ("2024-02", "t=b") in found


@pytest.mark.parametrize("unit", ["days", "places", "percent"])
def test_units_that_count_no_persons_are_never_suppressed(unit):
    assert not applies_to(Indicator(unit=unit, dimensions={"t": ["a", "b"]}))


@pytest.mark.parametrize("unit", sorted(PERSON_UNITS))
def test_units_that_count_persons_are_suppressed_when_broken_down(unit):
    assert applies_to(Indicator(unit=unit, dimensions={"t": ["a", "b"]}))
    assert not applies_to(Indicator(unit=unit, dimensions={}))
    assert not applies_to(Indicator(unit=unit, dimensions={"t": ["a"]}, is_forecast=True))
