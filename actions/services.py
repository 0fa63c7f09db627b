"""The write paths for actions, milestones and progress. Views, API, admin and commands call these."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.accounts import roles
from governance.models import Role

from .models import Action, Milestone, MilestoneStatus, ProgressUpdate

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class DuplicateSubmission(Exception):
    """The same form was submitted twice; the first submission was recorded."""

    def __init__(self, update: ProgressUpdate) -> None:
        super().__init__(_("Deze rapportage was al vastgelegd."))
        self.update = update


@transaction.atomic
def record_progress(
    *,
    milestone: Milestone,
    by: User,
    text: str,
    new_status: str = "",
    percent_complete: int | None = None,
    at_risk: bool | None = None,
    risk_reason: str = "",
    date: datetime.date | None = None,
    submission_id: uuid.UUID | None = None,
) -> ProgressUpdate:
    """Record a progress update and apply its status, percentage and risk flag to the milestone.

    Guarantees: only `regie` or a partner of the owning organisation succeeds (PermissionDenied
    otherwise); an empty text, a date in the future or a percentage outside 0-100 changes nothing
    (ValidationError); the same `submission_id` twice records one update (DuplicateSubmission);
    the milestone's history records who changed what.
    """
    milestone = (
        Milestone.objects.select_for_update().select_related("action__owner").get(pk=milestone.pk)
    )
    roles.require_report_for(by, milestone.action.owner)

    errors: dict[str, str] = {}
    text = (text or "").strip()
    today = timezone.localdate()
    date = date or today
    if not text:
        errors["text"] = _("Geef een toelichting bij de voortgang.")
    if date > today:
        errors["date"] = _("De datum van een rapportage kan niet in de toekomst liggen.")
    if new_status and new_status not in MilestoneStatus.values:
        errors["new_status"] = _("Onbekende status.")
    if percent_complete is not None and not 0 <= percent_complete <= 100:
        errors["percent_complete"] = _("Het percentage ligt tussen 0 en 100.")
    elif percent_complete == 100 and (new_status or milestone.status) != MilestoneStatus.DONE:
        # 100 % is what "done" means: a milestone still (or again) open is not 100 % complete.
        errors["percent_complete"] = _(
            "100 procent gereed hoort bij de status Gereed; kies die status of een lager "
            "percentage."
        )
    if at_risk and not (risk_reason or "").strip():
        errors["risk_reason"] = _("Geef aan waarom de mijlpaal risico loopt.")
    if errors:
        raise ValidationError(errors)

    if submission_id is not None:
        earlier = ProgressUpdate.objects.filter(submission_id=submission_id).first()
        if earlier is not None:
            raise DuplicateSubmission(earlier)

    key = submission_id or uuid.uuid4()
    try:
        with transaction.atomic():
            update = ProgressUpdate.objects.create(
                milestone=milestone,
                author=by,
                date=date,
                text=text,
                new_status=new_status or "",
                percent_complete=percent_complete,
                submission_id=key,
            )
    except IntegrityError as exc:  # a concurrent double submit lost the race
        earlier = ProgressUpdate.objects.get(submission_id=key)
        raise DuplicateSubmission(earlier) from exc

    if new_status:
        was_done = milestone.status == MilestoneStatus.DONE
        milestone.status = new_status
        if new_status == MilestoneStatus.DONE:
            milestone.completed_on = milestone.completed_on or date
            milestone.percent_complete = 100
            milestone.at_risk = False
            milestone.risk_reason = ""
        elif was_done:
            reopen(milestone)
        else:
            milestone.completed_on = None
    if percent_complete is not None and milestone.status != MilestoneStatus.DONE:
        milestone.percent_complete = percent_complete
    if at_risk is not None and milestone.status != MilestoneStatus.DONE:
        milestone.at_risk = at_risk
        milestone.risk_reason = risk_reason.strip() if at_risk else ""
    milestone._change_reason = _("Voortgangsrapportage")  # type: ignore[attr-defined]
    milestone.save()
    return update


def reopen(milestone: Milestone) -> None:
    """Undo a milestone's completion (not saved here): it has no completion date any more, and
    it is not 100 % complete: it goes back to the last percentage reported below 100 (0 if
    none), so a reopened milestone never reads as finished."""
    milestone.completed_on = None
    if milestone.percent_complete >= 100:
        earlier = (
            ProgressUpdate.objects.filter(milestone=milestone, percent_complete__lt=100)
            .order_by("-date", "-created_at")
            .values_list("percent_complete", flat=True)
            .first()
        )
        milestone.percent_complete = earlier or 0


def _require_regie_for_structure(by: User) -> None:
    """Regie plans actions and milestones (the functional administrator may correct them)."""
    if roles.role_of(by) not in (Role.REGIE, Role.ADMIN):
        raise PermissionDenied(
            _("Alleen Regie Migratieketen legt acties, mijlpalen en aanbevelingen vast.")
        )


@transaction.atomic
def save_action(*, action: Action, by: User, recommendations=None) -> Action:
    """Create or update an action (regie only); history records the change."""
    _require_regie_for_structure(by)
    action.full_clean()
    action.save()
    if recommendations is not None:
        action.recommendations.set(recommendations)
    return action


@transaction.atomic
def save_milestone(*, milestone: Milestone, by: User) -> Milestone:
    """Create or update a milestone's plan (regie only). Status changes go via record_progress
    for partners; regie may also set them here, and `completed_on` follows the status."""
    _require_regie_for_structure(by)
    if milestone.status == MilestoneStatus.DONE:
        milestone.completed_on = milestone.completed_on or timezone.localdate()
        milestone.percent_complete = 100
    elif milestone.completed_on is not None or milestone.percent_complete >= 100:
        reopen(milestone)  # set back from done: the completion goes with it
    if not milestone.at_risk:
        milestone.risk_reason = ""
    milestone.full_clean()
    milestone.save()
    return milestone
