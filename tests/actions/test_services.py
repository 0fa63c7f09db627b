import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from actions import services
from actions.models import Action, Milestone, MilestoneStatus, ProgressUpdate
from tests.factories import ActionFactory, MilestoneFactory, RecommendationFactory, org

pytestmark = pytest.mark.django_db


@pytest.fixture
def milestone():
    """A planned milestone of an IND action."""
    return MilestoneFactory(action=ActionFactory(owner=org("IND")), percent_complete=10)


def snapshot(milestone: Milestone) -> tuple:
    milestone.refresh_from_db()
    return (
        milestone.status,
        milestone.percent_complete,
        milestone.at_risk,
        milestone.risk_reason,
        milestone.completed_on,
        milestone.updates.count(),
        milestone.history.count(),
    )


def test_partner_of_the_owning_organisation_records_progress(milestone, ind_partner):
    update = services.record_progress(
        milestone=milestone, by=ind_partner, text="Plan gereed.", percent_complete=40
    )
    milestone.refresh_from_db()
    assert update.author == ind_partner
    assert milestone.percent_complete == 40


def test_partner_of_another_organisation_is_refused_and_nothing_changes(milestone, coa_partner):
    before = snapshot(milestone)
    with pytest.raises(PermissionDenied, match="eigen organisatie"):
        services.record_progress(
            milestone=milestone, by=coa_partner, text="Gereed.", new_status=MilestoneStatus.DONE
        )
    assert snapshot(milestone) == before


def test_viewer_is_refused_and_nothing_changes(milestone, viewer):
    before = snapshot(milestone)
    with pytest.raises(PermissionDenied):
        services.record_progress(
            milestone=milestone, by=viewer, text="Gereed.", percent_complete=90
        )
    assert snapshot(milestone) == before


def test_regie_records_progress_on_any_organisations_milestone(milestone, regie):
    services.record_progress(
        milestone=milestone, by=regie, text="Gestart.", new_status=MilestoneStatus.IN_PROGRESS
    )
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.IN_PROGRESS
    assert milestone.updates.get().author == regie


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"text": "   "}, "text", "Geef een toelichting"),
        (
            {"text": "x", "date": timezone.localdate() + datetime.timedelta(days=1)},
            "date",
            "niet in de toekomst",
        ),
        ({"text": "x", "percent_complete": 101}, "percent_complete", "tussen 0 en 100"),
        ({"text": "x", "at_risk": True, "risk_reason": " "}, "risk_reason", "risico loopt"),
        ({"text": "x", "new_status": "finished"}, "new_status", "Onbekende status"),
    ],
    ids=["empty text", "future date", "percentage over 100", "risk without reason", "bad status"],
)
def test_invalid_progress_is_refused_with_a_dutch_message_and_nothing_changes(
    milestone, ind_partner, kwargs, field, message
):
    before = snapshot(milestone)
    with pytest.raises(ValidationError) as excinfo:
        services.record_progress(milestone=milestone, by=ind_partner, **kwargs)
    assert message in " ".join(excinfo.value.message_dict[field])
    assert snapshot(milestone) == before


def test_the_same_submission_twice_records_one_update(milestone, ind_partner):
    submission_id = uuid.uuid4()
    services.record_progress(
        milestone=milestone, by=ind_partner, text="Eén keer.", submission_id=submission_id
    )
    with pytest.raises(services.DuplicateSubmission):
        services.record_progress(
            milestone=milestone, by=ind_partner, text="Eén keer.", submission_id=submission_id
        )
    assert ProgressUpdate.objects.filter(milestone=milestone).count() == 1


def test_status_done_sets_completed_on_and_hundred_percent(milestone, ind_partner):
    day = timezone.localdate() - datetime.timedelta(days=2)
    services.record_progress(
        milestone=milestone,
        by=ind_partner,
        text="Afgerond.",
        new_status=MilestoneStatus.DONE,
        date=day,
    )
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.DONE
    assert milestone.completed_on == day
    assert milestone.percent_complete == 100


def test_reopening_a_done_milestone_clears_completed_on(ind_partner):
    milestone = MilestoneFactory(action=ActionFactory(owner=org("IND")), done=True)
    services.record_progress(
        milestone=milestone,
        by=ind_partner,
        text="Toch niet.",
        new_status=MilestoneStatus.IN_PROGRESS,
    )
    milestone.refresh_from_db()
    assert milestone.completed_on is None


def test_flagging_a_risk_stores_the_reason(milestone, ind_partner):
    services.record_progress(
        milestone=milestone, by=ind_partner, text="Vertraging.", at_risk=True, risk_reason="Budget."
    )
    milestone.refresh_from_db()
    assert milestone.at_risk is True
    assert milestone.risk_reason == "Budget."


def test_progress_is_recorded_in_the_milestones_history_with_its_author(milestone, ind_partner):
    services.record_progress(
        milestone=milestone, by=ind_partner, text="Verder.", percent_complete=60
    )
    latest = milestone.history.first()
    assert latest.percent_complete == 60
    assert latest.history_change_reason == "Voortgangsrapportage"


def test_partner_cannot_create_an_action(ind_partner):
    action = Action(
        title="Eigen actie",
        owner=org("IND"),
        responsible_function="x",
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2024, 12, 31),
    )
    with pytest.raises(PermissionDenied):
        services.save_action(action=action, by=ind_partner)
    assert not Action.objects.filter(title="Eigen actie").exists()


def test_regie_creates_an_action_with_its_recommendations(regie):
    recommendation = RecommendationFactory()
    action = Action(
        title="Nieuwe actie",
        owner=org("COA"),
        responsible_function="Directeur",
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2024, 12, 31),
    )
    services.save_action(action=action, by=regie, recommendations=[recommendation])
    assert list(Action.objects.get(title="Nieuwe actie").recommendations.all()) == [recommendation]


def test_an_action_cannot_end_before_it_starts(regie):
    action = Action(
        title="Omgekeerd",
        owner=org("COA"),
        responsible_function="x",
        start=datetime.date(2024, 6, 1),
        end=datetime.date(2024, 1, 1),
    )
    with pytest.raises(ValidationError):
        services.save_action(action=action, by=regie)
    assert not Action.objects.filter(title="Omgekeerd").exists()


def test_viewer_cannot_change_a_milestones_plan(milestone, viewer):
    milestone.title = "Anders"
    with pytest.raises(PermissionDenied):
        services.save_milestone(milestone=milestone, by=viewer)
    milestone.refresh_from_db()
    assert milestone.title != "Anders"


def test_regie_marking_a_milestone_done_sets_completed_on(milestone, regie):
    milestone.status = MilestoneStatus.DONE
    services.save_milestone(milestone=milestone, by=regie)
    milestone.refresh_from_db()
    assert milestone.completed_on == timezone.localdate()
    assert milestone.percent_complete == 100


def test_reopening_a_done_milestone_resets_its_completion(ind_partner):
    milestone = MilestoneFactory(action=ActionFactory(owner=org("IND")), percent_complete=30)
    services.record_progress(
        milestone=milestone, by=ind_partner, text="Bijna.", percent_complete=80
    )
    services.record_progress(
        milestone=milestone, by=ind_partner, text="Klaar.", new_status=MilestoneStatus.DONE
    )
    services.record_progress(
        milestone=milestone,
        by=ind_partner,
        text="Toch niet klaar.",
        new_status=MilestoneStatus.IN_PROGRESS,
    )
    milestone.refresh_from_db()
    assert milestone.completed_on is None
    assert milestone.percent_complete == 80


def test_regie_setting_a_done_milestone_back_resets_its_completion(regie):
    milestone = MilestoneFactory(done=True)
    milestone.status = MilestoneStatus.IN_PROGRESS
    services.save_milestone(milestone=milestone, by=regie)
    milestone.refresh_from_db()
    assert milestone.completed_on is None
    assert milestone.percent_complete < 100


def test_an_open_milestone_cannot_be_reported_as_hundred_percent(milestone, ind_partner):
    with pytest.raises(ValidationError) as excinfo:
        services.record_progress(
            milestone=milestone, by=ind_partner, text="Af?", percent_complete=100
        )
    assert "status Gereed" in excinfo.value.message_dict["percent_complete"][0]
    milestone.refresh_from_db()
    assert milestone.percent_complete == 10
