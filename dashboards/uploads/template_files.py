"""The files a partner fills in: per organisation a CSV or XLSX with every cell of the last
complete quarter for each of its active indicators, the allowed dimension values filled in."""

from __future__ import annotations

import csv
import datetime
import io
import itertools

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from dashboards.models import Frequency, Indicator
from governance.models import Organisation
from ketenportaal.periods import MONTH, QUARTER, last_complete


def template_rows(organisation: Organisation, today: datetime.date | None = None):
    """Header and rows for the organisation's template: every cell of the last complete quarter
    for each of its active indicators, with the allowed dimension values filled in."""
    today = today or timezone.localdate()
    quarter = last_complete(QUARTER, today)
    indicators = list(Indicator.objects.active().filter(owner=organisation).order_by("code"))
    dimension_columns = sorted({d for i in indicators for d in i.dimensions})
    header = ["indicator", "period", "value", *dimension_columns, "organisation"]
    # Forecasts carry their round: this month's, as a forecast published now would.
    forecasts = any(i.is_forecast for i in indicators)
    if forecasts:
        header.append("round")
    rows = []
    for indicator in indicators:
        if indicator.frequency == Frequency.MONTH:
            periods = [month.canonical for month in quarter.parts(MONTH)]
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
                        *([f"{today:%Y-%m}" if indicator.is_forecast else ""] if forecasts else []),
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
