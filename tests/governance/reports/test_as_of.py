"""The report is as of its date, from one reconstruction; for today it equals the overview."""

import datetime

import pytest
from django.utils import timezone

from actions.models import MilestoneStatus
from governance.boards import services as decisions
from governance.models import ActionPerspective, ReportingMoment
from governance.reports import content as report_content
from governance.reports import services as reports
from tests.factories import (
    ActionFactory,
    MilestoneFactory,
    RecommendationFactory,
    board,
    lived,
    org,
    recorded_at,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


@pytest.fixture
def chain(regie):
    """Recommendations under perspectives 1, 3 (two themes) and 7; an action carrying two
    recommendations; cancelled and done milestones; follow-ups of a decision with only a
    perspective, and of one with nothing at all."""
    p1, p3, p7 = (ActionPerspective.objects.get(number=n) for n in (1, 3, 7))
    r1 = RecommendationFactory(code="X1", perspective=p1)
    r3a = RecommendationFactory(code="X3a", perspective=p3)
    r3b = RecommendationFactory(code="X3b", perspective=p3)
    RecommendationFactory(code="X7", perspective=p7)  # no actions: counts as a recommendation
    both = ActionFactory(recommendations=[r3a, r3b])  # one action, two recommendations
    MilestoneFactory(action=both, status=MilestoneStatus.DONE, completed_on=days_ago(3))
    MilestoneFactory(action=both)
    MilestoneFactory(action=both, status=MilestoneStatus.CANCELLED)
    MilestoneFactory(action=ActionFactory(recommendations=[r1]), overdue=True)
    MilestoneFactory(action=ActionFactory(recommendations=[r1, r3a]))
    perspective_only = decisions.record_decision(
        board=board(), by=regie, title="Alleen perspectief", text="x", date=days_ago(2),
        perspectives=[ActionPerspective.objects.get(number=5)],
    )  # fmt: skip
    bare = decisions.record_decision(
        board=board(), by=regie, title="Zonder koppeling", text="x", date=days_ago(2)
    )
    for decision in (perspective_only, bare):
        decisions.change_decision_status(decision=decision, to="adopted", by=regie)
        decisions.add_follow_up(
            decision=decision,
            by=regie,
            title=f"Vervolg {decision.number}",
            owner=org("COA"),
            due_date=TODAY + datetime.timedelta(days=30),
            responsible_function="Directeur",
        )
    return {"perspective_only": perspective_only, "bare": bare}


def overview_counts(client) -> dict:
    context = client.get("/overzicht/").context
    themes = {t.number: (t.n_recommendations, t.total, t.n_done) for t in context["themes"]}
    chain = context["chain"]
    return {"themes": themes, "chain": (chain.n_recommendations, chain.total, chain.n_done)}


def report_counts(data) -> dict:
    themes = {
        t["number"]: (t["n_recommendations"], t["milestones"], t["milestones_done"])
        for t in data["themes"]
    }
    summary = data["summary"]
    chain = (summary["recommendations"], summary["milestones"], summary["milestones_done"])
    return {"themes": themes, "chain": chain}


def test_a_report_for_today_equals_the_overview_number_for_number(chain, regie, regie_client):
    moment = ReportingMoment.objects.create(date=TODAY, title="Vandaag", created_by=regie)
    overview = overview_counts(regie_client)
    report = report_counts(report_content.build_report_data(moment))
    assert report == overview
    # Not trivially equal: the action with two recommendations counts its milestones once,
    # the follow-ups count (under perspective 5's theme, and for the chain).
    perspective_5 = next(
        p for p in regie_client.get("/overzicht/").context["perspectives"] if p.number == 5
    )
    assert (perspective_5.total, perspective_5.n_recommendations) == (1, 0)
    # 4 recommendations; 6 milestones not cancelled (2 + 1 + 1 under them, 2 follow-ups); 1 done.
    assert overview["chain"] == (4, 6, 1)


def test_follow_ups_of_decisions_are_in_the_tree_the_counts_and_the_burn_up(chain, regie_client):
    from dashboards.models import ProgressKind, ProgressPoint
    from dashboards.rebuild.build import rebuild_dashboards

    html = regie_client.get("/uitvoering/").content.decode()
    assert "Vervolg op besluit" in html
    assert chain["perspective_only"].number in html
    assert "Vervolg op besluiten zonder handelingsperspectief" in html
    assert chain["bare"].number in html
    overview = overview_counts(regie_client)
    rebuild = rebuild_dashboards()
    burn_up = ProgressPoint.objects.filter(
        rebuild_id=rebuild.pk, kind=ProgressKind.CHAIN, day=TODAY
    ).get()
    assert burn_up.total == overview["chain"][1]
    theme_5 = ActionPerspective.objects.get(number=5).themes.get()
    theme_burn_up = ProgressPoint.objects.filter(
        rebuild_id=rebuild.pk, kind=ProgressKind.THEME, group_id=theme_5.pk, day=TODAY
    ).get()
    assert theme_burn_up.total == overview["themes"][theme_5.number][1]


def test_a_report_for_an_earlier_date_shows_the_state_then(regie):
    recommendation = RecommendationFactory(code="V1", status="open")
    lived(recommendation, days_ago(100), (days_ago(5), {"status": "implemented"}))
    action = ActionFactory(recommendations=[recommendation])
    action.history.update(history_date=timezone.now() - datetime.timedelta(days=100))
    moved = MilestoneFactory(action=action, title="Verschoven", due_date=days_ago(30))
    lived(
        moved,
        days_ago(100),
        (days_ago(40), {"at_risk": True, "risk_reason": "Oude reden"}),
        (days_ago(2), {"due_date": TODAY + datetime.timedelta(days=20), "risk_reason": "Nieuw"}),
    )
    done = MilestoneFactory(action=action, title="Later gereed", due_date=days_ago(25))
    lived(
        done,
        days_ago(100),
        (days_ago(1), {"status": "done", "completed_on": days_ago(1), "percent_complete": 100}),
    )
    cancelled = MilestoneFactory(action=action, title="Later geannuleerd", due_date=days_ago(60))
    lived(cancelled, days_ago(100), (days_ago(1), {"status": MilestoneStatus.CANCELLED}))
    moment = ReportingMoment.objects.create(date=days_ago(10), title="Toen", created_by=regie)

    data = report_content.build_report_data(moment)

    assert data["summary"]["recommendations"] == 1
    rows = [r for t in data["themes"] for p in t["perspectives"] for r in p["recommendations"]]
    row = rows[0]  # perspective 3 lies under two themes: the same row twice
    assert {r["code"] for r in rows} == {"V1"}
    assert (row["code"], row["status"]) == ("V1", "open")
    assert (row["milestones"], row["milestones_done"]) == (3, 0)
    overdue = {r["title"]: r for r in data["overdue"]}
    assert set(overdue) == {"Verschoven", "Later gereed", "Later geannuleerd"}
    assert overdue["Verschoven"]["reason"] == "Oude reden"
    assert overdue["Verschoven"]["due_date"] == days_ago(30).isoformat()
    assert overdue["Later gereed"]["status"] == MilestoneStatus.PLANNED
    assert data["completed"] == []


def test_versions_count_per_moment(regie, django_capture_on_commit_callbacks):
    first = ReportingMoment.objects.create(date=days_ago(200), title="Eerste", created_by=regie)
    second = ReportingMoment.objects.create(date=days_ago(20), title="Tweede", created_by=regie)
    made = []
    for moment in (first, second, second):
        with django_capture_on_commit_callbacks(execute=True):
            report = reports.request_progress_report(moment=moment, by=regie)
        report.refresh_from_db()
        made.append(report)
    assert [r.version for r in made] == [1, 1, 2]
    assert made[1].pdf_file.name.endswith("-v1.pdf")
    assert made[1].data["version"] == 1


def test_recorded_at_dates_only_the_latest_record(regie):
    recommendation = RecommendationFactory(code="H1")
    recorded_at(recommendation, days_ago(9))
    assert recommendation.history.get().history_date.date() == days_ago(9)
