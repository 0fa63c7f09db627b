import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance import loop
from governance.models import ClosedReason, Direction, Signal, SignalKind, SignalStatus
from tests.factories import (
    DecisionFactory,
    MeetingFactory,
    MilestoneFactory,
    make_figures,
    make_target,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)  # figures up to 2026-Q3 are due (30 Sept + 45 days)
MONTHS_2026 = [f"2026-{m:02d}" for m in range(1, 10)]


def signals(kind):
    return list(Signal.objects.open().filter(kind=kind))


def test_a_target_missed_by_more_than_its_tolerance_opens_a_signal():
    target = make_target("IND", "asylum_decisions", "2026", 12000, Direction.AT_LEAST, tolerance=10)
    # nine months of 800 = 7200; pro rata (273 of 365 days) the limit is 12000 * 0.9 * 273/365
    make_figures("IND", "asylum_decisions", dict.fromkeys(MONTHS_2026, 800), {"outcome": "granted"})
    loop.compute_signals(today=TODAY)
    [signal] = signals(SignalKind.TARGET_MISSED)
    assert signal.target == target
    assert signal.value == Decimal("7200")
    assert signal.expected_low.quantize(Decimal("1")) == Decimal("8078")
    assert "ten minste 12.000" in signal.summary


def test_a_target_missed_within_its_tolerance_opens_no_signal():
    make_target("IND", "asylum_decisions", "2026", 12000, Direction.AT_LEAST, tolerance=10)
    make_figures("IND", "asylum_decisions", dict.fromkeys(MONTHS_2026, 910), {"outcome": "granted"})
    loop.compute_signals(today=TODAY)
    assert signals(SignalKind.TARGET_MISSED) == []


def test_dimensions_are_summed_for_a_target():
    make_target("IND", "asylum_decisions", "2026", 12000, Direction.AT_LEAST, tolerance=10)
    make_figures("IND", "asylum_decisions", dict.fromkeys(MONTHS_2026, 500), {"outcome": "granted"})
    make_figures(
        "IND", "asylum_decisions", dict.fromkeys(MONTHS_2026, 500), {"outcome": "rejected"}
    )
    loop.compute_signals(today=TODAY)
    assert signals(SignalKind.TARGET_MISSED) == []


def test_an_at_most_target_on_a_mean_indicator_uses_the_mean():
    make_target("IND", "asylum_lead_time", "2026", 180, Direction.AT_MOST, tolerance=5)
    make_figures("IND", "asylum_lead_time", {"2026-Q1": 170, "2026-Q2": 200, "2026-Q3": 230})
    loop.compute_signals(today=TODAY)
    [signal] = signals(SignalKind.TARGET_MISSED)
    assert signal.value == Decimal("200")


def test_a_stock_target_uses_the_last_period():
    make_target("COA", "reception_occupancy", "2026", 60000, Direction.AT_MOST, tolerance=0)
    make_figures("COA", "reception_occupancy", {"2026-01": 70000, "2026-09": 59000})
    loop.compute_signals(today=TODAY)
    assert signals(SignalKind.TARGET_MISSED) == []


def test_a_target_signal_closes_when_the_figure_is_back_within_target():
    make_target("COA", "reception_occupancy", "2026", 60000, Direction.AT_MOST, tolerance=0)
    make_figures("COA", "reception_occupancy", {"2026-09": 65000})
    loop.compute_signals(today=TODAY)
    [signal] = signals(SignalKind.TARGET_MISSED)
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
    assert signals(SignalKind.TARGET_MISSED)[0].value == Decimal("65000")


def test_computing_twice_keeps_one_open_signal_and_refreshes_it():
    make_target("COA", "reception_occupancy", "2026", 60000, Direction.AT_MOST, tolerance=0)
    make_figures("COA", "reception_occupancy", {"2026-09": 65000})
    loop.compute_signals(today=TODAY)
    first = signals(SignalKind.TARGET_MISSED)[0]
    run = loop.compute_signals(today=TODAY)
    assert run.opened == 0
    [again] = signals(SignalKind.TARGET_MISSED)
    assert again.pk == first.pk
    assert again.last_seen > first.last_seen


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
    loop.compute_signals(today=TODAY)
    [signal] = signals(SignalKind.OUTSIDE_FORECAST)
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
    loop.compute_signals(today=TODAY)
    assert signals(SignalKind.OUTSIDE_FORECAST) == []


def test_an_overdue_milestone_opens_a_signal_that_closes_when_done():
    milestone = MilestoneFactory(overdue=True)
    MilestoneFactory()  # on time
    loop.compute_signals()
    [signal] = signals(SignalKind.MILESTONE_OVERDUE)
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
        for s in signals(SignalKind.FIGURES_MISSING)
    }
    assert ("departures", "DTV", "2026-Q3") in missing
    assert ("asylum_applications", "IND", "2026-Q3") in missing  # nothing at all
    assert not any(code == "reception_capacity" for code, _, _ in missing)
    assert not any(code == "forecast_asylum_inflow" for code, _, _ in missing)


def test_figures_are_not_late_before_the_grace_period_ends():
    make_figures("COA", "reception_capacity", dict.fromkeys(MONTHS_2026[:6], 1))  # up to Q2
    loop.compute_signals(today=datetime.date(2026, 11, 14))  # Q3 due on 14 November
    assert not Signal.objects.filter(
        key__contains="missing", indicator__code="reception_capacity"
    ).exists()


def test_regie_puts_a_signal_on_the_next_topberaad_agenda(regie):
    MeetingFactory(date=datetime.date.today() - datetime.timedelta(days=3))
    later = MeetingFactory(date=datetime.date.today() + datetime.timedelta(days=40))
    upcoming = MeetingFactory(date=datetime.date.today() + datetime.timedelta(days=10))
    milestone = MilestoneFactory(overdue=True)
    loop.compute_signals()
    signal = Signal.objects.get(milestone=milestone)
    item = loop.put_signal_on_agenda(signal=signal, by=regie)
    assert item.meeting == upcoming != later
    assert item.signal == signal
    assert milestone.title in item.description


def test_a_signal_is_put_on_an_agenda_once(regie):
    MeetingFactory()
    MilestoneFactory(overdue=True)
    loop.compute_signals()
    signal = Signal.objects.get(kind=SignalKind.MILESTONE_OVERDUE)
    loop.put_signal_on_agenda(signal=signal, by=regie)
    with pytest.raises(ValidationError, match="staat al op de agenda"):
        loop.put_signal_on_agenda(signal=signal, by=regie)


def test_without_an_upcoming_meeting_the_signal_is_not_agendered(regie):
    MilestoneFactory(overdue=True)
    loop.compute_signals()
    with pytest.raises(ValidationError, match="geen volgende vergadering"):
        loop.put_signal_on_agenda(
            signal=Signal.objects.get(kind=SignalKind.MILESTONE_OVERDUE), by=regie
        )


@pytest.mark.parametrize("user", ["ind_partner", "viewer"])
def test_only_regie_puts_signals_on_the_agenda(user, request):
    MeetingFactory()
    MilestoneFactory(overdue=True)
    loop.compute_signals()
    signal = Signal.objects.get(kind=SignalKind.MILESTONE_OVERDUE)
    with pytest.raises(PermissionDenied):
        loop.put_signal_on_agenda(signal=signal, by=request.getfixturevalue(user))
    assert not signal.agenda_items.exists()


def test_a_signal_closed_by_a_decision_stays_closed_while_the_deviation_persists(regie):
    make_target("COA", "reception_occupancy", "2026", 60000, Direction.AT_MOST, tolerance=0)
    make_figures("COA", "reception_occupancy", {"2026-09": 65000})
    loop.compute_signals(today=TODAY)
    [signal] = signals(SignalKind.TARGET_MISSED)
    decision = DecisionFactory()
    loop.close_signal_by_decision(signal=signal, decision=decision, by=regie)
    loop.compute_signals(today=TODAY)
    assert signals(SignalKind.TARGET_MISSED) == []
    signal.refresh_from_db()
    assert signal.closed_by_decision == decision
    assert signal.closed_reason == ClosedReason.DECISION
