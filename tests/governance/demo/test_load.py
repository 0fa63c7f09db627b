import pytest
from django.core.management import call_command

from governance.models import (
    AgendaItem,
    AssessmentKind,
    Assignment,
    ChainGoal,
    Decision,
    DecisionStatus,
    Meeting,
    Signal,
)


@pytest.mark.django_db
def test_the_demo_holds_decisions_in_every_state_and_a_signal_on_the_next_agenda():
    call_command("load_demo", stdout=None)
    assert set(Decision.objects.values_list("status", flat=True)) == set(DecisionStatus.values)
    assert Decision.objects.filter(actions__isnull=False).exists()
    assert Decision.objects.filter(assessments__kind=AssessmentKind.IMPLEMENTATION_TEST).exists()
    assert Meeting.objects.filter(board__code="TB").count() >= 3
    assert Assignment.objects.filter(targets__isnull=False).exists()
    assert "snel en zorgvuldig" in ChainGoal.objects.get().text
    assert Signal.objects.open().exists()
    assert AgendaItem.objects.filter(signal__isnull=False).exists()
