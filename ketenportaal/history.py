"""Readable change history from django-simple-history records: who changed what, from → to.

A change may carry a note of its author (a decision's status change, with its explanation). The
history reason (simple-history's `history_change_reason`, 100 characters) holds what changed; the
note is kept whole beside it in `history_note` of models whose history has `NotedHistory` as a
base (`HistoricalRecords(bases=[NotedHistory])`): a service sets `instance._history_note` before
it saves, and the history shows reason and note together.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.signals import pre_create_historical_record

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


#: Reasons with a value in them (`Reason`), as stored (Dutch) → read back into their values.
_WITH_VALUES: list[tuple[str, re.Pattern[str]]] = []


class Reason:
    """A history reason with values in it ("Herplanning: %(reason)s"): stored filled in, in
    Dutch, and shown in the reader's language with the same values. Made once per module (it
    registers itself, so `shown_reason` can read a stored one back)."""

    def __init__(self, template: str) -> None:
        self.template = template  # a msgid, marked with gettext_noop
        pattern = re.escape(template)
        for name in re.findall(r"%\((\w+)\)s", template):
            pattern = pattern.replace(re.escape(f"%({name})s"), f"(?P<{name}>.+)")
        _WITH_VALUES.append((template, re.compile(pattern, re.DOTALL)))

    def __call__(self, **values: object) -> str:
        return self.template % values


def stored_reason(reason: StrOrPromise) -> str:
    """A reason as stored: in Dutch, whatever the language of its author (`reason` a lazy
    catalogue entry, or a `Reason` filled in)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(reason)


def shown_reason(stored: str) -> str:
    """A stored reason in the reader's language: its catalogue entry, or a `Reason` with the
    values it was stored with; as stored when it is neither (an older free text)."""
    translated = _(stored)
    if translated != stored:
        return translated
    for template, pattern in _WITH_VALUES:
        match = pattern.fullmatch(stored)
        if match:
            return _(template) % match.groupdict()
    return stored


def save_with_history(instance: models.Model, reason: StrOrPromise = "", note: str = "") -> None:
    """Validate and save with history: `reason` says what changed (short: a lazy catalogue
    entry or a `Reason`, stored in Dutch and shown in the reader's language), `note` is the
    author's explanation, kept whole beside it (NotedHistory)."""
    instance.full_clean()
    if reason:
        instance._change_reason = stored_reason(reason)  # type: ignore[attr-defined]
    if note:
        instance._history_note = note  # type: ignore[attr-defined]
    instance.save()


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


def _related(model_field: models.Field, pk: Any, names: dict[tuple[type, Any], str]) -> str:
    """The related object's name for a stored id ("IND", not 3); cached per history."""
    related = model_field.related_model
    if not isinstance(related, type):
        return str(pk)
    key = (related, pk)
    if key not in names:
        obj = related._default_manager.filter(pk=pk).first()
        names[key] = str(obj) if obj is not None else f"#{pk}"
    return names[key]


def _display(
    model: type[models.Model],
    field_name: str,
    value: Any,
    names: dict[tuple[type, Any], str] | None = None,
) -> str:
    """A stored value as a person reads it: a choice's label, a related object's name, a local
    date and time in the table format (ketenportaal/formats), a number in the active locale."""
    names = {} if names is None else names
    try:
        model_field = model._meta.get_field(field_name)
    except Exception:
        return "" if value is None else str(value)
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(model_field, models.Field) and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("ja") if value else _("nee")
    if isinstance(value, list):  # many-to-many in simple-history diffs: through rows as dicts
        through_fk = model._meta.model_name
        shown = []
        for item in value:
            if isinstance(item, dict):
                other = next((v for k, v in item.items() if k != through_fk), None)
                shown.append(_related(model_field, other, names))  # type: ignore[arg-type]
            else:
                shown.append(str(item))
        return ", ".join(shown) or "—"
    if isinstance(model_field, models.ForeignKey):
        return _related(model_field, value, names)
    if isinstance(model_field, models.DateTimeField) and isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(local, "SHORT_DATETIME_FORMAT")
    if isinstance(model_field, models.DateField) and isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
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
    names: dict[tuple[type, Any], str] = {}
    previous = None
    for record in records:
        row = HistoryRow(
            when=record.history_date,
            who=(record.history_user.get_full_name() or record.history_user.username)
            if record.history_user
            else _("systeem"),
            kind=str(KINDS.get(record.history_type, record.history_type)),
            # Reasons are stored as the services wrote them, in Dutch: shown in the reader's
            # language; a long note is kept beside its reason (`history_note`).
            reason=". ".join(
                part
                for part in (
                    shown_reason(record.history_change_reason)
                    if record.history_change_reason
                    else "",
                    getattr(record, "history_note", ""),
                )
                if part
            ),
        )
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                row.changes.append(
                    Change(
                        label=_label(model, change.field),
                        old=_display(model, change.field, change.old, names),
                        new=_display(model, change.field, change.new, names),
                    )
                )
        rows.append(row)
        previous = record
    rows.reverse()
    return rows
