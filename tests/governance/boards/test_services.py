import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actions.models import Action, Milestone
from governance.boards import assessments
from governance.boards import services as decisions
from governance.models import AssessmentKind, Decision, DecisionStatus, ImpactAssessment
from tests.factories import DecisionFactory, MeetingFactory, board, org

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)


def record(by, **kwargs):
    defaults = {"board": board("TB"), "title": "Besluit", "text": "Tekst.", "date": DAY}
    return decisions.record_decision(by=by, **{**defaults, **kwargs})


def test_decisions_are_numbered_per_board_and_year(regie):
    first = record(regie)
    second = record(regie)
    other_board = record(regie, board=board("DBA"))
    next_year = record(regie, date=datetime.date(2027, 1, 5))
    assert [first.number, second.number, other_board.number, next_year.number] == [
        "TB-2026-01",
        "TB-2026-02",
        "DBA-2026-01",
        "TB-2027-01",
    ]


def test_a_meeting_of_another_board_is_refused(regie):
    meeting = MeetingFactory(board=board("DBV"))
    with pytest.raises(ValidationError):
        record(regie, meeting=meeting)
    assert not Decision.objects.exists()


@pytest.mark.parametrize("user", ["ind_partner", "viewer"])
def test_only_regie_records_decisions(user, request):
    with pytest.raises(PermissionDenied):
        record(request.getfixturevalue(user))
    assert not Decision.objects.exists()


@pytest.mark.parametrize("user", ["ind_partner", "coa_partner", "viewer"])
def test_only_regie_changes_a_decisions_status(user, request):
    decision = DecisionFactory()
    with pytest.raises(PermissionDenied):
        decisions.change_decision_status(
            decision=decision, to=DecisionStatus.ADOPTED, by=request.getfixturevalue(user)
        )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED


def test_a_decision_goes_from_proposed_to_adopted_to_implemented(regie):
    decision = DecisionFactory()
    decisions.change_decision_status(decision=decision, to=DecisionStatus.ADOPTED, by=regie)
    decisions.change_decision_status(
        decision=decision, to=DecisionStatus.IMPLEMENTED, by=regie, on=DAY
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.IMPLEMENTED
    assert decision.effective_date == DAY


def test_a_decision_needing_the_driehoek_cannot_be_implemented_without_confirmation(regie):
    decision = DecisionFactory(needs_triangle=True, status=DecisionStatus.ADOPTED)
    with pytest.raises(
        ValidationError, match="eerst in de ambtelijke sturingsdriehoek worden bevestigd"
    ):
        decisions.change_decision_status(decision=decision, to=DecisionStatus.IMPLEMENTED, by=regie)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED


def test_a_decision_confirmed_in_the_driehoek_can_be_implemented(regie):
    decision = DecisionFactory(needs_triangle=True, status=DecisionStatus.ADOPTED)
    decisions.change_decision_status(decision=decision, to=DecisionStatus.CONFIRMED, by=regie)
    decisions.change_decision_status(decision=decision, to=DecisionStatus.IMPLEMENTED, by=regie)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.IMPLEMENTED


def test_a_decision_not_needing_the_driehoek_cannot_be_confirmed_there(regie):
    decision = DecisionFactory(status=DecisionStatus.ADOPTED)
    with pytest.raises(ValidationError, match="hoeft niet in de driehoek"):
        decisions.change_decision_status(decision=decision, to=DecisionStatus.CONFIRMED, by=regie)


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (DecisionStatus.PROPOSED, DecisionStatus.IMPLEMENTED),
        (DecisionStatus.PROPOSED, DecisionStatus.CONFIRMED),
        (DecisionStatus.IMPLEMENTED, DecisionStatus.WITHDRAWN),
        (DecisionStatus.WITHDRAWN, DecisionStatus.ADOPTED),
        (DecisionStatus.IMPLEMENTED, DecisionStatus.ADOPTED),
    ],
)
def test_illegal_transitions_are_refused_in_dutch_and_change_nothing(regie, start, to):
    decision = DecisionFactory(status=start, needs_triangle=to == DecisionStatus.CONFIRMED)
    with pytest.raises(ValidationError, match="kan niet de status"):
        decisions.change_decision_status(decision=decision, to=to, by=regie)
    decision.refresh_from_db()
    assert decision.status == start


def test_every_status_can_be_withdrawn_until_implemented(regie):
    for status in (DecisionStatus.PROPOSED, DecisionStatus.ADOPTED):
        decision = DecisionFactory(status=status)
        decisions.change_decision_status(decision=decision, to=DecisionStatus.WITHDRAWN, by=regie)
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.WITHDRAWN


def test_next_statuses_offer_only_legal_moves():
    assert decisions.next_statuses(
        Decision(status=DecisionStatus.ADOPTED, needs_triangle=True)
    ) == [
        DecisionStatus.CONFIRMED,
        DecisionStatus.WITHDRAWN,
    ]
    assert decisions.next_statuses(
        Decision(status=DecisionStatus.ADOPTED, needs_triangle=False)
    ) == [
        DecisionStatus.IMPLEMENTED,
        DecisionStatus.WITHDRAWN,
    ]


def test_the_status_change_is_in_the_decisions_history_in_the_readers_language(regie):
    from django.utils import translation

    from ketenportaal.history import history_rows

    decision = DecisionFactory()
    with translation.override("en"):  # an author who reads the portal in English
        decisions.change_decision_status(decision=decision, to=DecisionStatus.ADOPTED, by=regie)
    latest = decision.history.first()
    assert latest.status == DecisionStatus.ADOPTED
    assert latest.history_change_reason == "Status gewijzigd"  # stored in Dutch
    for language, reason, change in [
        ("nl", "Status gewijzigd", ("Voorgesteld", "Vastgesteld")),
        ("en", "Status changed", ("Proposed", "Adopted")),
    ]:
        with translation.override(language):
            [row, *_rest] = history_rows(decision)
            assert row.reason == reason
            assert [(c.old, c.new) for c in row.changes if c.label.lower() == "status"] == [change]


def test_a_follow_up_creates_an_action_and_a_milestone_linked_to_the_decision(regie):
    decision = DecisionFactory(date=DAY)
    due = datetime.date.today() + datetime.timedelta(days=90)
    milestone = decisions.add_follow_up(
        decision=decision,
        by=regie,
        title="Capaciteit uitbreiden",
        owner=org("COA"),
        due_date=due,
        responsible_function="Directeur Opvang",
    )
    assert milestone.action.decision == decision
    assert milestone.action.owner.code == "COA"
    assert milestone.due_date == due


def test_a_follow_up_due_before_its_start_is_refused(regie):
    decision = DecisionFactory()
    with pytest.raises(ValidationError):
        decisions.add_follow_up(
            decision=decision,
            by=regie,
            title="X",
            owner=org("COA"),
            due_date=datetime.date(2020, 1, 1),
            responsible_function="Directeur",
        )
    assert not Action.objects.exists()


def test_implementing_an_assessed_proposal_schedules_an_invoeringstoets_a_year_later(regie):
    decision = DecisionFactory(status=DecisionStatus.ADOPTED)
    ImpactAssessment.objects.create(
        decision=decision, kind=AssessmentKind.EXECUTION_TEST, requested_on=DAY
    )
    decisions.change_decision_status(
        decision=decision, to=DecisionStatus.IMPLEMENTED, by=regie, on=DAY
    )
    test = decision.assessments.get(kind=AssessmentKind.IMPLEMENTATION_TEST)
    assert test.milestone.due_date == datetime.date(2027, 3, 10)
    assert test.milestone.action.decision == decision


def test_the_invoeringstoets_follows_a_later_effective_date(regie):
    decision = DecisionFactory(
        status=DecisionStatus.CONFIRMED,
        needs_triangle=True,
        effective_date=datetime.date(2026, 7, 1),
    )
    decisions.change_decision_status(
        decision=decision, to=DecisionStatus.IMPLEMENTED, by=regie, on=DAY
    )
    assert decision.assessments.get().milestone.due_date == datetime.date(2027, 7, 1)


def test_scheduling_the_invoeringstoets_twice_creates_one(regie):
    decision = DecisionFactory(status=DecisionStatus.CONFIRMED, needs_triangle=True)
    decisions.change_decision_status(
        decision=decision, to=DecisionStatus.IMPLEMENTED, by=regie, on=DAY
    )
    decision.refresh_from_db()
    assessments.schedule_implementation_test(decision=decision, by=regie)
    assert decision.assessments.count() == 1
    assert Milestone.objects.filter(action__decision=decision).count() == 1


def test_a_small_unassessed_decision_gets_no_invoeringstoets(regie):
    decision = DecisionFactory(status=DecisionStatus.ADOPTED)
    decisions.change_decision_status(
        decision=decision, to=DecisionStatus.IMPLEMENTED, by=regie, on=DAY
    )
    assert not decision.assessments.exists()


def test_the_driehoek_flag_cannot_change_after_confirmation(regie):
    decision = DecisionFactory(status=DecisionStatus.CONFIRMED, needs_triangle=True)
    decision.needs_triangle = False
    with pytest.raises(ValidationError):
        decisions.save_decision_details(decision=decision, by=regie)
    decision.refresh_from_db()
    assert decision.needs_triangle


@pytest.mark.django_db(transaction=True)
def test_concurrent_decisions_get_unique_gap_free_numbers():
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from tests.factories import make_user

    user = make_user("regie", "JENV")

    def record_one(index):
        try:
            return record(user, title=f"Besluit {index}").number
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=5) as pool:
        numbers = sorted(pool.map(record_one, range(10)))
    assert numbers == [f"TB-2026-{n:02d}" for n in range(1, 11)]
