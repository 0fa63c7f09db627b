import datetime

import pytest

from governance.models.steering import period_bounds


@pytest.mark.parametrize(
    ("period", "bounds"),
    [
        ("2026", (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))),
        ("2026-Q1", (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))),
        ("2026-Q4", (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))),
    ],
)
def test_target_periods_are_years_or_quarters(period, bounds):
    assert period_bounds(period) == bounds


def test_a_month_is_not_a_target_period():
    with pytest.raises(ValueError):
        period_bounds("2026-03")
