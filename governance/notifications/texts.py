"""A notification's words, written from its stored facts in the active language: the portal's
for the list, the user's preferred one for mail (`translation.override`)."""

from __future__ import annotations

import datetime

from django.utils import formats, timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from governance.models import Notification, NotificationKind


def _date(value: str) -> str:
    if not value:
        return ""
    return formats.date_format(datetime.date.fromisoformat(value), "j F Y")


def _indicator(params: dict) -> str:
    english = (get_language() or "nl").startswith("en")
    label = params.get("indicator_label_en") if english else ""
    return label or params.get("indicator_label") or params.get("indicator", "")


def title(notification: Notification) -> str:
    """One line: what happened, to what."""
    p = notification.params
    kind = notification.kind
    if kind == NotificationKind.MILESTONE_DUE:
        days = _days_until(p["due_date"], notification)
        if days == 0:
            return _("Mijlpaal “%(milestone)s” heeft vandaag zijn deadline") % p
        return ngettext(
            "Mijlpaal “%(milestone)s” heeft over %(days)s dag zijn deadline",
            "Mijlpaal “%(milestone)s” heeft over %(days)s dagen zijn deadline",
            days,
        ) % {"milestone": p["milestone"], "days": days}
    if kind == NotificationKind.MILESTONE_OVERDUE:
        return _("Mijlpaal “%(milestone)s” is over de deadline") % p
    if kind == NotificationKind.DELIVERY_DUE:
        return _("Cijfers %(indicator)s over %(quarter)s moeten uiterlijk %(date)s binnen zijn") % {
            "indicator": _indicator(p),
            "quarter": p["quarter"],
            "date": _date(p["due_date"]),
        }
    if kind == NotificationKind.DELIVERY_MISSING:
        return _("Cijfers %(indicator)s over %(quarter)s ontbreken") % {
            "indicator": _indicator(p),
            "quarter": p["quarter"],
        }
    if kind == NotificationKind.UPLOAD_APPROVED:
        return _("Aanlevering %(file_name)s is goedgekeurd") % p
    if kind == NotificationKind.UPLOAD_REJECTED:
        return _("Aanlevering %(file_name)s is afgewezen") % p
    if kind == NotificationKind.FOLLOW_UP_ASSIGNED:
        return _("Vervolgactie “%(action)s” toegewezen door besluit %(decision)s") % p
    if kind == NotificationKind.REPORTING_MOMENT:
        return _("Verantwoordingsmoment “%(title)s” op %(date)s") % {
            "title": p["title"],
            "date": _date(p["date"]),
        }
    return notification.get_kind_display()


def _days_until(due: str, notification: Notification) -> int:
    made = (
        timezone.localtime(notification.created_at).date()
        if notification.created_at
        else timezone.localdate()
    )
    return max((datetime.date.fromisoformat(due) - made).days, 0)


def details(notification: Notification) -> list[str]:
    """The lines under the title: the context a reader needs to act."""
    p = notification.params
    kind = notification.kind
    if kind in (NotificationKind.MILESTONE_DUE, NotificationKind.MILESTONE_OVERDUE):
        lines = [
            _("Actie: %(action)s (%(owner)s)") % p,
            _("Deadline: %(date)s") % {"date": _date(p["due_date"])},
        ]
        if p.get("recommendations"):
            lines.insert(
                1, _("Aanbeveling: %(codes)s") % {"codes": ", ".join(p["recommendations"])}
            )
        return lines
    if kind in (NotificationKind.DELIVERY_DUE, NotificationKind.DELIVERY_MISSING):
        return [_("Termijn: %(date)s") % {"date": _date(p["due_date"])}]
    if kind == NotificationKind.UPLOAD_APPROVED:
        return [
            _("Beoordeeld op %(date)s; de cijfers tellen mee in de dashboards.")
            % {"date": _date(p["decided_on"])}
        ]
    if kind == NotificationKind.UPLOAD_REJECTED:
        return [
            _("Beoordeeld op %(date)s.") % {"date": _date(p["decided_on"])},
            _("Reden: %(reason)s") % {"reason": p.get("reason") or "—"},
        ]
    if kind == NotificationKind.FOLLOW_UP_ASSIGNED:
        return [
            _("Besluit: %(decision)s %(decision_title)s") % p,
            _("Gereed uiterlijk: %(date)s") % {"date": _date(p["due_date"])},
        ]
    if kind == NotificationKind.REPORTING_MOMENT:
        return [_("Werk de voortgang van uw mijlpalen vóór die datum bij.")]
    return []
