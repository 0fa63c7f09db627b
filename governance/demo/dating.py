"""The demo's past: history records dated when things happened, not when the demo was loaded.

The accountability report reconstructs an earlier date from django-simple-history, so a demo
whose every record is dated "now" would show an empty chain for every earlier moment.
"""

from __future__ import annotations

import datetime

from django.db.models import Model
from django.utils import timezone


def _moment(when: datetime.date | datetime.datetime) -> datetime.datetime:
    if isinstance(when, datetime.datetime):
        return when
    return timezone.make_aware(datetime.datetime.combine(when, datetime.time(12)))


def born(obj: Model, when: datetime.date | datetime.datetime) -> None:
    """Date every history record of `obj` (its creation and what was set with it) at `when`."""
    obj.history.update(history_date=_moment(when))  # type: ignore[attr-defined]


def dated(obj: Model, when: datetime.date | datetime.datetime) -> None:
    """Date the latest history record of `obj` (the change just saved) at `when`."""
    latest = obj.history.order_by("-history_date", "-history_id").first()  # type: ignore[attr-defined]
    type(latest).objects.filter(history_id=latest.history_id).update(history_date=_moment(when))


def changed(obj: Model, when: datetime.date | datetime.datetime, **fields) -> None:
    """Apply `fields` to `obj`, save, and date that change at `when`."""
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()
    dated(obj, when)
