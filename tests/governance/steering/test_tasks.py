import pytest

from governance.models import Signal, SignalKind
from governance.steering.tasks import compute_signals_task
from tests.factories import MilestoneFactory


@pytest.mark.django_db
def test_the_task_computes_the_signals_and_running_it_twice_changes_nothing():
    milestone = MilestoneFactory(overdue=True)
    first = compute_signals_task()
    second = compute_signals_task()
    assert first["opened"] >= 1
    assert second["opened"] == 0 and second["closed"] == 0
    assert (
        Signal.objects.open().filter(kind=SignalKind.MILESTONE_OVERDUE, milestone=milestone).count()
        == 1
    )
