"""What a user's calendar feed holds: their meetings and their milestones.

- Milestones: `regie` follows the whole chain, so all milestones; everyone else the milestones
  of actions their own organisation owns.
- Meetings: `regie` all boards' meetings; everyone else the meetings of the boards their
  organisation sits on.
From a year back onwards (a calendar app keeps what it has seen), at most MAX_EVENTS each;
cancelled milestones stay in as cancelled events, so that calendars remove them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import Milestone, MilestoneStatus
from governance.accounts import roles
from governance.models import Meeting

from .ical import Event

MAX_EVENTS = 2000
HISTORY_DAYS = 365


def milestones_for(user) -> list[Milestone]:
    since = timezone.localdate() - datetime.timedelta(days=HISTORY_DAYS)
    milestones = Milestone.objects.filter(due_date__gte=since).select_related("action__owner")
    if not roles.is_regie(user):
        milestones = milestones.filter(action__owner=roles.organisation_of(user))
    return list(milestones.order_by("due_date", "pk")[:MAX_EVENTS])


def meetings_for(user) -> list[Meeting]:
    since = timezone.localdate() - datetime.timedelta(days=HISTORY_DAYS)
    meetings = Meeting.objects.filter(date__gte=since).select_related("board")
    if not roles.is_regie(user):
        meetings = meetings.filter(board__members__organisation=roles.organisation_of(user))
    return list(meetings.distinct().order_by("date", "pk")[:MAX_EVENTS])


def events_for(user, *, absolute: Callable[[str], str], host: str) -> list[Event]:
    """The user's events; `absolute(path)` makes a link absolute, `host` makes UIDs unique."""
    events = []
    for m in milestones_for(user):
        lines = [
            _("Actie: %(action)s") % {"action": m.action.title},
            _("Eigenaar: %(owner)s") % {"owner": m.action.owner.code},
            _("Status: %(status)s") % {"status": m.get_status_display()},
        ]
        if m.replan_count:
            lines.append(
                _("Oorspronkelijke deadline: %(date)s (%(n)s× herpland)")
                % {"date": m.baseline.strftime("%d-%m-%Y"), "n": m.replan_count}
            )
        events.append(
            Event(
                uid=f"milestone-{m.pk}@{host}",
                day=m.due_date,
                summary=_("Deadline mijlpaal: %(title)s") % {"title": m.title},
                description="\n".join(lines),
                url=absolute(reverse("actions:milestone", args=[m.pk])),
                cancelled=m.status == MilestoneStatus.CANCELLED,
                sequence=m.replan_count,
            )
        )
    for meeting in meetings_for(user):
        events.append(
            Event(
                uid=f"meeting-{meeting.pk}@{host}",
                day=meeting.date,
                summary=_("Vergadering %(board)s: %(title)s")
                % {"board": meeting.board.name, "title": str(meeting)},
                url=absolute(reverse("governance:meeting", args=[meeting.pk])),
                location=meeting.location,
            )
        )
    return events
