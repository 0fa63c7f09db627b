"""A milestone keeps its baseline; moving its due date is a re-plan with a reason, counted and
shown on the milestone, in the lists and in the downloads."""

from __future__ import annotations

import csv
import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from actions import services
from actions.models import Milestone, MilestoneReplan, MilestoneStatus
from tests.factories import ActionFactory, MilestoneFactory, org

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def planned(regie, **kwargs) -> Milestone:
    """A milestone planned through the service, as the portal's form does."""
    milestone = Milestone(
        action=kwargs.pop("action", None) or ActionFactory(),
        title=kwargs.pop("title", "Nulmeting uitgevoerd"),
        due_date=kwargs.pop("due_date", days(30)),
        **kwargs,
    )
    return services.save_milestone(milestone=milestone, by=regie)


# ---------------------------------------------------------------- service


def test_a_new_milestone_takes_its_due_date_as_baseline(regie):
    milestone = planned(regie, due_date=days(30))
    milestone.refresh_from_db()
    assert milestone.baseline_due_date == days(30)
    assert (milestone.slip_days, milestone.replan_count) == (0, 0)


def test_replanning_keeps_the_baseline_counts_and_records_the_reason(regie):
    milestone = planned(regie, due_date=days(30))

    services.replan_milestone(
        milestone=milestone, by=regie, due_date=days(44), reason="Leverancier later"
    )
    services.replan_milestone(
        milestone=milestone, by=regie, due_date=days(51), reason="Besluit Topberaad"
    )

    milestone.refresh_from_db()
    assert (milestone.due_date, milestone.baseline_due_date) == (days(51), days(30))
    assert (milestone.slip_days, milestone.replan_count) == (21, 2)
    replans = list(milestone.replans.order_by("at", "pk"))
    assert [(r.previous_due_date, r.new_due_date, r.reason, r.by) for r in replans] == [
        (days(30), days(44), "Leverancier later", regie),
        (days(44), days(51), "Besluit Topberaad", regie),
    ]
    latest = milestone.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason == "Herplanning: Besluit Topberaad"


def test_replanning_without_a_reason_changes_nothing(regie):
    milestone = planned(regie, due_date=days(30))
    with pytest.raises(ValidationError) as refused:
        services.replan_milestone(milestone=milestone, by=regie, due_date=days(40), reason="  ")
    assert "replan_reason" in refused.value.message_dict
    milestone.refresh_from_db()
    assert (milestone.due_date, milestone.replan_count) == (days(30), 0)
    assert not MilestoneReplan.objects.exists()


def test_a_finished_milestone_is_not_replanned(regie):
    milestone = planned(regie, status=MilestoneStatus.DONE)
    with pytest.raises(ValidationError, match="gereed"):
        services.replan_milestone(milestone=milestone, by=regie, due_date=days(90), reason="x")


def test_a_partner_replans_its_own_milestones_only(ind_partner, coa_partner, regie):
    milestone = planned(regie, action=ActionFactory(owner=org("IND")), due_date=days(30))
    with pytest.raises(PermissionDenied, match="IND"):
        services.replan_milestone(
            milestone=milestone, by=coa_partner, due_date=days(40), reason="Niet van ons"
        )
    services.replan_milestone(
        milestone=milestone, by=ind_partner, due_date=days(40), reason="Capaciteit"
    )
    milestone.refresh_from_db()
    assert milestone.due_date == days(40)


def test_moving_the_due_date_in_the_plan_needs_a_reason(regie):
    milestone = planned(regie, due_date=days(30))
    milestone.due_date = days(60)
    with pytest.raises(ValidationError) as refused:
        services.save_milestone(milestone=milestone, by=regie)
    assert "replan_reason" in refused.value.message_dict
    milestone.refresh_from_db()
    assert milestone.due_date == days(30)

    milestone.due_date = days(60)
    services.save_milestone(milestone=milestone, by=regie, replan_reason="Scope groter")
    milestone.refresh_from_db()
    assert (milestone.baseline_due_date, milestone.replan_count) == (days(30), 1)


def test_saving_the_plan_without_moving_the_date_is_no_replan(regie):
    milestone = planned(regie, due_date=days(30))
    milestone.title = "Nulmeting afgerond"
    services.save_milestone(milestone=milestone, by=regie)
    milestone.refresh_from_db()
    assert milestone.replan_count == 0 and not milestone.replans.exists()


# ---------------------------------------------------------------- data migration


def test_the_migration_recovers_baseline_and_replans_from_the_history(regie):
    milestone = MilestoneFactory(due_date=days(10))
    for due, reason in ((days(20), "Later"), (days(20), ""), (days(35), "")):
        milestone.due_date = due
        milestone._change_reason = reason
        milestone.save()
    Milestone.objects.filter(pk=milestone.pk).update(baseline_due_date=None, replan_count=0)
    untouched = MilestoneFactory(due_date=days(5))
    Milestone.objects.filter(pk=untouched.pk).update(baseline_due_date=None)

    migration = importlib.import_module("actions.migrations.0005_fill_milestone_baselines")
    migration.fill_baselines(apps, None)

    milestone.refresh_from_db()
    assert (milestone.baseline_due_date, milestone.replan_count) == (days(10), 2)
    assert list(
        milestone.replans.order_by("at").values_list("previous_due_date", "new_due_date", "reason")
    ) == [(days(10), days(20), "Later"), (days(20), days(35), "")]
    untouched.refresh_from_db()
    assert (untouched.baseline_due_date, untouched.replan_count) == (days(5), 0)


# ---------------------------------------------------------------- pages


def test_milestone_page_shows_baseline_slippage_and_the_reasons(regie_client, regie):
    milestone = planned(regie, title="Nulmeting", due_date=days(30))
    services.replan_milestone(
        milestone=milestone, by=regie, due_date=days(44), reason="Leverancier later"
    )
    response = regie_client.get(reverse("actions:milestone", args=[milestone.pk]))
    html = response.content.decode()
    assert "Oorspronkelijke deadline" in html
    assert "+14 dagen" in html and "1× herpland" in html
    assert "Leverancier later" in html  # the re-plans table and the history


def test_replan_page_moves_the_date_and_comes_back_to_the_milestone(regie_client, regie):
    milestone = planned(regie, due_date=days(30))
    url = reverse("actions:milestone-replan", args=[milestone.pk])
    response = regie_client.post(
        url, {"due_date": days(37).strftime("%d-%m-%Y"), "replan_reason": "Afhankelijkheid COA"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:milestone", args=[milestone.pk])
    milestone.refresh_from_db()
    assert (milestone.due_date, milestone.replan_count) == (days(37), 1)


def test_replan_page_without_reason_shows_the_error_and_changes_nothing(regie_client, regie):
    milestone = planned(regie, due_date=days(30))
    url = reverse("actions:milestone-replan", args=[milestone.pk])
    response = regie_client.post(url, {"due_date": days(37).strftime("%d-%m-%Y")})
    assert response.status_code == 422
    assert "Geef een reden voor het verplaatsen van de deadline." in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.due_date == days(30)


def test_a_viewer_cannot_replan(client, viewer, regie):
    milestone = planned(regie, due_date=days(30))
    client.force_login(viewer)
    url = reverse("actions:milestone-replan", args=[milestone.pk])
    response = client.post(url, {"due_date": days(37).strftime("%d-%m-%Y"), "replan_reason": "x"})
    assert response.status_code == 403
    milestone.refresh_from_db()
    assert milestone.due_date == days(30)


def test_edit_page_asks_a_reason_when_the_due_date_moves(regie_client, regie):
    milestone = planned(regie, due_date=days(30))
    url = reverse("actions:milestone-edit", args=[milestone.pk])
    data = {
        "action": milestone.action_id,
        "title": milestone.title,
        "due_date": days(45).strftime("%d-%m-%Y"),
        "status": MilestoneStatus.PLANNED,
    }
    response = regie_client.post(url, data)
    assert response.status_code == 422
    assert "Geef een reden voor het verplaatsen van de deadline." in response.content.decode()

    response = regie_client.post(url, {**data, "replan_reason": "Nieuwe planning"})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.due_date, milestone.replan_count) == (days(45), 1)
    assert milestone.replans.get().reason == "Nieuwe planning"


def test_tree_lists_the_slippage_of_each_milestone(regie_client, regie):
    milestone = planned(regie, title="Verschoven mijlpaal", due_date=days(30))
    services.replan_milestone(milestone=milestone, by=regie, due_date=days(33), reason="Later")
    html = regie_client.get(reverse("actions:tree")).content.decode()
    assert "+3 dagen" in html and "1× herpland" in html


def test_milestone_download_has_baseline_slippage_and_replans(regie_client, regie):
    milestone = planned(regie, due_date=days(30))
    services.replan_milestone(milestone=milestone, by=regie, due_date=days(40), reason="Later")
    response = regie_client.get(reverse("actions:tree"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["Oorspronkelijke deadline"] == days(30).isoformat()
    assert (row["Verschuiving (dagen)"], row["Aantal herplanningen"]) == ("10", "1")


def test_milestone_api_gives_baseline_slippage_and_replans(regie_client, regie):
    milestone = planned(regie, due_date=days(30))
    services.replan_milestone(milestone=milestone, by=regie, due_date=days(23), reason="Eerder")
    data = regie_client.get(f"/api/v1/milestones/{milestone.pk}/").json()
    assert data["baseline_due_date"] == days(30).isoformat()
    assert (data["slip_days"], data["replan_count"]) == (-7, 1)


def test_the_planning_part_of_the_milestone_page_reads_english_in_english(regie_client, regie):
    milestone = planned(regie, due_date=days(30))
    services.replan_milestone(milestone=milestone, by=regie, due_date=days(32), reason="Later")
    regie_client.cookies["django_language"] = "en"
    with translation.override("nl"):  # the request's English must not outlive the test
        html = regie_client.get(reverse("actions:milestone", args=[milestone.pk])).content.decode()
    assert "Baseline due date" in html and "+2 days" in html and "re-planned 1×" in html
    assert "Oorspronkelijke deadline" not in html and "herpland" not in html
