"""Deliveries on time: per indicator of an organisation and recent quarter, its first approved
delivery against the indicator's deadline (`Indicator.due_on`)."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass

from django.db import connection
from django.db.models import CharField, Count, F, IntegerField, Min, Value
from django.db.models.functions import Cast, Concat, Substr
from django.utils import timezone

from dashboards.models import Frequency, Indicator, Observation, UploadStatus
from governance.models import Organisation
from ketenportaal.periods import QUARTER, recent


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
    quarters = recent(QUARTER, today, 8)
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
            deadline = indicator.due_on(quarter)
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
