"""Approved figures for dashboard tests, written straight into Upload/Observation/CurrentCell.

The uploads' own write path (validation, approval) lives elsewhere; these tests only need the
state an approval leaves behind: observations of an approved upload and the current-cell
pointers at them.
"""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal

from dashboards.models import CurrentCell, Frequency, Indicator, Observation, Upload, UploadStatus
from governance.models import Role
from tests.factories import make_user, org


def period_bounds(period: str) -> tuple[str, datetime.date, datetime.date]:
    """'2024-03' / '2024-Q1' / '2024' → (period type, first day, last day)."""
    if "-Q" in period:
        year, quarter = int(period[:4]), int(period[-1])
        start = datetime.date(year, 3 * quarter - 2, 1)
        end_month = 3 * quarter
        end = datetime.date(year, end_month, calendar.monthrange(year, end_month)[1])
        return Frequency.QUARTER, start, end
    if "-" in period:
        year, month = int(period[:4]), int(period[5:7])
        return (
            Frequency.MONTH,
            datetime.date(year, month, 1),
            datetime.date(year, month, calendar.monthrange(year, month)[1]),
        )
    year = int(period)
    return Frequency.YEAR, datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def approved_upload(
    organisation: str,
    figures: dict[tuple[str, str, str], float | int | str],
    *,
    status: str = UploadStatus.APPROVED,
) -> Upload:
    """An upload of `organisation` holding {(indicator code, period, "dim=value" or ""): value}.

    When `status` is approved the cells become current (superseding earlier figures), as an
    approval does; otherwise the observations are stored but nothing points at them.
    """
    owner = org(organisation)
    uploader = make_user(Role.PARTNER, organisation, username=f"uploader-{organisation.lower()}")
    upload = Upload.objects.create(
        organisation=owner,
        uploaded_by=uploader,
        file_name="cijfers.csv",
        size=1,
        sha256="0" * 64,
        status=status,
        rows=len(figures),
    )
    indicators = {i.code: i for i in Indicator.objects.all()}
    observations = []
    for row, ((code, period, key), value) in enumerate(figures.items(), start=2):
        period_type, start, end = period_bounds(period)
        dimensions = dict(part.split("=", 1) for part in key.split(";")) if key else {}
        observations.append(
            Observation(
                upload=upload,
                indicator=indicators[code],
                organisation=owner,
                period=period,
                period_type=period_type,
                period_start=start,
                period_end=end,
                dimension_key=key,
                dimensions=dimensions,
                value=Decimal(str(value)),
                row=row,
            )
        )
    Observation.objects.bulk_create(observations)
    if status == UploadStatus.APPROVED:
        # Supersede earlier figures of the same cells, as an approval does.
        CurrentCell.objects.bulk_create(
            [
                CurrentCell(
                    indicator_id=o.indicator_id,
                    organisation=owner,
                    period=o.period,
                    dimension_key=o.dimension_key,
                    observation=o,
                )
                for o in Observation.objects.filter(upload=upload)
            ],
            batch_size=5000,
            update_conflicts=True,
            unique_fields=["indicator", "organisation", "period", "dimension_key"],
            update_fields=["observation"],
        )
    return upload
