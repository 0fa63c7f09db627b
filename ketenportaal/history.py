"""Readable change history from django-simple-history records: who changed what, from → to.

A change may carry a note of its author (a decision's status change, with its explanation). The
history reason (simple-history's `history_change_reason`, 100 characters) holds what changed; the
note is kept whole beside it in `history_note` of models whose history has `NotedHistory` as a
base (`HistoricalRecords(bases=[NotedHistory])`): a service sets `instance._history_note` before
it saves, and the history shows reason and note together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.signals import pre_create_historical_record


class NotedHistory(models.Model):
    """The base of a historical model whose versions may carry their author's note, in full."""

    history_note = models.TextField(gettext_lazy("toelichting"), blank=True, default="")

    class Meta:
        abstract = True


def _keep_note(sender: type, instance: models.Model, history_instance: Any, **kwargs: Any) -> None:
    if isinstance(history_instance, NotedHistory):
        history_instance.history_note = getattr(instance, "_history_note", "") or ""


pre_create_historical_record.connect(_keep_note, dispatch_uid="ketenportaal.history.keep_note")


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryRow:
    when: Any
    who: str
    kind: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def _display(model: type[models.Model], field_name: str, value: Any) -> str:
    try:
        model_field = model._meta.get_field(field_name)
    except Exception:
        return "" if value is None else str(value)
    if value is None or value == "":
        return "—"
    if isinstance(model_field, models.Field) and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("ja") if value else _("nee")
    if isinstance(value, list):  # many-to-many in simple-history diffs
        return (
            ", ".join(str(v.get(next(iter(v))) if isinstance(v, dict) else v) for v in value) or "—"
        )
    return str(value)


def _label(model: type[models.Model], field_name: str) -> str:
    try:
        model_field = model._meta.get_field(field_name)
    except Exception:
        return field_name
    return str(model_field.verbose_name) if isinstance(model_field, models.Field) else field_name


KINDS = {
    "+": gettext_lazy("aangemaakt"),
    "~": gettext_lazy("gewijzigd"),
    "-": gettext_lazy("verwijderd"),
}


def history_rows(obj: models.Model, limit: int = 200) -> list[HistoryRow]:
    """The object's history, newest first, each version with the fields it changed."""
    model = type(obj)
    # simple-history adds `history` to the models it tracks when they are registered: no stub knows it.
    history = obj.history  # type: ignore[attr-defined]
    records = list(
        history.select_related("history_user").order_by("history_date", "history_id")[:limit]
    )
    rows: list[HistoryRow] = []
    previous = None
    for record in records:
        row = HistoryRow(
            when=record.history_date,
            who=(record.history_user.get_full_name() or record.history_user.username)
            if record.history_user
            else _("systeem"),
            kind=str(KINDS.get(record.history_type, record.history_type)),
            reason=". ".join(
                part
                for part in (record.history_change_reason, getattr(record, "history_note", ""))
                if part
            ),
        )
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                row.changes.append(
                    Change(
                        label=_label(model, change.field),
                        old=_display(model, change.field, change.old),
                        new=_display(model, change.field, change.new),
                    )
                )
        rows.append(row)
        previous = record
    rows.reverse()
    return rows
