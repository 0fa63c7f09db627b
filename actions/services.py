"""The write paths for actions, milestones and progress. Views, API, admin and commands call these."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from governance.accounts import roles
from governance.models import Role
from ketenportaal.history import Reason, stored_reason

from .models import Action, Milestone, MilestoneReplan, MilestoneStatus, ProgressUpdate

#: The history reason of a moved deadline, with the reason its author gave.
REPLANNED = Reason(gettext_noop("Herplanning: %(reason)s"))


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
    milestone._change_reason = stored_reason(gettext_lazy("Voortgangsrapportage"))  # type: ignore[attr-defined]
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
def save_milestone(*, milestone: Milestone, by: User, replan_reason: str = "") -> Milestone:
    """Create or update a milestone's plan (regie only). Status changes go via record_progress
    for partners; regie may also set them here, and `completed_on` follows the status.
    A new milestone's due date is its baseline; moving an existing one's due date is a re-plan
    and needs `replan_reason` (ValidationError otherwise, nothing changes)."""
    _require_regie_for_structure(by)
    replan = _plan_due_date(milestone=milestone, by=by, reason=replan_reason)
    if milestone.status == MilestoneStatus.DONE:
        milestone.completed_on = milestone.completed_on or timezone.localdate()
        milestone.percent_complete = 100
    elif milestone.completed_on is not None or milestone.percent_complete >= 100:
        reopen(milestone)  # set back from done: the completion goes with it
    if not milestone.at_risk:
        milestone.risk_reason = ""
    milestone.full_clean()
    milestone.save()
    if replan is not None:
        replan.save()
    return milestone


def _plan_due_date(*, milestone: Milestone, by: User, reason: str) -> MilestoneReplan | None:
    """Keep the baseline, and turn a moved due date into a re-plan with its reason.

    Sets the baseline of a milestone planned for the first time; for one whose due date differs
    from the stored one, checks the reason, counts the re-plan, gives the history the reason and
    returns the (unsaved) re-plan record. Locks the stored row so two re-plans count twice."""
    stored = (
        Milestone.objects.select_for_update()
        .filter(pk=milestone.pk)
        .values("due_date", "baseline_due_date", "replan_count")
        .first()
        if milestone.pk
        else None
    )
    if stored is None:
        milestone.baseline_due_date = milestone.baseline_due_date or milestone.due_date
        return None
    milestone.baseline_due_date = stored["baseline_due_date"] or stored["due_date"]
    milestone.replan_count = stored["replan_count"]
    if milestone.due_date == stored["due_date"]:
        return None
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"replan_reason": _("Geef een reden voor het verplaatsen van de deadline.")}
        )
    milestone.replan_count += 1
    milestone._change_reason = REPLANNED(reason=reason)  # type: ignore[attr-defined]
    return MilestoneReplan(
        milestone=milestone,
        previous_due_date=stored["due_date"],
        new_due_date=milestone.due_date,
        reason=reason,
        by=by,
    )


@transaction.atomic
def replan_milestone(
    *, milestone: Milestone, by: User, due_date: datetime.date, reason: str
) -> MilestoneReplan:
    """Move a milestone's due date, recording why.

    Guarantees: only `regie` or a partner of the owning organisation succeeds (PermissionDenied);
    a finished or cancelled milestone, an unchanged date or an empty reason changes nothing
    (ValidationError); the baseline stays, the re-plan count goes up by one, the re-plan is
    recorded with its reason and author, and the milestone's history carries the reason.
    """
    milestone = (
        Milestone.objects.select_for_update().select_related("action__owner").get(pk=milestone.pk)
    )
    roles.require_report_for(by, milestone.action.owner)
    errors: dict[str, str] = {}
    if milestone.status in (MilestoneStatus.DONE, MilestoneStatus.CANCELLED):
        errors["due_date"] = _(
            "Deze mijlpaal is %(status)s; een afgeronde mijlpaal wordt niet herpland."
        ) % {"status": milestone.get_status_display().lower()}
    elif due_date == milestone.due_date:
        errors["due_date"] = _("De nieuwe deadline is gelijk aan de huidige.")
    if not (reason or "").strip():
        errors["replan_reason"] = _("Geef een reden voor het verplaatsen van de deadline.")
    if errors:
        raise ValidationError(errors)
    milestone.due_date = due_date
    replan = _plan_due_date(milestone=milestone, by=by, reason=reason)
    assert replan is not None  # the date differs from the stored one
    milestone.full_clean()
    milestone.save()
    replan.save()
    return replan


@dataclass(frozen=True)
class Refusal:
    """Why one milestone of a bulk update could not take the change."""

    milestone: Milestone
    message: str


class BulkRefused(Exception):
    """Some milestones refused a bulk update; none of the selected milestones was changed."""

    def __init__(self, refusals: list[Refusal]) -> None:
        super().__init__(
            _("Er is niets gewijzigd: %(n)s van de mijlpalen kan deze wijziging niet krijgen.")
            % {"n": len(refusals)}
        )
        self.refusals = refusals


def _messages_of(exc: ValidationError | PermissionDenied) -> str:
    if isinstance(exc, PermissionDenied):
        return str(exc)
    return " ".join(exc.messages)


@transaction.atomic
def bulk_update_milestones(
    *,
    milestones: Iterable[Milestone],
    by: User,
    new_status: str = "",
    note: str = "",
    due_date: datetime.date | None = None,
    reason: str = "",
) -> int:
    """Give the selected milestones a new status (with a note) and/or a new due date (with a
    reason), all or nothing. Returns how many milestones changed.

    Each milestone goes through the single-milestone services (`replan_milestone`, then
    `record_progress`), so the same rules and history apply as on its own page. Guarantees:
    nothing selected, no change chosen, or a status without a note changes nothing
    (ValidationError); if any milestone refuses (another organisation's, finished, same date…),
    none changes and BulkRefused names every refused milestone with its reason.
    """
    errors: dict[str, str] = {}
    selected = sorted(milestones, key=lambda m: m.pk)  # one lock order: no deadlocks
    note = (note or "").strip()
    if not selected:
        errors["milestones"] = _("Kies ten minste één mijlpaal.")
    if not new_status and due_date is None:
        errors["new_status"] = _("Kies een nieuwe status of een nieuwe deadline.")
    if new_status and new_status not in MilestoneStatus.values:
        errors["new_status"] = _("Onbekende status.")
    if new_status and not note:
        errors["note"] = _("Geef een toelichting bij de nieuwe status.")
    if due_date is not None and not (reason or "").strip():
        errors["reason"] = _("Geef een reden voor het verplaatsen van de deadline.")
    if errors:
        raise ValidationError(errors)

    refusals: list[Refusal] = []
    for milestone in selected:
        try:
            with transaction.atomic():
                if due_date is not None:
                    replan_milestone(milestone=milestone, by=by, due_date=due_date, reason=reason)
                if new_status:
                    record_progress(milestone=milestone, by=by, text=note, new_status=new_status)
        except (ValidationError, PermissionDenied) as exc:
            refusals.append(Refusal(milestone, _messages_of(exc)))
    if refusals:
        raise BulkRefused(refusals)  # leaving the atomic block with it undoes every change
    return len(selected)
