"""Downloads of lists and tables as CSV and XLSX.

Every cell goes through `safe_value`: text that a spreadsheet program would run as a formula
(it begins with `=`, `+`, `-`, `@`, a tab or a carriage return) is neutralised with a leading
single quote, and in XLSX every text cell is also written with the string type, so it can never
become a formula. Real numbers (int, float, Decimal) stay numbers.

Convention for list pages: `?format=csv` or `?format=xlsx` on the page's own URL, with its filters,
downloads what the page shows (`requested_format`, `export_response`, `download_links`).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMATS = ("csv", "xlsx")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

Getter = str | Callable[[Any], Any]


@dataclass(frozen=True)
class Column:
    """A column of an export: its header and how to get the value from a row.

    `value` is a callable, or a dotted path of attributes / dict keys (`"action.owner.code"`).
    """

    label: str
    value: Getter

    def get(self, row: Any) -> Any:
        if callable(self.value):
            return self.value(row)
        current = row
        for part in self.value.split("."):
            if current is None:
                return None
            current = current.get(part) if isinstance(current, dict) else getattr(current, part)
        return current() if callable(current) else current


@dataclass(frozen=True)
class Sheet:
    """One sheet of an XLSX workbook (or the whole of a CSV file)."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Any]


def neutralise_text(text: str) -> str:
    """Text that a spreadsheet would read as a formula gets a leading single quote."""
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def safe_value(value: Any) -> Any:
    """The value to write: numbers, dates and booleans as themselves, everything else as safe text."""
    if value is None:
        return None
    if isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, datetime.date):
        return value
    return neutralise_text(str(value))


def _csv_text(value: Any) -> str:
    value = safe_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def write_csv(out: io.TextIOBase, columns: Sequence[Column], rows: Iterable[Any]) -> None:
    """Write a header row and one line per row (comma-separated, RFC 4180 quoting)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_csv_text(column.label) for column in columns])
    for row in rows:
        writer.writerow([_csv_text(column.get(row)) for column in columns])


def csv_bytes(columns: Sequence[Column], rows: Iterable[Any]) -> bytes:
    """UTF-8 with a byte order mark, so that spreadsheet programs read the accents right."""
    out = io.StringIO()
    write_csv(out, columns, rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str, used: set[str]) -> str:
    base = _SHEET_TITLE_FORBIDDEN.sub(" ", title).strip()[:31] or "Blad"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def _xlsx_cell(sheet, value: Any, bold: bool = False) -> WriteOnlyCell:
    value = safe_value(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl would otherwise store any text beginning with "=" as a formula.
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with one sheet per `Sheet`, written in openpyxl's streaming (write-only) mode."""
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for spec in sheets:
        sheet = workbook.create_sheet(_sheet_title(str(spec.title), used))
        sheet.append([_xlsx_cell(sheet, str(column.label), bold=True) for column in spec.columns])
        for row in spec.rows:
            sheet.append([_xlsx_cell(sheet, column.get(row)) for column in spec.columns])
    if not sheets:
        workbook.create_sheet("Blad")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def render_export(
    rows: Iterable[Any], columns: Sequence[Column], format: str, title: str = "Export"
) -> bytes:
    if format == "csv":
        return csv_bytes(columns, rows)
    if format == "xlsx":
        return xlsx_bytes([Sheet(title, columns, rows)])
    raise ValueError(f"unknown export format {format!r}")


def requested_format(request: HttpRequest) -> str | None:
    """`csv` or `xlsx` when the page was asked for as a download, else None."""
    value = request.GET.get("format", "")
    return value if value in FORMATS else None


def _safe_filename(filename: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-") or "export"


def file_response(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_safe_filename(filename)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def export_response(
    request: HttpRequest,
    rows: Iterable[Any],
    columns: Sequence[Column],
    filename: str,
    format: str,
) -> HttpResponse:
    """The rows as a CSV or XLSX download named `filename` + today's date + extension."""
    stamp = timezone.localdate().isoformat()
    content = render_export(rows, columns, format, title=filename)
    return file_response(
        content, filename=f"{filename}-{stamp}.{format}", content_type=CONTENT_TYPES[format]
    )


def download_links(request: HttpRequest, **extra: str) -> list[dict[str, str]]:
    """Links to the current page as CSV and XLSX, with its filters (for includes/export_links)."""
    links = []
    for format, label in (("csv", "CSV"), ("xlsx", "Excel (XLSX)")):
        params = request.GET.copy()
        for key, value in extra.items():
            params[key] = value
        params["format"] = format
        links.append(
            {"format": format, "label": label, "url": f"{request.path}?{params.urlencode()}"}
        )
    return links
