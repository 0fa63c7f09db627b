"""Reading uploads for review: what approval would change, a cell's history, delivery on time,
the report as CSV and the templates a partner fills in.

Kept apart from services.py (the writes) because these are set-based reads in SQL whose number
of queries does not depend on the number of uploads or cells.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import CharField, Count, F, IntegerField, Min, Value
from django.db.models.functions import Cast, Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Organisation
from ketenportaal.exports import safe_value

from .ingest import make_period, parse_period
from .models import Frequency, Indicator, Observation, Upload, UploadIssue, UploadStatus

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
     AND c.period = o.period AND c.dimension_key = o.dimension_key
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


def changed_cells(upload_id: int, limit: int = 100) -> list[ChangedCell]:
    """The first cells whose current value this upload would change, old → new (one query)."""
    sql = f"""
        SELECT i.code, o.period, o.dimension_key, co.value, o.value, co.upload_id
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
    *, indicator: Indicator, organisation: Organisation, period: str, dimension_key: str = ""
):
    """Every approved value the cell has had, oldest first: nothing is overwritten.

    Filters on period_start as well, so every column of the unique cell index is an equality."""
    parsed = parse_period(period)
    return (
        Observation.objects.filter(
            organisation=organisation,
            period_start=parsed.start if parsed else None,
            indicator=indicator,
            period=period,
            dimension_key=dimension_key,
            upload__status=UploadStatus.APPROVED,
        )
        .select_related("upload")
        .order_by("upload__decided_at", "upload_id")
    )


# ---------------------------------------------------------------- the report


def issue_summary(upload: Upload) -> list[dict]:
    """Issues grouped by severity and code with counts, errors first (one query)."""
    rows = (
        upload.issues.values("severity", "code")
        .annotate(count=Count("id"), example=Min("message"))
        .order_by()
    )
    return sorted(rows, key=lambda r: (r["severity"] != "error", -r["count"], r["code"]))


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
    writer.writerow([_("rij"), _("kolom"), _("ernst"), _("code"), _("melding")])
    yield flush()
    issues = UploadIssue.objects.filter(upload=upload).order_by(
        F("severity").asc(), F("row").asc(nulls_first=True), "pk"
    )
    labels = {"error": _("fout"), "warning": _("waarschuwing")}
    for issue in issues.values_list("row", "column", "severity", "code", "message").iterator(
        chunk_size=5000
    ):
        row, column, severity, code, message = issue
        # The column name and the message quote the partner's file: neutralise formulas.
        writer.writerow(
            [
                "" if row is None else row,
                safe_value(column),
                labels.get(severity, severity),
                code,
                safe_value(message),
            ]
        )
        yield flush()


# ---------------------------------------------------------------- templates


def template_rows(organisation: Organisation, today: datetime.date | None = None):
    """Header and rows for the organisation's template: every cell of the last complete quarter
    for each of its active indicators, with the allowed dimension values filled in."""
    quarter = last_complete_quarter(today or timezone.localdate())
    indicators = list(Indicator.objects.active().filter(owner=organisation).order_by("code"))
    dimension_columns = sorted({d for i in indicators for d in i.dimensions})
    header = ["indicator", "period", "value", *dimension_columns, "organisation"]
    rows = []
    for indicator in indicators:
        if indicator.frequency == Frequency.MONTH:
            periods = [
                make_period(quarter.year, month=m).canonical
                for m in range(quarter.start.month, quarter.start.month + 3)
            ]
        elif indicator.frequency == Frequency.QUARTER:
            periods = [quarter.canonical]
        else:
            periods = [str(quarter.year + 1 if indicator.is_forecast else quarter.year)]
        dims = sorted(indicator.dimensions)
        combinations = list(itertools.product(*(indicator.dimensions[d] for d in dims))) or [()]
        for period in periods:
            for combination in combinations:
                values = dict(zip(dims, combination, strict=True))
                rows.append(
                    [
                        indicator.code,
                        period,
                        "",
                        *(values.get(d, "") for d in dimension_columns),
                        organisation.code,
                    ]
                )
    return header, rows, indicators


def template_csv(organisation: Organisation) -> str:
    header, rows, _indicators = template_rows(organisation)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()


def template_xlsx(organisation: Organisation) -> bytes:
    """The template as a workbook: figures on the first sheet, allowed values on the second."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, rows, indicators = template_rows(organisation)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "cijfers"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    # Keep periods text, or Excel turns 2024-07 into a date.
    for (cell,) in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        cell.number_format = "@"
    sheet.freeze_panes = "A2"
    allowed = workbook.create_sheet("toegestane waarden")
    allowed.append(
        [
            _("indicator"),
            _("naam"),
            _("frequentie"),
            _("eenheid"),
            _("dimensie"),
            _("toegestane waarden"),
        ]
    )
    for indicator in indicators:
        dims = indicator.dimensions or {"": []}
        for dim, values in dims.items():
            allowed.append(
                [
                    indicator.code,
                    indicator.label,
                    indicator.frequency,
                    indicator.unit,
                    dim,
                    ", ".join(values),
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- delivery on time


def last_complete_quarter(today: datetime.date):
    quarter = (today.month - 1) // 3 + 1
    return (
        make_period(today.year - 1, quarter=4)
        if quarter == 1
        else make_period(today.year, quarter=quarter - 1)
    )


def recent_quarters(today: datetime.date, count: int = 8) -> list:
    """The `count` most recent quarters, the running one included, oldest first."""
    current = make_period(today.year, quarter=(today.month - 1) // 3 + 1)
    quarters = [current]
    for _i in range(count - 1):
        quarters.append(quarters[-1].previous())
    return list(reversed(quarters))


@dataclass
class DeliveryCell:
    quarter: str
    deadline: datetime.date
    delivered_at: datetime.datetime | None = None
    cells: int = 0
    warnings: int = 0

    @property
    def status(self) -> str:
        today = timezone.localdate()
        if self.delivered_at is None:
            return "missing" if today > self.deadline else "open"
        return (
            "on_time" if timezone.localtime(self.delivered_at).date() <= self.deadline else "late"
        )


def delivery_overview(organisation: Organisation, today: datetime.date | None = None):
    """Per indicator of the organisation (month and quarter frequency) and recent quarter: first
    approved delivery, on time or late against the deadline, cells and warnings (two queries)."""
    today = today or timezone.localdate()
    quarters = recent_quarters(today)
    indicators = list(
        Indicator.objects.active()
        .filter(owner=organisation, frequency__in=[Frequency.MONTH, Frequency.QUARTER])
        .order_by("code")
    )
    quarter_of = Concat(
        Substr("period", 1, 4),
        Value("-Q"),
        Cast((Cast(Substr("period", 6, 2), IntegerField()) + 2) / 3, CharField()),
        output_field=CharField(),
    )
    approved = Observation.objects.filter(
        organisation=organisation,
        upload__status=UploadStatus.APPROVED,
        period_type__in=[Frequency.MONTH, Frequency.QUARTER],
        period_start__gte=quarters[0].start,
        period_end__lte=quarters[-1].end,
    )
    delivered = (
        approved.filter(period_type=Frequency.MONTH)
        .annotate(quarter=quarter_of)
        .values("indicator_id", "quarter")
        .annotate(first=Min("upload__uploaded_at"), cells=Count("id"))
        .order_by()
    )
    delivered_quarters = (
        approved.filter(period_type=Frequency.QUARTER)
        .annotate(quarter=F("period"))
        .values("indicator_id", "quarter")
        .annotate(first=Min("upload__uploaded_at"), cells=Count("id"))
        .order_by()
    )
    found: dict[tuple[int, str], dict] = {}
    for row in itertools.chain(delivered, delivered_quarters):
        key = (row["indicator_id"], row["quarter"])
        if key in found:
            found[key]["first"] = min(found[key]["first"], row["first"])
            found[key]["cells"] += row["cells"]
        else:
            found[key] = dict(row)
    warnings = _warnings_per_quarter(organisation, quarters)
    table = []
    for indicator in indicators:
        cells = []
        for quarter in quarters:
            deadline = quarter.end + datetime.timedelta(days=indicator.deadline_days)
            row = found.get((indicator.pk, quarter.canonical))
            cells.append(
                DeliveryCell(
                    quarter=quarter.canonical,
                    deadline=deadline,
                    delivered_at=row["first"] if row else None,
                    cells=row["cells"] if row else 0,
                    warnings=warnings.get((indicator.pk, quarter.canonical), 0),
                )
            )
        table.append((indicator, cells))
    return quarters, table


def _warnings_per_quarter(organisation: Organisation, quarters) -> dict[tuple[int, str], int]:
    """Warnings on approved rows, per indicator and quarter (one query, joined on file row)."""
    sql = """
        SELECT o.indicator_id, o.period_type, o.period, COUNT(w.id)
        FROM dashboards_observation o
        JOIN dashboards_upload u ON u.id = o.upload_id AND u.status = 'approved'
        JOIN dashboards_uploadissue w
          ON w.upload_id = o.upload_id AND w.row = o.row AND w.severity = 'warning'
        WHERE o.organisation_id = %s AND o.period_start >= %s AND o.period_end <= %s
          AND o.period_type IN ('month', 'quarter')
        GROUP BY o.indicator_id, o.period_type, o.period
    """
    result: dict[tuple[int, str], int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [organisation.pk, quarters[0].start, quarters[-1].end])
        for indicator_id, period_type, period, count in cursor.fetchall():
            if period_type == "month":
                month = int(period[5:7])
                period = f"{period[:4]}-Q{(month - 1) // 3 + 1}"
            key = (indicator_id, period)
            result[key] = result.get(key, 0) + int(count)
    return result


def queue_by_organisation(uploads) -> list[tuple[Organisation, list[Upload]]]:
    """Group an ordered list of uploads by organisation, keeping the order."""
    groups: dict[int, tuple[Organisation, list[Upload]]] = {}
    for upload in uploads:
        groups.setdefault(upload.organisation_id, (upload.organisation, []))[1].append(upload)
    return list(groups.values())
