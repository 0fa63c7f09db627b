import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.models import ClosedReason, Direction, Signal, SignalKind
from governance.steering import services as steering
from governance.steering import signals as loop
from tests.factories import (
    DecisionFactory,
    MeetingFactory,
    MilestoneFactory,
    make_figures,
    make_target,
    open_signals,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)  # figures up to 2026-Q3 are due (30 Sept + 45 days)
MONTHS_2026 = [f"2026-{m:02d}" for m in range(1, 10)]


def test_regie_puts_a_signal_on_the_next_topberaad_agenda(regie):
    MeetingFactory(date=datetime.date.today() - datetime.timedelta(days=3))
    later = MeetingFactory(date=datetime.date.today() + datetime.timedelta(days=40))
    upcoming = MeetingFactory(date=datetime.date.today() + datetime.timedelta(days=10))
    milestone = MilestoneFactory(overdue=True)
    loop.compute_signals()
    signal = Signal.objects.get(milestone=milestone)
    item = steering.put_signal_on_agenda(signal=signal, by=regie)
    assert item.meeting == upcoming != later
    assert item.signal == signal
    assert milestone.title in item.description


def test_a_signal_is_put_on_an_agenda_once(regie):
    MeetingFactory()
    MilestoneFactory(overdue=True)
    loop.compute_signals()
    signal = Signal.objects.get(kind=SignalKind.MILESTONE_OVERDUE)
    steering.put_signal_on_agenda(signal=signal, by=regie)
    with pytest.raises(ValidationError, match="staat al op de agenda"):
        steering.put_signal_on_agenda(signal=signal, by=regie)


def test_without_an_upcoming_meeting_the_signal_is_not_agendered(regie):
    MilestoneFactory(overdue=True)
    loop.compute_signals()
    with pytest.raises(ValidationError, match="geen volgende vergadering"):
        steering.put_signal_on_agenda(
            signal=Signal.objects.get(kind=SignalKind.MILESTONE_OVERDUE), by=regie
        )


@pytest.mark.parametrize("user", ["ind_partner", "viewer"])
def test_only_regie_puts_signals_on_the_agenda(user, request):
    MeetingFactory()
    MilestoneFactory(overdue=True)
    loop.compute_signals()
    signal = Signal.objects.get(kind=SignalKind.MILESTONE_OVERDUE)
    with pytest.raises(PermissionDenied):
        steering.put_signal_on_agenda(signal=signal, by=request.getfixturevalue(user))
    assert not signal.agenda_items.exists()


def test_a_signal_closed_by_a_decision_stays_closed_while_the_deviation_persists(regie):
    make_target("COA", "reception_occupancy", "2026", 60000, Direction.AT_MOST, tolerance=0)
    make_figures("COA", "reception_occupancy", {"2026-09": 65000})
    loop.compute_signals(today=TODAY)
    [signal] = open_signals(SignalKind.TARGET_MISSED)
    decision = DecisionFactory()
    steering.close_signal_by_decision(signal=signal, decision=decision, by=regie)
    loop.compute_signals(today=TODAY)
    assert open_signals(SignalKind.TARGET_MISSED) == []
    signal.refresh_from_db()
    assert signal.closed_by_decision == decision
    assert signal.closed_reason == ClosedReason.DECISION
