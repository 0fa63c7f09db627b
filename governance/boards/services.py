"""The write paths for boards' work: meetings, agenda items, decisions and their lifecycle,
follow-up actions and impact assessments. Views, API, admin and commands call these."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions import services as action_services
from actions.models import Action, Milestone
from governance.accounts import roles
from governance.models import (
    ActionPerspective,
    AgendaItem,
    Board,
    Decision,
    DecisionStatus,
    Meeting,
    Organisation,
    Recommendation,
)
from ketenportaal.history import save_with_history

from . import assessments

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: The lifecycle: from each status, where a decision may go next.
TRANSITIONS: dict[str, set[str]] = {
    DecisionStatus.PROPOSED: {DecisionStatus.ADOPTED, DecisionStatus.WITHDRAWN},
    DecisionStatus.ADOPTED: {
        DecisionStatus.CONFIRMED,
        DecisionStatus.IMPLEMENTED,
        DecisionStatus.WITHDRAWN,
    },
    DecisionStatus.CONFIRMED: {DecisionStatus.IMPLEMENTED, DecisionStatus.WITHDRAWN},
    DecisionStatus.IMPLEMENTED: set(),
    DecisionStatus.WITHDRAWN: set(),
}


def next_statuses(decision: Decision) -> list[str]:
    """The statuses the decision may move to now, in lifecycle order (for the page's buttons)."""
    allowed = TRANSITIONS[decision.status]
    result = []
    for status in DecisionStatus.values:
        if status not in allowed:
            continue
        if status == DecisionStatus.CONFIRMED and not decision.needs_triangle:
            continue
        if (
            status == DecisionStatus.IMPLEMENTED
            and decision.needs_triangle
            and decision.status != DecisionStatus.CONFIRMED
        ):
            continue
        result.append(status)
    return result


@transaction.atomic
def save_meeting(*, meeting: Meeting, by: User) -> Meeting:
    """Plan a meeting or record its minutes (regie only); history records the change."""
    roles.require_maintainer(by)
    save_with_history(meeting)
    return meeting


@transaction.atomic
def add_agenda_item(
    *, meeting: Meeting, by: User, title: str, description: str = "", signal=None
) -> AgendaItem:
    """Put an item at the end of a meeting's agenda (regie only)."""
    roles.require_regie(by)
    if not (title or "").strip():
        raise ValidationError({"title": _("Geef het onderwerp van het agendapunt.")})
    last = meeting.agenda_items.aggregate(last=Max("order"))["last"] or 0
    item = AgendaItem(
        meeting=meeting,
        order=last + 1,
        title=title.strip()[:300],
        description=description,
        signal=signal,
    )
    save_with_history(item)
    return item


@transaction.atomic
def record_decision(
    *,
    board: Board,
    by: User,
    title: str,
    text: str,
    date: datetime.date,
    meeting: Meeting | None = None,
    agenda_item: AgendaItem | None = None,
    needs_triangle: bool = False,
    effective_date: datetime.date | None = None,
    perspectives: Iterable[ActionPerspective] = (),
    recommendations: Iterable[Recommendation] = (),
) -> Decision:
    """Record a proposed decision with the next number of its board and year (`TB-2026-07`).

    Guarantees: regie only; numbers are unique and gap-free per board and year, also under
    concurrent calls (the board row is locked while the number is drawn); a meeting or agenda
    item of another board is refused.
    """
    roles.require_regie(by)
    if meeting is not None and meeting.board_id != board.pk:
        raise ValidationError({"meeting": _("De vergadering hoort niet bij dit gremium.")})
    if agenda_item is not None:
        if meeting is None:
            meeting = agenda_item.meeting
        if agenda_item.meeting_id != meeting.pk:
            raise ValidationError(
                {"agenda_item": _("Het agendapunt hoort niet bij deze vergadering.")}
            )
    Board.objects.select_for_update().get(pk=board.pk)
    year = date.year
    last = (
        Decision.objects.filter(board=board, year=year).aggregate(last=Max("sequence"))["last"] or 0
    )
    decision = Decision(
        board=board,
        year=year,
        sequence=last + 1,
        number=f"{board.code}-{year}-{last + 1:02d}",
        meeting=meeting,
        agenda_item=agenda_item,
        date=date,
        title=(title or "").strip(),
        text=(text or "").strip(),
        needs_triangle=needs_triangle,
        effective_date=effective_date,
    )
    save_with_history(decision, gettext_lazy("Besluit voorgesteld"))
    decision.perspectives.set(perspectives)
    decision.recommendations.set(recommendations)
    return decision


@transaction.atomic
def save_decision_details(
    *,
    decision: Decision,
    by: User,
    perspectives: Iterable[ActionPerspective] | None = None,
    recommendations: Iterable[Recommendation] | None = None,
) -> Decision:
    """Change a decision's title, text, dates, flag and links (regie only).

    The driehoek flag cannot change once the decision was confirmed or implemented: that would
    rewrite how it was taken.
    """
    roles.require_maintainer(by)
    stored = Decision.objects.select_for_update().get(pk=decision.pk)
    if stored.needs_triangle != decision.needs_triangle and stored.status in (
        DecisionStatus.CONFIRMED,
        DecisionStatus.IMPLEMENTED,
    ):
        raise ValidationError(
            {
                "needs_triangle": _(
                    "Na bevestiging of uitvoering kan niet meer worden gewijzigd of de driehoek nodig is."
                )
            }
        )
    if decision.date and decision.date.year != stored.year:
        raise ValidationError(
            {
                "date": _(
                    "Besluit %(number)s is genummerd in %(year)s; de datum blijft in dat jaar. "
                    "Een besluit van een ander jaar krijgt een eigen nummer."
                )
                % {"number": stored.number, "year": stored.year}
            }
        )
    decision.status = stored.status  # the status only moves through change_decision_status
    save_with_history(decision)
    if perspectives is not None:
        decision.perspectives.set(perspectives)
    if recommendations is not None:
        decision.recommendations.set(recommendations)
    return decision


@transaction.atomic
def change_decision_status(
    *,
    decision: Decision,
    to: str,
    by: User,
    on: datetime.date | None = None,
    note: str = "",
) -> Decision:
    """Move a decision along its lifecycle: proposed → adopted → (confirmed in the driehoek) →
    implemented, or withdrawn.

    Guarantees: regie only; any other move is refused with a Dutch message and changes nothing;
    a decision that changes an assignment, the budget or the long-term strategy cannot become
    implemented before the driehoek confirmed it; on implementation the effective date is set
    (to `on` or today unless already given) and, for a proposal that was assessed beforehand or
    needed the driehoek, an invoeringstoets with a milestone one year after the effective date is
    scheduled (once).
    """
    roles.require_regie(by)
    decision = Decision.objects.select_for_update().select_related("board").get(pk=decision.pk)
    current = DecisionStatus(decision.status)
    if to not in DecisionStatus.values:
        raise ValidationError(_("Onbekende status."))
    target = DecisionStatus(to)
    if target == current:
        raise ValidationError(
            _("Besluit %(number)s heeft de status '%(status)s' al.")
            % {"number": decision.number, "status": current.label}
        )
    if (
        target == DecisionStatus.IMPLEMENTED
        and decision.needs_triangle
        and current != DecisionStatus.CONFIRMED
    ):
        raise ValidationError(
            _(
                "Besluit %(number)s wijzigt een opdracht, de begroting of de langetermijnstrategie. "
                "Het moet eerst in de ambtelijke sturingsdriehoek worden bevestigd voordat het kan "
                "worden uitgevoerd."
            )
            % {"number": decision.number}
        )
    if target == DecisionStatus.CONFIRMED and not decision.needs_triangle:
        raise ValidationError(
            _(
                "Besluit %(number)s raakt geen opdracht, begroting of langetermijnstrategie en hoeft "
                "niet in de driehoek te worden bevestigd."
            )
            % {"number": decision.number}
        )
    if target not in TRANSITIONS[current]:
        raise ValidationError(
            _("Een besluit met de status '%(from)s' kan niet de status '%(to)s' krijgen.")
            % {"from": current.label, "to": target.label}
        )
    on = on or timezone.localdate()
    decision.status = target
    if target == DecisionStatus.IMPLEMENTED and decision.effective_date is None:
        decision.effective_date = on
    # The history row shows the status from → to in the reader's language (the change itself).
    save_with_history(decision, gettext_lazy("Status gewijzigd"), note=note.strip())
    if target == DecisionStatus.IMPLEMENTED:
        assessments.schedule_implementation_test(decision=decision, by=by)
    return decision


@transaction.atomic
def add_follow_up(
    *,
    decision: Decision,
    by: User,
    title: str,
    owner: Organisation,
    due_date: datetime.date,
    responsible_function: str,
    milestone_title: str = "",
    start: datetime.date | None = None,
) -> Milestone:
    """Create a follow-up action of a decision with its first milestone (regie only).

    The action carries out the decision's recommendations; a withdrawn decision gets no
    follow-up, and a due date before the start is refused.
    """
    roles.require_regie(by)
    if decision.status == DecisionStatus.WITHDRAWN:
        raise ValidationError(_("Een ingetrokken besluit krijgt geen vervolgacties."))
    start = start or max(decision.date, timezone.localdate())
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Geef de titel van de actie.")
    if not (responsible_function or "").strip():
        errors["responsible_function"] = _("Geef de verantwoordelijke functie.")
    if due_date < start:
        errors["due_date"] = _("De deadline ligt voor de start van de actie (%(start)s).") % {
            "start": start.strftime("%d-%m-%Y")
        }
    if errors:
        raise ValidationError(errors)
    action = action_services.save_action(
        action=Action(
            title=title.strip(),
            owner=owner,
            responsible_function=responsible_function.strip(),
            start=start,
            end=due_date,
            decision=decision,
            description=_("Vervolg op besluit %(number)s.") % {"number": decision.number},
        ),
        by=by,
        recommendations=list(decision.recommendations.all()),
    )
    return action_services.save_milestone(
        milestone=Milestone(
            action=action, title=(milestone_title or title).strip(), due_date=due_date
        ),
        by=by,
    )
