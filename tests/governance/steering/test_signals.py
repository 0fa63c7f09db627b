import datetime
from decimal import Decimal

import pytest

from dashboards.rebuild.build import rebuild_dashboards
from governance.models import ClosedReason, Direction, Signal, SignalKind, SignalStatus
from governance.steering import signals as loop
from tests.factories import (
    MilestoneFactory,
    make_figures,
    make_target,
    open_signals,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)  # figures up to 2026-Q3 are due (30 Sept + 30 days)
MONTHS_2026 = [f"2026-{m:02d}" for m in range(1, 10)]


def test_a_target_missed_by_more_than_its_tolerance_opens_a_signal():
    target = make_target("IND", "asylum_decisions", "2026", 12000, Direction.AT_LEAST, tolerance=10)
    # nine months of 800 = 7200; pro rata (273 of 365 days) the limit is 12000 * 0.9 * 273/365
    make_figures("IND", "asylum_decisions", dict.fromkeys(MONTHS_2026, 800), {"outcome": "granted"})
    loop.compute_signals(today=TODAY)
    [signal] = open_signals(SignalKind.TARGET_MISSED)
    assert signal.target == target
    assert signal.value == Decimal("7200")
    assert signal.expected_low.quantize(Decimal("1")) == Decimal("8078")
    assert "ten minste 12.000" in signal.summary


def test_a_target_missed_within_its_tolerance_opens_no_signal():
    make_target("IND", "asylum_decisions", "2026", 12000, Direction.AT_LEAST, tolerance=10)
    make_figures("IND", "asylum_decisions", dict.fromkeys(MONTHS_2026, 910), {"outcome": "granted"})
    loop.compute_signals(today=TODAY)
    assert open_signals(SignalKind.TARGET_MISSED) == []


def test_dimensions_are_summed_for_a_target():
    make_target("IND", "asylum_decisions", "2026", 12000, Direction.AT_LEAST, tolerance=10)
    make_figures("IND", "asylum_decisions", dict.fromkeys(MONTHS_2026, 500), {"outcome": "granted"})
    make_figures(
        "IND", "asylum_decisions", dict.fromkeys(MONTHS_2026, 500), {"outcome": "rejected"}
    )
    loop.compute_signals(today=TODAY)
    assert open_signals(SignalKind.TARGET_MISSED) == []


def test_an_at_most_target_on_a_mean_indicator_uses_the_mean():
    make_target("IND", "asylum_lead_time", "2026", 180, Direction.AT_MOST, tolerance=5)
    make_figures("IND", "asylum_lead_time", {"2026-Q1": 170, "2026-Q2": 200, "2026-Q3": 230})
    loop.compute_signals(today=TODAY)
    [signal] = open_signals(SignalKind.TARGET_MISSED)
    assert signal.value == Decimal("200")


def test_a_stock_target_uses_the_last_period():
    make_target("COA", "reception_occupancy", "2026", 60000, Direction.AT_MOST, tolerance=0)
    make_figures("COA", "reception_occupancy", {"2026-01": 70000, "2026-09": 59000})
    loop.compute_signals(today=TODAY)
    assert open_signals(SignalKind.TARGET_MISSED) == []


def test_a_target_signal_closes_when_the_figure_is_back_within_target():
    make_target("COA", "reception_occupancy", "2026", 60000, Direction.AT_MOST, tolerance=0)
    make_figures("COA", "reception_occupancy", {"2026-09": 65000})
    loop.compute_signals(today=TODAY)
    [signal] = open_signals(SignalKind.TARGET_MISSED)
    make_figures("COA", "reception_occupancy", {"2026-09": 58000})  # a corrected, approved upload
    run = loop.compute_signals(today=TODAY)
    signal.refresh_from_db()
    assert run.closed >= 1
    assert signal.status == SignalStatus.CLOSED
    assert signal.closed_reason == ClosedReason.RESOLVED


def test_only_the_current_observation_of_a_cell_counts():
    make_target("COA", "reception_occupancy", "2026", 60000, Direction.AT_MOST, tolerance=0)
    make_figures("COA", "reception_occupancy", {"2026-09": 58000})
    make_figures("COA", "reception_occupancy", {"2026-09": 65000})  # supersedes the first
    loop.compute_signals(today=TODAY)
    assert open_signals(SignalKind.TARGET_MISSED)[0].value == Decimal("65000")


def test_computing_twice_keeps_one_open_signal_and_refreshes_it():
    make_target("COA", "reception_occupancy", "2026", 60000, Direction.AT_MOST, tolerance=0)
    make_figures("COA", "reception_occupancy", {"2026-09": 65000})
    loop.compute_signals(today=TODAY)
    first = open_signals(SignalKind.TARGET_MISSED)[0]
    run = loop.compute_signals(today=TODAY)
    assert run.opened == 0
    [again] = open_signals(SignalKind.TARGET_MISSED)
    assert again.pk == first.pk
    assert again.last_seen > first.last_seen


def test_an_unchanged_recomputation_writes_no_history_row():
    make_target("COA", "reception_occupancy", "2026", 60000, Direction.AT_MOST, tolerance=0)
    make_figures("COA", "reception_occupancy", {"2026-09": 65000})
    loop.compute_signals(today=TODAY)
    [signal] = open_signals(SignalKind.TARGET_MISSED)
    versions = signal.history.count()
    loop.compute_signals(today=TODAY)
    loop.compute_signals(today=TODAY)
    signal.refresh_from_db()
    assert signal.history.count() == versions
    assert signal.last_seen > signal.first_seen


def test_a_recomputation_that_changes_a_signal_records_the_change():
    make_target("COA", "reception_occupancy", "2026", 60000, Direction.AT_MOST, tolerance=0)
    make_figures("COA", "reception_occupancy", {"2026-09": 65000})
    loop.compute_signals(today=TODAY)
    [signal] = open_signals(SignalKind.TARGET_MISSED)
    versions = signal.history.count()
    make_figures("COA", "reception_occupancy", {"2026-09": 66000})
    loop.compute_signals(today=TODAY)
    assert signal.history.count() == versions + 1
    assert signal.history.first().value == Decimal("66000")


def test_realised_applications_above_the_forecast_range_open_a_signal():
    make_figures("JENV", "forecast_asylum_inflow", {"2026": 30000}, {"scenario": "low"})
    make_figures("JENV", "forecast_asylum_inflow", {"2026": 40000}, {"scenario": "high"})
    # 273 of 365 days: the range pro rata is 22 438-29 918; 3 600 a month is 32 400
    make_figures(
        "IND",
        "asylum_applications",
        dict.fromkeys(MONTHS_2026, 3600),
        {"application_type": "first"},
    )
    rebuild_dashboards()  # the comparison reads the dashboards' yearly totals
    loop.compute_signals(today=TODAY)
    [signal] = open_signals(SignalKind.OUTSIDE_FORECAST)
    assert signal.period == "2026"
    assert signal.value == Decimal("32400")
    assert (round(signal.expected_low), round(signal.expected_high)) == (22438, 29918)


def test_realised_applications_within_the_forecast_range_open_no_signal():
    make_figures("JENV", "forecast_asylum_inflow", {"2026": 30000}, {"scenario": "low"})
    make_figures("JENV", "forecast_asylum_inflow", {"2026": 40000}, {"scenario": "high"})
    make_figures(
        "IND",
        "asylum_applications",
        dict.fromkeys(MONTHS_2026, 2800),
        {"application_type": "first"},
    )
    rebuild_dashboards()
    loop.compute_signals(today=TODAY)
    assert open_signals(SignalKind.OUTSIDE_FORECAST) == []


def test_an_overdue_milestone_opens_a_signal_that_closes_when_done():
    milestone = MilestoneFactory(overdue=True)
    MilestoneFactory()  # on time
    loop.compute_signals()
    [signal] = open_signals(SignalKind.MILESTONE_OVERDUE)
    assert signal.milestone == milestone
    assert signal.organisation == milestone.action.owner
    milestone.status = "done"
    milestone.save()
    loop.compute_signals()
    signal.refresh_from_db()
    assert signal.status == SignalStatus.CLOSED


def test_an_organisation_without_figures_for_the_due_quarter_gets_a_signal():
    make_figures("COA", "reception_capacity", dict.fromkeys(MONTHS_2026, 1))  # up to date
    make_figures("DTV", "departures", {"2026-05": 10}, {"departure_type": "forced"})  # late
    loop.compute_signals(today=TODAY)
    missing = {
        (s.indicator.code, s.organisation.code, s.period)
        for s in open_signals(SignalKind.FIGURES_MISSING)
    }
    assert ("departures", "DTV", "2026-Q3") in missing
    assert ("asylum_applications", "IND", "2026-Q3") in missing  # nothing at all
    assert not any(code == "reception_capacity" for code, _, _ in missing)
    # JENV's yearly forecast is judged per year, as on Datakwaliteit: 2025's is missing.
    assert ("forecast_asylum_inflow", "JENV", "2025") in missing


def test_a_yearly_forecast_delivered_for_the_due_year_raises_no_signal():
    make_figures("JENV", "forecast_asylum_inflow", {"2025": 40000}, {"scenario": "expected"})
    loop.compute_signals(today=TODAY)
    assert not Signal.objects.filter(
        kind=SignalKind.FIGURES_MISSING, indicator__code="forecast_asylum_inflow"
    ).exists()


def test_figures_are_not_late_before_the_grace_period_ends():
    make_figures("COA", "reception_capacity", dict.fromkeys(MONTHS_2026[:6], 1))  # up to Q2
    # Q3 is due on 30 October: its indicator's deadline, by default DELIVERY_DEADLINE_DAYS (30)
    loop.compute_signals(today=datetime.date(2026, 10, 30))
    assert not Signal.objects.filter(
        key__contains="missing", indicator__code="reception_capacity"
    ).exists()


def test_a_run_for_some_indicators_recomputes_only_their_signals():
    make_target("IND", "asylum_decisions", "2026", 12000, Direction.AT_LEAST, tolerance=10)
    lead_time = make_target("IND", "asylum_lead_time", "2026", 180, Direction.AT_MOST, tolerance=5)
    make_figures("IND", "asylum_decisions", dict.fromkeys(MONTHS_2026, 800), {"outcome": "granted"})
    make_figures("IND", "asylum_lead_time", {"2026-Q1": 170, "2026-Q2": 200, "2026-Q3": 230})
    loop.compute_signals(today=TODAY)
    assert len(open_signals(SignalKind.TARGET_MISSED)) == 2
    milestone = MilestoneFactory(overdue=True)
    # Both targets met now; the run for the decisions closes only the decisions' signal, and
    # looks at no milestone.
    make_figures(
        "IND", "asylum_decisions", dict.fromkeys(MONTHS_2026, 2000), {"outcome": "granted"}
    )
    make_figures("IND", "asylum_lead_time", {"2026-Q1": 100, "2026-Q2": 100, "2026-Q3": 100})
    decisions = lead_time.indicator.__class__.objects.get(code="asylum_decisions")
    loop.compute_signals(today=TODAY, indicator_ids=[decisions.pk])
    [still_open] = open_signals(SignalKind.TARGET_MISSED)
    assert still_open.target == lead_time
    assert open_signals(SignalKind.MILESTONE_OVERDUE) == []
    loop.compute_signals()  # a full run (today) does both
    assert open_signals(SignalKind.TARGET_MISSED) == []
    assert [s.milestone for s in open_signals(SignalKind.MILESTONE_OVERDUE)] == [milestone]
