"""The list of open milestones without a progress report for N weeks."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from actions.models import Milestone, MilestoneStatus, ProgressUpdate
from tests.factories import ActionFactory, MilestoneFactory, org

pytestmark = pytest.mark.django_db

URL = reverse("actions:milestone-stale")


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def with_update(owner: str, days_ago: int | None, user, **kwargs) -> Milestone:
    """A milestone first recorded 100 days ago, with its last report `days_ago` days ago."""
    milestone = MilestoneFactory(action=ActionFactory(owner=org(owner)), **kwargs)
    milestone.history.update(history_date=timezone.now() - datetime.timedelta(days=100))
    if days_ago is not None:
        ProgressUpdate.objects.create(
            milestone=milestone, author=user, date=days(-days_ago), text="Stand van zaken"
        )
    return milestone


def test_only_open_milestones_silent_for_the_weeks_are_listed(regie):
    silent = with_update("IND", 40, regie, title="Stil")
    never = with_update("COA", None, regie, title="Nooit gemeld")
    recent = with_update("IND", 3, regie, title="Recent")
    done = with_update("IND", 60, regie, status=MilestoneStatus.DONE)
    listed = list(Milestone.objects.without_update_since(days(-28)))
    assert [m.pk for m in listed] == [never.pk, silent.pk]
    assert recent.pk not in {m.pk for m in listed} and done.pk not in {m.pk for m in listed}


def test_a_milestone_planned_just_now_is_not_silent_yet(regie):
    fresh = MilestoneFactory()
    assert not Milestone.objects.without_update_since(days(-28)).filter(pk=fresh.pk).exists()


@override_settings(MILESTONE_STALE_WEEKS=2)
def test_the_page_uses_the_setting_as_default_and_the_weeks_asked_for(regie_client, regie):
    ten_days = with_update("IND", 20, regie, title="Drie weken stil")
    response = regie_client.get(URL)
    assert response.context["weeks"] == 2
    assert [m.pk for m in response.context["milestones"]] == [ten_days.pk]
    assert "Drie weken stil" in response.content.decode()
    response = regie_client.get(URL, {"weeks": 4})
    assert response.context["milestones"] == []


def test_the_page_filters_by_organisation_and_shows_the_last_update(regie_client, regie):
    with_update("IND", 40, regie, title="IND stil")
    with_update("COA", 50, regie, title="COA stil")
    response = regie_client.get(URL, {"weeks": 4, "organisation": "COA"})
    html = response.content.decode()
    assert "COA stil" in html and "IND stil" not in html
    assert days(-50).strftime("%d-%m-%Y") in html or str(days(-50).day) in html


def test_a_partner_sees_its_own_silent_milestones_first(client, ind_partner, regie):
    coa = with_update("COA", 90, regie)
    ind = with_update("IND", 40, regie)
    client.force_login(ind_partner)
    response = client.get(URL)
    assert [m.pk for m in response.context["milestones"]] == [ind.pk, coa.pk]


def test_the_list_downloads_with_the_last_update(regie_client, regie):
    with_update("IND", 40, regie)
    response = regie_client.get(URL, {"weeks": 4, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["Laatste update"] for row in rows] == [days(-40).isoformat()]


def test_the_page_query_count_does_not_grow_with_the_milestones(
    regie_client, regie, django_assert_max_num_queries
):
    with_update("IND", 40, regie)
    with django_assert_max_num_queries(20) as few:
        regie_client.get(URL)
    for _ in range(10):
        with_update("COA", 40, regie)
    with django_assert_max_num_queries(len(few.captured_queries)):
        regie_client.get(URL)
