"""The steering loop's write paths: a signal on the agenda, a signal closed by a decision, and the
chain goal with its assignments and targets. Views, API, admin and the demo call these."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from governance.accounts import roles
from governance.boards.services import add_agenda_item
from governance.models import (
    AgendaItem,
    Assignment,
    BoardKind,
    ChainGoal,
    ClosedReason,
    Decision,
    Meeting,
    Signal,
    SignalStatus,
    Target,
)
from ketenportaal.history import Reason

CLOSED_BY_DECISION = Reason(gettext_noop("Gesloten door besluit %(number)s"))


if TYPE_CHECKING:
    from django.contrib.auth.models import User


def next_meeting(today: datetime.date | None = None) -> Meeting | None:
    """The next meeting of the Topberaad, where signals are discussed."""
    today = today or timezone.localdate()
    return (
        Meeting.objects.upcoming(today)
        .filter(board__kind=BoardKind.TOPBERAAD)
        .select_related("board")
        .first()
    )


@transaction.atomic
def put_signal_on_agenda(
    *,
    signal: Signal,
    by: User,
    meeting: Meeting | None = None,
    today: datetime.date | None = None,
) -> AgendaItem:
    """Put an open signal on the agenda of the next Topberaad meeting (or the one given).

    Guarantees: regie only; a closed signal, a signal already on that meeting's agenda, or no
    upcoming meeting is refused with a Dutch message and changes nothing.
    """
    roles.require_regie(by)
    signal = Signal.objects.select_for_update(of=("self",)).get(pk=signal.pk)
    if signal.status != SignalStatus.OPEN:
        raise ValidationError(_("Dit signaal is al gesloten en kan niet meer worden geagendeerd."))
    meeting = meeting or next_meeting(today)
    if meeting is None:
        raise ValidationError(
            _(
                "Er is geen volgende vergadering van het Topberaad gepland. Plan eerst een vergadering."
            )
        )
    if meeting.agenda_items.filter(signal=signal).exists():
        raise ValidationError(
            _("Dit signaal staat al op de agenda van %(meeting)s.") % {"meeting": meeting}
        )
    return add_agenda_item(
        meeting=meeting,
        by=by,
        title=_("Signaal: %(kind)s") % {"kind": signal.get_kind_display()},
        description=signal.summary,
        signal=signal,
    )


@transaction.atomic
def close_signal_by_decision(*, signal: Signal, decision: Decision, by: User) -> Signal:
    """Close an open signal because a decision deals with it (regie only)."""
    roles.require_regie(by)
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if signal.status != SignalStatus.OPEN:
        raise ValidationError(_("Dit signaal is al gesloten."))
    signal.status = SignalStatus.CLOSED
    signal.closed_at = timezone.now()
    signal.closed_reason = ClosedReason.DECISION
    signal.closed_by_decision = decision
    signal._change_reason = CLOSED_BY_DECISION(number=decision.number)  # type: ignore[attr-defined]
    signal.save()
    return signal


@transaction.atomic
def save_chain_goal(*, goal: ChainGoal, by: User) -> ChainGoal:
    """Record a version of the chain goal (regie only); history records the change."""
    roles.require_maintainer(by)
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def save_assignment(*, assignment: Assignment, by: User) -> Assignment:
    """Create or update an organisation's assignment for a year (regie only)."""
    roles.require_maintainer(by)
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def save_target(*, target: Target, by: User) -> Target:
    """Create or update a measurable target of an assignment (regie only).

    Guarantees: a target on an indicator that the assignment's organisation does not deliver
    (it is not the indicator's owner) is refused with a message and nothing is saved: it could
    never be evaluated. The form, the admin and the demo all come through here.
    """
    roles.require_maintainer(by)
    target.full_clean()
    assignment, indicator = target.assignment, target.indicator
    if indicator.owner_id != assignment.organisation_id:
        raise ValidationError(
            {
                "indicator": _(
                    "%(organisation)s levert %(indicator)s niet aan (dat doet %(owner)s); een "
                    "streefwaarde daarop kan nooit worden getoetst. Kies een indicator van "
                    "%(organisation)s."
                )
                % {
                    "organisation": assignment.organisation.code,
                    "indicator": indicator.display_label,
                    "owner": indicator.owner.code,
                }
            }
        )
    target.save()
    return target
