"""Reading a partner's file into a frame of trimmed strings (DESIGN.md, "the upload contract").

Pure functions over bytes and pandas frames: no database. `read_table` accepts CSV (UTF-8 with
or without BOM, or Windows-1252; `,` or `;`; decimal comma with `;`) and XLSX (first sheet,
read with python-calamine only after the zip's directory and contents passed a safety check).
Every refusal is an `IngestError` with a code and a message in the reader's language (lazy); row numbers are the ones a
user sees in the file (the header is row 1).
"""

from __future__ import annotations

import io
import re

import pandas as pd
from django.utils.translation import gettext_lazy as _

from .tables import (
    ROW,
    IngestError,
    Limits,
    ProgressCallback,
    Table,
    check_size,
    finish,
    megabytes,
)
from .texts import text
from .xlsx import check_xlsx_archive, read_xlsx, xlsx_dimensions

__all__ = ["ROW", "IngestError", "Limits", "Table", "read_table"]

CHUNK_ROWS = 100_000


def read_table(
    data: bytes,
    file_name: str,
    *,
    max_bytes: int,
    max_rows: int,
    max_columns: int = Limits.max_columns,
    max_cells: int = Limits.max_cells,
    on_progress: ProgressCallback | None = None,
) -> Table:
    """Read an upload's bytes. Raises IngestError for anything that is not a readable table."""
    limits = Limits(max_bytes, max_rows, max_columns, max_cells)
    if len(data) > max_bytes:
        raise IngestError(
            "too_large",
            text(
                _("Het bestand is %(size)s MB; de grens is %(limit)s MB."),
                size=megabytes(len(data)),
                limit=megabytes(max_bytes),
            ),
        )
    kind = detect_kind(data, file_name)
    if kind == "xlsx":
        check_xlsx_archive(data)
        check_size(*xlsx_dimensions(data), limits)
        table = read_xlsx(data, max_rows=max_rows)
        check_size(len(table.headers), len(table.frame), limits)
        if on_progress:
            on_progress(len(table.frame))
        return table
    check_size(*csv_dimensions(data), limits)
    return read_csv(data, max_rows=max_rows, on_progress=on_progress)


def csv_dimensions(data: bytes) -> tuple[int, int]:
    """Columns (the header line's fields, counted without parsing) and lines of a CSV file."""
    end = data.find(b"\n")
    header = data[: end if end >= 0 else len(data)]
    delimiter = b";" if header.count(b";") > header.count(b",") else b","
    return header.count(delimiter) + 1, data.count(b"\n")


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
    frame = finish(frame.iloc[1:], headers, max_rows)
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
            text(
                _("Rij %(row)s heeft %(saw)s velden, de kopregel %(expected)s."),
                row=line,
                saw=saw,
                expected=expected,
            ),
            row=line,
        )
    return IngestError("unreadable", _("Het bestand is geen geldig CSV-bestand."))
