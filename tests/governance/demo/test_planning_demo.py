"""The demo shows planning that remembers: baselines everywhere, some milestones re-planned with
a reason, and open milestones without a recent update."""

import datetime

import pytest
from django.utils import timezone

from actions.models import Milestone, MilestoneReplan
from governance.demo import actions, structure


@pytest.mark.django_db
def test_the_demo_milestones_have_baselines_replans_and_silent_ones():
    structure.build()
    actions.build()
    assert not Milestone.objects.filter(baseline_due_date=None).exists()
    slipped = Milestone.objects.filter(replan_count__gt=0)
    assert slipped.exists()
    assert all(m.slip_days > 0 and m.replans.count() == 1 for m in slipped)
    assert not MilestoneReplan.objects.filter(reason="").exists()
    since = timezone.localdate() - datetime.timedelta(weeks=4)
    assert Milestone.objects.without_update_since(since).exists()
