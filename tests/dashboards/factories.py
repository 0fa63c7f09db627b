"""Figures for the dashboards app's tests.

- `approved_upload`: approved figures written straight into Upload/Observation/CurrentCell, for
  tests that only need the state an approval leaves behind;
- `submit`, `csv_file`, `IND_Q1`: files in the contract's format, sent through the services.
"""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from dashboards.models import CurrentCell, Frequency, Indicator, Observation, Upload, UploadStatus
from dashboards.uploads import services
from governance.models import Organisation, Role
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
    round_: str = "",
) -> Upload:
    """An upload of `organisation` holding {(indicator code, period, "dim=value" or ""): value}.
    A forecast's figures are of `round_` (YYYY-MM).

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
        # An approval always records when (reports and lineage read it).
        decided_at=timezone.now() if status == UploadStatus.APPROVED else None,
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
                round=round_,
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
                    round=o.round,
                    observation=o,
                )
                for o in Observation.objects.filter(upload=upload)
            ],
            batch_size=5000,
            update_conflicts=True,
            unique_fields=["indicator", "organisation", "period", "dimension_key", "round"],
            update_fields=["observation"],
        )
    return upload


def forecast_scenarios(year: str, low: int, expected: int, high: int) -> dict:
    """The three scenarios of `forecast_asylum_inflow` for one year, for `approved_upload`."""
    code = "forecast_asylum_inflow"
    return {
        (code, year, "scenario=low"): low,
        (code, year, "scenario=expected"): expected,
        (code, year, "scenario=high"): high,
    }


def forecast_rounds() -> None:
    """Three approved rounds of the forecast (2024-06: 2025; 2025-06: 2025 and 2026; 2026-06:
    2026) and the realised applications: 2025 complete (2000 first + 1000 follow-up a month,
    36000 in the year), 2026 three months (2500 a month)."""
    approved_upload("JENV", forecast_scenarios("2025", 20000, 25000, 30000), round_="2024-06")
    approved_upload(
        "JENV",
        {
            **forecast_scenarios("2025", 30000, 40000, 45000),
            **forecast_scenarios("2026", 31000, 41000, 47000),
        },
        round_="2025-06",
    )
    approved_upload("JENV", forecast_scenarios("2026", 33000, 37000, 44000), round_="2026-06")
    realised = {}
    for month in range(1, 13):
        realised[("asylum_applications", f"2025-{month:02d}", "application_type=first")] = 2000
        realised[("asylum_applications", f"2025-{month:02d}", "application_type=follow_up")] = 1000
    for month in range(1, 4):
        realised[("asylum_applications", f"2026-{month:02d}", "application_type=first")] = 2500
    approved_upload("IND", realised)


def csv_file(text: str, name: str = "cijfers.csv", encoding: str = "utf-8") -> ContentFile:
    return ContentFile(text.encode(encoding), name=name)


def submit(
    user,
    text: str,
    *,
    organisation: str | None = None,
    name: str = "cijfers.csv",
    validate: bool = True,
) -> Upload:
    """Submit a CSV through the service and (in-process) validate it."""
    org = Organisation.objects.get(code=organisation or user.membership.organisation.code)
    upload = services.submit_upload(organisation=org, by=user, file=csv_file(text, name))
    if validate:
        services.validate_upload(upload_id=upload.pk)
    upload.refresh_from_db()
    return upload


IND_Q1 = """indicator,period,value,application_type
asylum_applications,2024-01,100,first
asylum_applications,2024-02,110,first
asylum_applications,2024-03,120,first
asylum_pending,2024-03,5000,
"""
