"""Fixtures of the governance tests."""

import datetime

import pytest

from governance.boards import services as decisions
from governance.models import Direction, Signal
from governance.steering import services as steering
from governance.steering import signals as loop
from tests.factories import MeetingFactory, make_figures, make_target, org

TODAY = datetime.date.today()


@pytest.fixture
def chain(regie):
    """A full chain: figure off target → signal → agenda item → decision → action → milestone."""
    year = TODAY.year
    make_target("COA", "reception_occupancy", str(year), 60000, Direction.AT_MOST, tolerance=0)
    make_figures("COA", "reception_occupancy", {f"{year}-01": 65000})
    loop.compute_signals()
    signal = Signal.objects.get(kind="target_missed")
    meeting = MeetingFactory()
    item = steering.put_signal_on_agenda(signal=signal, by=regie)
    decision = decisions.record_decision(
        board=meeting.board,
        by=regie,
        title="Extra opvangplaatsen",
        text="Het COA opent locaties.",
        date=meeting.date,
        meeting=meeting,
        agenda_item=item,
    )
    milestone = decisions.add_follow_up(
        decision=decision,
        by=regie,
        title="Locaties openen",
        owner=org("COA"),
        due_date=meeting.date + datetime.timedelta(days=60),
        responsible_function="Directeur Opvang",
        milestone_title="Eerste locatie open",
    )
    return {
        "signal": signal,
        "item": item,
        "meeting": meeting,
        "decision": decision,
        "milestone": milestone,
    }
