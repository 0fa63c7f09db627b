"""Reading uploads for review: what approval would change, a cell's history and the report as
CSV.

Kept apart from services.py (the writes) because these are set-based reads in SQL whose number
of queries does not depend on the number of uploads or cells.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypedDict

from django.db import connection
from django.db.models import Count, F, Min
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dashboards.models import Indicator, Observation, Upload, UploadIssue, UploadStatus
from dashboards.models.uploads import message_in
from dashboards.uploads.issue_kinds import issue_label
from governance.models import Organisation
from ketenportaal.exports import safe_value
from ketenportaal.periods import parse_period

# ---------------------------------------------------------------- diff against current figures


@dataclass
class Diff:
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.new + self.changed + self.unchanged


_CELL_JOIN = """
    FROM dashboards_observation o
    LEFT JOIN dashboards_currentcell c
      ON c.indicator_id = o.indicator_id AND c.organisation_id = o.organisation_id
     AND c.period = o.period AND c.dimension_key = o.dimension_key AND c.round = o.round
    LEFT JOIN dashboards_observation co ON co.id = c.observation_id
"""


def diffs(upload_ids: Iterable[int]) -> dict[int, Diff]:
    """New, changed and unchanged cells per upload against the current figures (one query)."""
    ids = list(upload_ids)
    if not ids:
        return {}
    placeholders = ", ".join(["%s"] * len(ids))
    sql = f"""
        SELECT o.upload_id,
               SUM(CASE WHEN c.id IS NULL THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.id IS NOT NULL AND co.value <> o.value THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.id IS NOT NULL AND co.value = o.value THEN 1 ELSE 0 END)
        {_CELL_JOIN}
        WHERE o.upload_id IN ({placeholders})
        GROUP BY o.upload_id
    """
    result = {pk: Diff() for pk in ids}
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        for pk, new, changed, unchanged in cursor.fetchall():
            result[pk] = Diff(int(new or 0), int(changed or 0), int(unchanged or 0))
    return result


@dataclass
class ChangedCell:
    indicator: str
    period: str
    dimension_key: str
    old: object
    new: object
    old_upload_id: int
    indicator_label: str = ""
    indicator_label_en: str = ""

    @property
    def indicator_display(self) -> str:
        """The indicator's name in the active language (the diff shows names, not codes)."""
        english = (get_language() or "nl").startswith("en") and self.indicator_label_en
        return english or self.indicator_label or self.indicator


def changed_cells(upload_id: int, limit: int = 100) -> list[ChangedCell]:
    """The first cells whose current value this upload would change, old → new (one query)."""
    sql = f"""
        SELECT i.code, o.period, o.dimension_key, co.value, o.value, co.upload_id, i.label, i.label_en
        {_CELL_JOIN}
        JOIN dashboards_indicator i ON i.id = o.indicator_id
        WHERE o.upload_id = %s AND c.id IS NOT NULL AND co.value <> o.value
        ORDER BY i.code, o.period_start, o.period, o.dimension_key
        LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [upload_id, limit])
        return [ChangedCell(*row) for row in cursor.fetchall()]


def cell_history(
    *,
    indicator: Indicator,
    organisation: Organisation,
    period: str,
    dimension_key: str = "",
    round_: str = "",
):
    """Every approved value the cell has had, oldest first: nothing is overwritten. A
    forecast's cell is of one round (`round_`).

    Filters on period_start as well, so every column of the unique cell index is an equality."""
    parsed = parse_period(period)
    if parsed is None:  # no cell is stored under a period that does not parse
        return Observation.objects.none()
    return (
        Observation.objects.filter(
            organisation=organisation,
            period_start=parsed.start,
            indicator=indicator,
            period=period,
            dimension_key=dimension_key,
            round=round_,
            upload__status=UploadStatus.APPROVED,
        )
        .select_related("upload")
        .order_by("upload__decided_at", "upload_id")
    )


# ---------------------------------------------------------------- the report


class IssueCount(TypedDict):
    """One line of a report's summary: an issue code, how often it occurs and an example."""

    severity: str
    code: str
    count: int
    example: str


def issue_summary(upload: Upload) -> list[IssueCount]:
    """Issues grouped by severity and code with counts, errors first (one query)."""
    rows = (
        upload.issues.values("severity", "code")
        .annotate(count=Count("id"), example=Min("message"), example_en=Min("message_en"))
        .order_by()
    )
    found = [
        IssueCount(
            severity=row["severity"],
            code=row["code"],
            count=row["count"],
            example=message_in(row["example"], row["example_en"]),
        )
        for row in rows
    ]
    return sorted(found, key=lambda r: (r["severity"] != "error", -r["count"], r["code"]))


def first_issues(upload: Upload, limit: int = 100):
    """Errors first, then warnings, each in file order."""
    return upload.issues.order_by(F("severity").asc(), F("row").asc(nulls_first=True), "pk")[:limit]


def report_csv(upload: Upload) -> Iterator[str]:
    """The full report as CSV lines (streamed; semicolons, as Dutch Excel expects)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")

    def flush() -> str:
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return value

    yield "\ufeff"
    writer.writerow([_("rij"), _("kolom"), _("ernst"), _("code"), _("soort"), _("melding")])
    yield flush()
    issues = UploadIssue.objects.filter(upload=upload).order_by(
        F("severity").asc(), F("row").asc(nulls_first=True), "pk"
    )
    labels = {"error": _("fout"), "warning": _("waarschuwing")}
    fields = ("row", "column", "severity", "code", "message", "message_en")
    for issue in issues.values_list(*fields).iterator(chunk_size=5000):
        row, column, severity, code, message, message_en = issue
        message = message_in(message, message_en)  # the reader's language
        # The column name and the message quote the partner's file: neutralise formulas.
        writer.writerow(
            [
                "" if row is None else row,
                safe_value(column),
                labels.get(severity, severity),
                code,
                issue_label(code),
                safe_value(message),
            ]
        )
        yield flush()


def queue_by_organisation(uploads) -> list[tuple[Organisation, list[Upload]]]:
    """Group an ordered list of uploads by organisation, keeping the order."""
    groups: dict[int, tuple[Organisation, list[Upload]]] = {}
    for upload in uploads:
        groups.setdefault(upload.organisation_id, (upload.organisation, []))[1].append(upload)
    return list(groups.values())
