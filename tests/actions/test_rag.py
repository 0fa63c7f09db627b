"""The RAG rule, case by case: the database annotation and the Python function give the same
colour (and the same "done late" fact) for every case, and that colour is the expected one."""

import datetime

import pytest

from actions import rag
from actions.models import Milestone, MilestoneStatus, Rag
from tests.factories import ActionFactory, MilestoneFactory

TODAY = datetime.date(2026, 6, 15)
P, IP, D, C = (
    MilestoneStatus.PLANNED,
    MilestoneStatus.IN_PROGRESS,
    MilestoneStatus.DONE,
    MilestoneStatus.CANCELLED,
)


def day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


# (case, status, due in days, at risk, completed in days (None: not), expected, done late)
CASES = [
    ("cancelled past its deadline", C, -30, False, None, Rag.NONE, False),
    ("done on time", D, -10, False, -12, Rag.GREEN, False),
    ("done on its deadline day", D, -10, False, -10, Rag.GREEN, False),
    ("done late", D, -10, False, -3, Rag.GREEN, True),
    ("done before a future deadline", D, 5, False, -1, Rag.GREEN, False),
    ("in progress, deadline yesterday", IP, -1, False, None, Rag.RED, False),
    ("planned, deadline yesterday", P, -1, False, None, Rag.RED, False),
    ("at risk, deadline in 10 days", IP, 10, True, None, Rag.RED, False),
    ("at risk, deadline in 14 days", IP, 14, True, None, Rag.RED, False),
    ("at risk, deadline in 60 days", IP, 60, True, None, Rag.AMBER, False),
    ("in progress, deadline today", IP, 0, False, None, Rag.AMBER, False),
    ("in progress, deadline tomorrow", IP, 1, False, None, Rag.AMBER, False),
    ("planned, deadline in 14 days", P, 14, False, None, Rag.AMBER, False),
    ("in progress, deadline in 15 days", IP, 15, False, None, Rag.GREEN, False),
    ("planned, deadline in 60 days", P, 60, False, None, Rag.GREEN, False),
]


def build(status, due, at_risk, completed) -> Milestone:
    return Milestone(
        status=status,
        due_date=day(due),
        at_risk=at_risk,
        risk_reason="Leverancier laat op zich wachten." if at_risk else "",
        completed_on=day(completed) if completed is not None else None,
        percent_complete=100 if status == D else 40,
    )


@pytest.mark.parametrize(
    ("status", "due", "at_risk", "completed", "expected", "late"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_python_rule_gives_the_expected_colour(status, due, at_risk, completed, expected, late):
    milestone = build(status, due, at_risk, completed)
    assert milestone.rag_on(TODAY) == expected
    assert milestone.done_late is late


@pytest.mark.django_db
def test_database_annotation_agrees_with_the_python_rule_for_every_case():
    made = {}
    action = ActionFactory()
    for name, status, due, at_risk, completed, expected, late in CASES:
        milestone = build(status, due, at_risk, completed)
        milestone.action = action
        milestone.save()
        made[milestone.pk] = (name, expected, late)
    annotated = {m.pk: m for m in Milestone.objects.with_rag(TODAY)}
    for pk, (name, expected, late) in made.items():
        row = annotated[pk]
        assert (name, row.rag_code) == (name, expected.value)
        assert (name, row.rag_code) == (name, rag.rag_of(vars(row), TODAY).value)
        assert (name, row.done_late_flag) == (name, late)


@pytest.mark.django_db
def test_the_amber_window_is_a_setting(settings):
    settings.RAG_AMBER_DAYS = 30
    milestone = MilestoneFactory(status=IP, due_date=day(20))
    assert milestone.rag_on(TODAY) == Rag.AMBER
    assert Milestone.objects.with_rag(TODAY).get(pk=milestone.pk).rag == Rag.AMBER
    settings.RAG_AMBER_DAYS = 14
    assert milestone.rag_on(TODAY) == Rag.GREEN
    assert Milestone.objects.with_rag(TODAY).get(pk=milestone.pk).rag == Rag.GREEN


def test_the_rule_reads_as_one_line_per_colour_with_the_window_filled_in():
    lines = rag.explained(TODAY, days=14)
    assert [colour for colour, _text in lines] == [
        Rag.NONE,
        Rag.GREEN,
        Rag.RED,
        Rag.RED,
        Rag.AMBER,
        Rag.AMBER,
        Rag.GREEN,
    ]
    assert "14 dagen" in lines[3][1]
