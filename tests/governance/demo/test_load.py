import pytest
from django.core.management import call_command
from django.utils import timezone

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


@pytest.mark.django_db
def test_the_demo_dates_its_history_so_an_earlier_report_has_content(regie_client):
    from governance.models import Recommendation, ReportingMoment
    from governance.reports import content as report_content

    call_command("load_demo", stdout=None)
    earlier = ReportingMoment.objects.order_by("date").first()
    data = report_content.build_report_data(earlier)
    assert data["summary"]["recommendations"] == Recommendation.objects.count() > 0
    assert all(theme["milestones"] > 0 for theme in data["themes"])
    assert data["summary"]["milestones_done"] > 0
    statuses = {row["code"]: row["status"] for row in data["changes"] + [
        r for t in data["themes"] for p in t["perspectives"] for r in p["recommendations"]
    ]}  # fmt: skip
    assert "open" in statuses.values()
    # Today's report is the overview, number for number, for the demo too.
    today = ReportingMoment.objects.create(
        date=timezone.localdate(),
        title="Vandaag",
        created_by=earlier.created_by,
    )
    now = report_content.build_report_data(today)
    context = regie_client.get("/overzicht/").context
    assert {t["number"]: (t["n_recommendations"], t["milestones"], t["milestones_done"])
            for t in now["themes"]} == {
        t.number: (t.n_recommendations, t.total, t.n_done) for t in context["themes"]
    }  # fmt: skip
    # The follow-ups of this autumn's decisions did not exist at the earlier moment.
    assert now["summary"]["milestones"] > data["summary"]["milestones"]
