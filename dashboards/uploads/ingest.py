"""Reading a partner's file into a frame of trimmed strings (DESIGN.md, "the upload contract").

Pure functions over bytes and pandas frames: no database. `read_table` accepts CSV (UTF-8 with
or without BOM, or Windows-1252; `,` or `;`; decimal comma with `;`) and XLSX (first sheet,
read with python-calamine only after the zip's directory and contents passed a safety check).
Every refusal is an `IngestError` with a code and a Dutch message; row numbers are the ones a
user sees in the file (the header is row 1).
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

ROW = "_row"  # the column holding each data row's number in the file
CHUNK_ROWS = 100_000

# An XLSX holding a quarter's figures unpacks to a few MB; a zip bomb to GBs from a few KB.
XLSX_MAX_UNPACKED_BYTES = 256 * 1024 * 1024
XLSX_MAX_RATIO = 100  # uncompressed / compressed, per member above 1 MB
XLSX_MAX_MEMBERS = 1000
_XML_DECLARATIONS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class IngestError(Exception):
    """The file cannot be read as an upload; nothing of it is used."""

    def __init__(self, code: str, message: str, *, row: int | None = None, column: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.row = row
        self.column = column


@dataclass
class Table:
    """The file's data rows as trimmed strings, headers lower-cased, plus `_row` (file row)."""

    frame: pd.DataFrame
    headers: list[str]
    kind: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ""
    decimal_comma: bool = False
    notes: list[str] = field(default_factory=list)


ProgressCallback = Callable[[int], None]


def read_table(
    data: bytes,
    file_name: str,
    *,
    max_bytes: int,
    max_rows: int,
    on_progress: ProgressCallback | None = None,
) -> Table:
    """Read an upload's bytes. Raises IngestError for anything that is not a readable table."""
    if len(data) > max_bytes:
        raise IngestError(
            "too_large",
            _("Het bestand is %(size)s MB; de grens is %(limit)s MB.")
            % {"size": _mb(len(data)), "limit": _mb(max_bytes)},
        )
    kind = detect_kind(data, file_name)
    if kind == "xlsx":
        table = read_xlsx(data, max_rows=max_rows)
        if on_progress:
            on_progress(len(table.frame))
        return table
    return read_csv(data, max_rows=max_rows, on_progress=on_progress)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def detect_kind(data: bytes, file_name: str) -> str:
    """ "csv" or "xlsx" from the name, refusing a file whose content is not what its name says."""
    name = file_name.lower().strip()
    is_zip = data[:4] == b"PK\x03\x04"
    if name.endswith(".xlsx"):
        if not is_zip:
            raise IngestError(
                "wrong_file_type",
                _("Het bestand heet .xlsx, maar is geen Excel-werkmap (XLSX)."),
            )
        return "xlsx"
    if name.endswith((".csv", ".txt")):
        if is_zip or b"\x00" in data[:8192] or data[:5] == b"%PDF-":
            raise IngestError(
                "wrong_file_type",
                _("Het bestand heet .csv, maar is geen tekstbestand met scheidingstekens."),
            )
        return "csv"
    raise IngestError(
        "wrong_file_type",
        _("Lever een CSV-bestand (.csv) of een Excel-werkmap (.xlsx) aan."),
    )


# ---------------------------------------------------------------- CSV


def decode_guess(data: bytes) -> str:
    """The encoding: UTF-8 with BOM, UTF-8, or else Windows-1252 (as Excel in NL saves)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(
            "unreadable",
            _("Het bestand is in UTF-16 opgeslagen; sla het op als CSV UTF-8 of als Windows-CSV."),
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise IngestError(
                "unreadable",
                _("De tekens in het bestand zijn niet te lezen als UTF-8 of Windows-1252."),
            ) from exc
        return "cp1252"
    return "utf-8"


def sniff_delimiter(header_line: str) -> str:
    """`;` when the header uses it (the Dutch Excel default), else `,`."""
    if header_line.count(";") > header_line.count(","):
        return ";"
    if "," in header_line:
        return ","
    return ";" if ";" in header_line else ","


def read_csv(data: bytes, *, max_rows: int, on_progress: ProgressCallback | None = None) -> Table:
    encoding = decode_guess(data)
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        raise IngestError("empty_file", _("Het bestand is leeg."))
    text_start = data[:65536].decode(encoding, errors="replace").lstrip("\ufeff")
    delimiter = sniff_delimiter(text_start.splitlines()[0] if text_start.strip() else "")
    try:
        # header=None: the header is data row 0, so pandas takes the width from it and a row
        # with more fields is an error naming its line (not silently an index column).
        reader = pd.read_csv(
            io.BytesIO(data),
            sep=delimiter,
            encoding=encoding,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
            chunksize=CHUNK_ROWS,
            nrows=max_rows + 2,
        )
        chunks = []
        read = 0
        for chunk in reader:
            chunks.append(chunk)
            read += len(chunk)
            if on_progress:
                on_progress(max(read - 1, 0))
    except pd.errors.ParserError as exc:
        raise _parser_error(exc) from exc
    except pd.errors.EmptyDataError as exc:
        raise IngestError("empty_file", _("Het bestand is leeg.")) from exc
    except UnicodeDecodeError as exc:
        raise IngestError("unreadable", _("De tekens in het bestand zijn niet te lezen.")) from exc
    frame = pd.concat(chunks, ignore_index=True)
    headers = [str(h).strip().lower() for h in frame.iloc[0].fillna("")]
    frame = _finish(frame.iloc[1:], headers, max_rows)
    return Table(
        frame=frame,
        headers=headers,
        kind="csv",
        encoding=encoding,
        delimiter=delimiter,
        decimal_comma=delimiter == ";",
    )


def _parser_error(exc: Exception) -> IngestError:
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
    if match:
        expected, line, saw = (int(g) for g in match.groups())
        return IngestError(
            "unreadable",
            _("Rij %(row)s heeft %(saw)s velden, de kopregel %(expected)s.")
            % {"row": line, "saw": saw, "expected": expected},
            row=line,
        )
    return IngestError("unreadable", _("Het bestand is geen geldig CSV-bestand."))


def column_names(headers: list[str]) -> list[str]:
    """Frame column names: the header, or `header#n` for a repeat and `#n` for an empty one."""
    names: list[str] = []
    for index, header in enumerate(headers, start=1):
        if not header:
            names.append(f"#{index}")
        elif header in names:
            names.append(f"{header}#{index}")
        else:
            names.append(header)
    return names


def _finish(frame: pd.DataFrame, headers: list[str], max_rows: int) -> pd.DataFrame:
    """Trim every cell, number rows as in the file, drop blank rows, apply the row limit.

    Columns come back as categoricals of the trimmed texts: each distinct value is trimmed
    once, and validation then works per distinct value from the same codes instead of hashing
    every column again."""
    frame = frame.reset_index(drop=True)
    names = column_names(headers)
    blank = np.ones(len(frame), dtype=bool)
    columns = {}
    for position, column in enumerate(frame.columns):
        codes, uniques = pd.factorize(frame[column], use_na_sentinel=True)
        trimmed = [str(u).strip() for u in uniques]
        if (codes < 0).any():  # the missing fields of a short row read as ""
            codes = np.where(codes < 0, len(trimmed), codes)
            trimmed.append("")
        # Values equal once trimmed share one category.
        inverse, categories = pd.factorize(np.asarray(trimmed, dtype=object))
        codes = inverse[codes] if len(trimmed) else codes
        columns[names[position]] = pd.Categorical.from_codes(codes, categories=categories)
        empty = np.asarray([c == "" for c in categories] or [True], dtype=bool)
        blank &= empty[codes] if len(trimmed) else True
    frame = pd.DataFrame(columns, index=frame.index)
    frame[ROW] = frame.index + 2  # the header is row 1
    if len(frame.columns) > 1 and len(frame):
        frame = frame[~blank]
    if len(frame) > max_rows:
        raise IngestError(
            "too_many_rows",
            _("Het bestand heeft meer dan %(limit)s gegevensrijen.")
            % {"limit": f"{max_rows:,}".replace(",", ".")},
        )
    return frame.reset_index(drop=True)


# ---------------------------------------------------------------- XLSX


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
    from python_calamine import CalamineWorkbook

    check_xlsx_archive(data)
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
    frame = _finish(frame, headers, max_rows)
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
