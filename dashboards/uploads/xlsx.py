"""Reading an XLSX upload (first sheet) with python-calamine, only after the zip's directory and
contents passed a safety check and the sheet's declared size is within the limits."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import pandas as pd
from django.utils.translation import gettext_lazy as _

from .tables import IngestError, Table, finish

# An XLSX holding a quarter's figures unpacks to a few MB; a zip bomb to GBs from a few KB.
XLSX_MAX_UNPACKED_BYTES = 256 * 1024 * 1024
XLSX_MAX_RATIO = 100  # uncompressed / compressed, per member above 1 MB
XLSX_MAX_MEMBERS = 1000
_XML_DECLARATIONS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


_DIMENSION = re.compile(rb'<dimension[^>]*\sref="[A-Z]+\d+:([A-Z]+)(\d+)"')


def xlsx_dimensions(data: bytes) -> tuple[int | None, int | None]:
    """Columns and rows of the first sheet as its `<dimension>` element declares them (read
    from the sheet's first bytes, before any spreadsheet library opens it); None if absent."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheets = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
        if not sheets:
            return None, None
        with archive.open(sheets[0]) as stream:
            head = stream.read(4096)
    except (zipfile.BadZipFile, OSError, EOFError, KeyError):
        return None, None
    match = _DIMENSION.search(head)
    if not match:
        return None, None
    letters, rows = match.groups()
    columns = 0
    for letter in letters:
        columns = columns * 26 + letter - ord("A") + 1
    return columns, int(rows)


def check_xlsx_archive(data: bytes) -> None:
    """Refuse a zip bomb or an XML entity payload before any spreadsheet library unpacks it.

    First the zip's central directory only (no decompression): member count, declared
    uncompressed sizes and compression ratios. Then each member is streamed through a bounded
    decompressor (never held whole) to check its actual size against what was declared and to
    refuse DOCTYPE/ENTITY declarations in any XML part (entity expansion, external entities).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise IngestError(
            "wrong_file_type", _("Het bestand heet .xlsx, maar is geen geldige Excel-werkmap.")
        ) from exc
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise IngestError(
            "wrong_file_type", _("Het bestand heet .xlsx, maar is geen Excel-werkmap.")
        )
    refuse_bomb = IngestError(
        "unsafe_file",
        _("Het Excel-bestand zou uitgepakt onredelijk groot worden en is niet geopend."),
    )
    if len(members) > XLSX_MAX_MEMBERS:
        raise refuse_bomb
    if sum(m.file_size for m in members) > XLSX_MAX_UNPACKED_BYTES:
        raise refuse_bomb
    for m in members:
        if m.file_size > 1024 * 1024 and m.file_size > XLSX_MAX_RATIO * max(m.compress_size, 1):
            raise refuse_bomb
    total = 0
    for m in members:
        actual = 0
        tail = b""
        is_xml = m.filename.endswith((".xml", ".rels", ".vml"))
        try:
            with archive.open(m) as stream:
                while chunk := stream.read(1024 * 1024):
                    actual += len(chunk)
                    total += len(chunk)
                    if actual > m.file_size or total > XLSX_MAX_UNPACKED_BYTES:
                        raise refuse_bomb
                    if is_xml:
                        if actual == len(chunk) and chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
                            raise IngestError(
                                "unsafe_file",
                                _("Het Excel-bestand bevat XML in een onverwachte codering."),
                            )
                        if _XML_DECLARATIONS.search(tail + chunk):
                            raise IngestError(
                                "unsafe_file",
                                _(
                                    "Het Excel-bestand bevat XML-declaraties (DOCTYPE of ENTITY) "
                                    "en is om veiligheidsredenen niet geopend."
                                ),
                            )
                        tail = chunk[-32:]
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise IngestError(
                "wrong_file_type", _("De Excel-werkmap is beschadigd en niet te lezen.")
            ) from exc


def read_xlsx(data: bytes, *, max_rows: int) -> Table:
    """The first sheet of a workbook that passed `check_xlsx_archive`."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise IngestError("empty_file", _("De Excel-werkmap heeft geen werkblad."))
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False, nrows=max_rows + 2)
    except IngestError:
        raise
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        raise IngestError(
            "wrong_file_type", _("De Excel-werkmap is beschadigd en niet te lezen.")
        ) from exc
    while rows and all(_cell(c) == "" for c in rows[-1]):
        rows.pop()
    if not rows:
        raise IngestError("empty_file", _("Het bestand is leeg."))
    headers = [_cell(c).strip().lower() for c in rows[0]]
    while headers and headers[-1] == "":
        headers.pop()
    width = len(headers)
    period_index = headers.index("period") if "period" in headers else -1
    body = [
        [
            _period_cell(row[i]) if i == period_index else _cell(row[i]) if i < len(row) else ""
            for i in range(width)
        ]
        for row in rows[1:]
    ]
    frame = pd.DataFrame(body, columns=range(width), dtype=str)
    frame = finish(frame, headers, max_rows)
    return Table(frame=frame, headers=headers, kind="xlsx")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10]
    return str(value)


def _period_cell(value: object) -> str:
    """Excel turns a typed 2024-03 into a date; the first of a month is read back as that month."""
    if isinstance(value, datetime.datetime | datetime.date) and value.day == 1:
        return f"{value.year:04d}-{value.month:02d}"
    return _cell(value)
