"""Mijn werk: each role finds its own work on its first page, with a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboards.models import Indicator, Upload, UploadStatus
from governance.models import ReportingMoment, SignalKind
from ketenportaal.periods import QUARTER, last_complete
from tests.dashboards.factories import approved_upload
from tests.factories import (
    ActionFactory,
    DecisionFactory,
    MeetingFactory,
    MilestoneFactory,
    RecommendationFactory,
    make_figures,
    make_signal,
    org,
)

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def milestone(owner: str, title: str, due: int, code: str | None = None):
    recommendation = RecommendationFactory(**({"code": code} if code else {}))
    action = ActionFactory(
        owner=org(owner), title=f"Actie van {title}", recommendations=[recommendation]
    )
    return MilestoneFactory(action=action, title=title, due_date=days(due), status="in_progress")


def an_old_quarter():
    """A quarter whose delivery term passed long ago, whatever today is."""
    return last_complete(QUARTER, timezone.localdate()).previous()


def sent_on(upload: Upload, day: datetime.date) -> Upload:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    Upload.objects.filter(pk=upload.pk).update(uploaded_at=moment)
    return upload


def test_login_is_required(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


# ---------------------------------------------------------------- partner


def test_partner_sees_its_own_overdue_and_upcoming_milestones_with_action_and_recommendation(
    client, ind_partner
):
    milestone("IND", "Nulmeting uitgevoerd", -3, code="R-IND-7")
    milestone("IND", "Pilot gestart", 10, code="R-IND-8")
    milestone("COA", "COA-mijlpaal te laat", -3, code="R-COA-1")
    client.force_login(ind_partner)

    response = client.get(reverse("home"))

    html = response.content.decode()
    assert [m.title for m in response.context["overdue"]["rows"]] == ["Nulmeting uitgevoerd"]
    assert [m.title for m in response.context["upcoming"]["rows"]] == ["Pilot gestart"]
    assert "Actie van Nulmeting uitgevoerd" in html and "R-IND-7" in html
    assert "COA-mijlpaal te laat" not in html
    assert "Mijn werk" in html


def test_partner_sees_missing_and_late_deliveries_with_their_due_dates(client, ind_partner):
    quarter = an_old_quarter()
    indicator = Indicator.objects.get(code="asylum_pending")
    due = indicator.due_on(quarter)
    figures = {("asylum_pending", m.canonical, ""): 5 for m in quarter.parts("month")}
    sent_on(approved_upload("IND", figures), due + datetime.timedelta(days=4))
    client.force_login(ind_partner)

    response = client.get(reverse("home"))

    late = [(d.indicator.code, d.quarter) for d in response.context["late"]]
    missing = {(d.indicator.code, d.quarter) for d in response.context["missing"]}
    assert late == [("asylum_pending", quarter.canonical)]
    assert ("asylum_applications", quarter.canonical) in missing
    assert ("asylum_pending", quarter.canonical) not in missing
    assert all(d.organisation_id == org("IND").pk for d in response.context["missing"])
    html = response.content.decode()
    assert due.strftime("%Y") in html and "te laat" in html and "ontbreekt" in html


def test_partner_sees_its_uploads_waiting_and_rejected_with_the_reason(client, ind_partner):
    approved_upload("IND", {}, status=UploadStatus.VALID)
    rejected = approved_upload("IND", {}, status=UploadStatus.REJECTED)
    Upload.objects.filter(pk=rejected.pk).update(rejection_reason="Kwartaal 3 ontbreekt nog")
    approved_upload("COA", {}, status=UploadStatus.REJECTED)
    client.force_login(ind_partner)

    response = client.get(reverse("home"))

    assert response.context["waiting"]["count"] == 1
    assert [u.pk for u in response.context["turned_down"]["rows"]] == [rejected.pk]
    assert "Kwartaal 3 ontbreekt nog" in response.content.decode()


# ---------------------------------------------------------------- regie


def test_regie_sees_uploads_to_review_overdue_milestones_signals_meetings_and_moments(
    regie_client, regie
):
    approved_upload("COA", {}, status=UploadStatus.VALID)
    milestone("COA", "COA-mijlpaal te laat", -3)
    milestone("IND", "IND-mijlpaal te laat", -8)
    make_signal(
        key="figures:x",
        kind=SignalKind.FIGURES_MISSING,
        organisation=org("DTV"),
        period="2026-Q3",
    )
    MeetingFactory(title="Topberaad december", date=days(7))
    ReportingMoment.objects.create(date=days(20), title="Voortgangsbrief", created_by=regie)

    response = regie_client.get(reverse("home"))

    assert response.context["to_review"]["count"] == 1
    assert {m.title for m in response.context["overdue"]["rows"]} == {
        "COA-mijlpaal te laat",
        "IND-mijlpaal te laat",
    }
    assert response.context["signals"]["count"] == 1
    html = response.content.decode()
    assert "Topberaad december" in html and "Voortgangsbrief" in html
    assert reverse("packs:meeting", args=[response.context["meetings"][0].pk]) in html


# ---------------------------------------------------------------- viewer


def test_viewer_sees_key_figures_with_their_trend_rag_per_theme_and_latest_decisions(
    client, viewer
):
    from dashboards.rebuild.build import rebuild_dashboards

    # The last two complete quarters (key figures look back two years from today).
    last = last_complete(QUARTER, timezone.localdate())
    months = [*last.previous().parts("month"), *last.parts("month")]
    make_figures(
        "IND",
        "asylum_pending",
        {str(m): v for m, v in zip(months, [100, 110, 120, 130, 140, 150], strict=True)},
    )
    rebuild_dashboards()
    milestone("IND", "Te laat in thema", -3)  # perspective 3: themes 2 and 3
    DecisionFactory(title="Besluit over de opvang")
    client.force_login(viewer)

    response = client.get(reverse("home"))

    (figure,) = [f for f in response.context["figures"] if f["indicator"] == "asylum_pending"]
    assert (figure["period"], figure["value"], figure["trend"]) == (str(last), 150, "up")
    themes = {t.theme.number: t for t in response.context["themes"]}
    assert themes[2].rag == "red" and themes[2].red == 1
    assert themes[1].total == 0
    html = response.content.decode()
    assert "Besluit over de opvang" in html and "stijgend" in html
    # Each key figure opens its lineage (issue 12).
    lineage = (
        f"/dashboards/herkomst/?indicator=asylum_pending&amp;frequency=quarter&amp;period={last}"
    )
    assert lineage in html


# ---------------------------------------------------------------- queries


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def add_work(n: int, regie) -> None:
    for i in range(n):
        milestone("IND", f"Te laat {i}", -1 - i)
        milestone("IND", f"Binnenkort {i}", 1 + i)
        approved_upload("IND", {}, status=UploadStatus.VALID)
        approved_upload("IND", {}, status=UploadStatus.REJECTED)
        make_signal(
            key=f"m:{n}:{i}",
            kind=SignalKind.FIGURES_MISSING,
            organisation=org("IND"),
            period="2026-Q3",
        )
        MeetingFactory(date=days(3 + i))
        DecisionFactory()
        ReportingMoment.objects.create(
            date=days(40 + n + i), title=f"Moment {n} {i}", created_by=regie
        )


@pytest.mark.parametrize("role", ["ind_partner", "regie", "viewer"])
def test_each_home_page_runs_the_same_number_of_queries_for_one_and_many_objects(
    client, request, regie, role
):
    client.force_login(request.getfixturevalue(role))
    add_work(1, regie)
    client.get(reverse("home"))  # warm up (content types, session)
    one = count_queries(client)
    add_work(25, regie)
    many = count_queries(client)
    assert one == many, f"{one} queries with one of each, {many} with 26"
