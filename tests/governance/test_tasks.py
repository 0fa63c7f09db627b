import time

import pytest

from governance.models import Signal, SignalKind
from governance.tasks import compute_signals_task
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


@pytest.mark.integration
def test_a_real_worker_computes_the_signals(celery_worker_process):
    milestone = MilestoneFactory(overdue=True)
    compute_signals_task.delay()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if Signal.objects.filter(milestone=milestone).exists():
            break
        time.sleep(0.3)
    assert (
        Signal.objects.open().filter(kind=SignalKind.MILESTONE_OVERDUE, milestone=milestone).count()
        == 1
    )
