"""Bulk update of selected milestones: one status or due date for all, all or nothing, through
the milestone services; a partner only for its own organisation's milestones."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import Milestone, MilestoneStatus, ProgressUpdate
from tests.factories import ActionFactory, MilestoneFactory, org

pytestmark = pytest.mark.django_db

URL = reverse("actions:milestone-bulk")


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def of(owner: str, **kwargs) -> Milestone:
    due = kwargs.pop("due_date", days(30))
    return MilestoneFactory(
        action=ActionFactory(owner=org(owner)), due_date=due, baseline_due_date=due, **kwargs
    )


def state(*milestones: Milestone) -> list[tuple]:
    return [
        (m.status, m.due_date, m.replan_count, m.updates.count())
        for m in Milestone.objects.filter(pk__in=[m.pk for m in milestones]).order_by("pk")
    ]


# ---------------------------------------------------------------- service


def test_bulk_status_change_records_a_progress_update_on_each(regie):
    a, b = of("IND"), of("COA")
    changed = services.bulk_update_milestones(
        milestones=[a, b], by=regie, new_status=MilestoneStatus.IN_PROGRESS, note="Gestart"
    )
    assert changed == 2
    assert state(a, b) == [(MilestoneStatus.IN_PROGRESS, days(30), 0, 1)] * 2
    assert set(ProgressUpdate.objects.values_list("text", flat=True)) == {"Gestart"}


def test_bulk_replan_moves_every_due_date_with_the_reason(regie):
    a, b = of("IND", due_date=days(10)), of("IND", due_date=days(20))
    services.bulk_update_milestones(
        milestones=[a, b], by=regie, due_date=days(60), reason="Nieuwe wet"
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.due_date, a.slip_days, a.replan_count) == (days(60), 50, 1)
    assert (b.due_date, b.slip_days, b.replan_count) == (days(60), 40, 1)
    assert {r.reason for r in (*a.replans.all(), *b.replans.all())} == {"Nieuwe wet"}


def test_one_refused_milestone_leaves_all_unchanged_and_is_named(ind_partner):
    own, other = of("IND"), of("COA", title="Van COA")
    before = state(own, other)
    with pytest.raises(services.BulkRefused) as refused:
        services.bulk_update_milestones(
            milestones=[own, other], by=ind_partner, due_date=days(90), reason="Later"
        )
    assert [r.milestone.pk for r in refused.value.refusals] == [other.pk]
    assert "COA" in refused.value.refusals[0].message
    assert state(own, other) == before


def test_a_finished_milestone_refuses_a_new_due_date_and_nothing_changes(regie):
    open_one, done = of("IND"), of("IND", status=MilestoneStatus.DONE)
    before = state(open_one, done)
    with pytest.raises(services.BulkRefused) as refused:
        services.bulk_update_milestones(
            milestones=[open_one, done], by=regie, due_date=days(90), reason="Later"
        )
    assert [r.milestone.pk for r in refused.value.refusals] == [done.pk]
    assert state(open_one, done) == before


def test_a_bulk_status_needs_a_note_and_a_due_date_a_reason(regie):
    m = of("IND")
    with pytest.raises(ValidationError) as refused:
        services.bulk_update_milestones(
            milestones=[m], by=regie, new_status=MilestoneStatus.DONE, due_date=days(40)
        )
    assert set(refused.value.message_dict) == {"note", "reason"}
    with pytest.raises(ValidationError):
        services.bulk_update_milestones(milestones=[m], by=regie)
    assert state(m) == [(MilestoneStatus.PLANNED, days(30), 0, 0)]


# ---------------------------------------------------------------- page


def test_the_bulk_page_offers_a_partner_only_its_own_milestones(client, ind_partner):
    own, other = of("IND", title="Eigen mijlpaal"), of("COA", title="Andermans mijlpaal")
    client.force_login(ind_partner)
    response = client.get(URL)
    assert response.status_code == 200
    assert [m.pk for m in response.context["milestones"]] == [own.pk]
    html = response.content.decode()
    assert "Eigen mijlpaal" in html and "Andermans mijlpaal" not in html
    assert other.pk not in {m.pk for m in response.context["milestones"]}


def test_the_bulk_page_updates_the_selected_milestones(regie_client):
    a, b, untouched = of("IND"), of("COA"), of("IND")
    response = regie_client.post(
        URL,
        {"milestones": [a.pk, b.pk], "new_status": MilestoneStatus.DONE, "note": "Afgerond"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == URL
    assert "2 mijlpalen zijn bijgewerkt." in response.content.decode()
    assert [s[0] for s in state(a, b, untouched)] == [
        MilestoneStatus.DONE,
        MilestoneStatus.DONE,
        MilestoneStatus.PLANNED,
    ]


def test_the_bulk_page_names_each_refused_milestone_and_changes_nothing(client, ind_partner):
    own, other = of("IND"), of("COA", title="COA-mijlpaal")
    client.force_login(ind_partner)
    before = state(own, other)
    response = client.post(
        URL,
        {
            "milestones": [own.pk, other.pk],
            "due_date": days(80).strftime("%d-%m-%Y"),
            "reason": "Capaciteit",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Er is niets gewijzigd" in html
    assert "COA-mijlpaal" in html and "Deze mijlpaal is van COA." in html
    assert state(own, other) == before


def test_the_bulk_page_without_a_selection_says_so(regie_client):
    response = regie_client.post(URL, {"new_status": MilestoneStatus.DONE, "note": "x"})
    assert response.status_code == 422
    assert "Kies ten minste één mijlpaal." in response.content.decode()


def test_a_viewer_cannot_bulk_update(client, viewer):
    m = of("IND")
    client.force_login(viewer)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"milestones": [m.pk], "new_status": "done", "note": "x"})
    assert response.status_code == 403
    assert state(m) == [(MilestoneStatus.PLANNED, days(30), 0, 0)]


def test_the_bulk_page_query_count_does_not_grow_with_the_milestones(
    regie_client, django_assert_max_num_queries
):
    for _ in range(3):
        of("IND")
    with django_assert_max_num_queries(20) as few:
        regie_client.get(URL)
    for _ in range(15):
        of("COA")
    with django_assert_max_num_queries(len(few.captured_queries)):
        regie_client.get(URL)
