import time

import pytest

from governance.models import Signal, SignalKind
from governance.steering.tasks import compute_signals_task
from tests.factories import MilestoneFactory


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
