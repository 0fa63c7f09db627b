"""Reading duiding for figures: every annotation of a page's indicators in one query, then asked
per indicator and period of a chart, a table, a report or a board pack.

An annotation belongs to every figure whose period overlaps its own (as in lineage): a note on
2024-03 is shown at 2024-03, 2024-Q1 and 2024, and is then named with its own period.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from dashboards.models import Annotation, Indicator
from ketenportaal.periods import Period

VERSION_KEY = "annotations:version"


@dataclass(frozen=True)
class Note:
    indicator_id: int
    period: str
    start: datetime.date
    end: datetime.date
    text: str
    organisation: str

    def label(self, shown_period: str = "") -> str:
        """The note as a figure shows it: its own period named when it is not the figure's."""
        own = "" if self.period == shown_period else f"{self.period}: "
        return f"{own}{self.text} ({self.organisation})"


class Notes:
    """The annotations of some indicators, asked per indicator and period (no further query)."""

    def __init__(self, notes: Iterable[Note] = ()) -> None:
        self.by_indicator: dict[int, list[Note]] = defaultdict(list)
        for note in notes:
            self.by_indicator[note.indicator_id].append(note)

    def about(self, indicator_id: int, period: str | Period) -> list[Note]:
        shown = Period.parse(period) if isinstance(period, str) else period
        if shown is None:
            return []
        return [
            note
            for note in self.by_indicator.get(indicator_id, [])
            if note.start <= shown.end and note.end >= shown.start
        ]

    def labels(self, indicator_ids: Iterable[int], period: str) -> list[str]:
        """The notes of these indicators at `period`, as a figure shows them."""
        return [note.label(period) for pk in indicator_ids for note in self.about(pk, period)]

    def per_period(
        self, indicator_ids: Iterable[int], periods: Iterable[str]
    ) -> dict[str, list[str]]:
        """period → its notes' labels, for the periods that have any (a chart's notes)."""
        ids = list(indicator_ids)
        found = {period: self.labels(ids, period) for period in periods}
        return {period: labels for period, labels in found.items() if labels}

    def all(self) -> list[Note]:
        return [note for notes in self.by_indicator.values() for note in notes]


def notes_for(
    indicators: Iterable[Indicator | int],
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Notes:
    """The shown annotations of these indicators overlapping [start, end]: one query."""
    ids = [i if isinstance(i, int) else i.pk for i in indicators]
    if not ids:
        return Notes()
    queryset = Annotation.objects.shown().filter(indicator_id__in=ids)
    if start is not None:
        queryset = queryset.filter(period_end__gte=start)
    if end is not None:
        queryset = queryset.filter(period_start__lte=end)
    rows = queryset.order_by("period_start", "created_at", "pk").values_list(
        "indicator_id", "period", "period_start", "period_end", "text", "organisation__code"
    )
    return Notes(Note(*row) for row in rows)


def notes_as_of(indicators: Iterable[Indicator | int], when: datetime.datetime) -> Notes:
    """The annotations of these indicators as they stood at `when`, from their history: what a
    report or a board pack of that moment cites (a later change or withdrawal does not rewrite
    it). One query."""
    ids = [i if isinstance(i, int) else i.pk for i in indicators]
    if not ids:
        return Notes()
    rows = (
        Annotation.history.filter(history_date__lte=when, indicator_id__in=ids)
        .latest_of_each()
        .values_list(
            "indicator_id", "period", "period_start", "period_end", "text",
            "organisation__code", "withdrawn", "history_type", "created_at", "id",
        )
    )  # fmt: skip
    kept = sorted(
        (row for row in rows if not row[6] and row[7] != "-"),
        key=lambda row: (row[2], row[8], row[9]),
    )
    return Notes(Note(*row[:6]) for row in kept)


def annotations_version() -> str:
    """Changes whenever an annotation is written, changed or withdrawn: part of the key of the
    cached dashboards (a cache read, no query), so a new note shows at once."""
    return cache.get(VERSION_KEY) or ""


def touch() -> None:
    """Called by the services inside their transaction: the version moves when it commits."""
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None))
