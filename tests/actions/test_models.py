import datetime

import pytest

from actions.models import Milestone, MilestoneStatus, Rag
from tests.factories import MilestoneFactory

TODAY = datetime.date(2026, 6, 15)


def m(**kwargs) -> Milestone:
    defaults = {"due_date": TODAY + datetime.timedelta(days=60), "status": MilestoneStatus.PLANNED}
    return Milestone(**{**defaults, **kwargs})


@pytest.mark.parametrize(
    ("milestone", "expected"),
    [
        (m(status=MilestoneStatus.DONE, due_date=TODAY - datetime.timedelta(days=10)), Rag.GREEN),
        (m(status=MilestoneStatus.IN_PROGRESS, due_date=TODAY - datetime.timedelta(days=1)), Rag.RED),
        (m(status=MilestoneStatus.PLANNED, due_date=TODAY - datetime.timedelta(days=1)), Rag.RED),
        (m(at_risk=True, risk_reason="x", status=MilestoneStatus.IN_PROGRESS), Rag.AMBER),
        (m(status=MilestoneStatus.PLANNED, due_date=TODAY + datetime.timedelta(days=14)), Rag.AMBER),
        (m(status=MilestoneStatus.PLANNED, due_date=TODAY + datetime.timedelta(days=15)), Rag.GREEN),
        (m(status=MilestoneStatus.IN_PROGRESS, due_date=TODAY + datetime.timedelta(days=3)), Rag.GREEN),
        (m(status=MilestoneStatus.CANCELLED, due_date=TODAY - datetime.timedelta(days=30)), Rag.NONE),
    ],
)
def test_rag_follows_the_rules(milestone, expected):
    assert milestone.rag_on(TODAY) == expected


@pytest.mark.django_db
def test_rag_annotation_agrees_with_python_rule_for_every_case():
    cases = [
        MilestoneFactory(status=MilestoneStatus.DONE, due_date=TODAY - datetime.timedelta(days=3)),
        MilestoneFactory(status=MilestoneStatus.IN_PROGRESS, due_date=TODAY - datetime.timedelta(days=1)),
        MilestoneFactory(status=MilestoneStatus.IN_PROGRESS, at_risk=True, risk_reason="x"),
        MilestoneFactory(status=MilestoneStatus.PLANNED, due_date=TODAY + datetime.timedelta(days=7)),
        MilestoneFactory(status=MilestoneStatus.PLANNED, due_date=TODAY + datetime.timedelta(days=90)),
        MilestoneFactory(status=MilestoneStatus.CANCELLED, due_date=TODAY - datetime.timedelta(days=9)),
    ]
    annotated = {x.pk: x.rag_code for x in Milestone.objects.with_rag(TODAY)}
    for milestone in cases:
        assert annotated[milestone.pk] == milestone.rag_on(TODAY).value
