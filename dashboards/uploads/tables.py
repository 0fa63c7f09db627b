"""What reading a file gives and how it can fail: the table of trimmed strings, the limits it is
held to, and `IngestError`. Shared by the CSV reader (`ingest`) and the XLSX reader (`xlsx`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from .texts import text

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ROW = "_row"  # the column holding each data row's number in the file
ProgressCallback = Callable[[int], None]


class IngestError(Exception):
    """The file cannot be read as an upload; nothing of it is used. The message is lazy: the
    finding stores it in every language (`validation.single_issue`)."""

    def __init__(
        self, code: str, message: StrOrPromise, *, row: int | None = None, column: str = ""
    ):
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


@dataclass(frozen=True)
class Limits:
    """How big a table may be: checked from the header (and the line count) before parsing, so
    a file with 200,000 columns is refused in milliseconds instead of costing minutes and GBs."""

    max_bytes: int
    max_rows: int
    max_columns: int = 100
    max_cells: int = 50_000_000


def check_size(columns: int | None, rows: int | None, limits: Limits) -> None:
    """Refuse a table wider or bigger than the limits (None: not known yet)."""
    if columns is not None and columns > limits.max_columns:
        raise IngestError(
            "too_many_columns",
            text(
                _(
                    "Het bestand heeft %(columns)s kolommen; de grens is %(limit)s. Een aanlevering "
                    "heeft de kolommen indicator, period, value, de dimensies en eventueel "
                    "organisation en round."
                ),
                columns=count_text(columns),
                limit=count_text(limits.max_columns),
            ),
            row=1,
        )
    if columns is not None and rows is not None and columns * rows > limits.max_cells:
        raise IngestError(
            "too_many_cells",
            text(
                _("Het bestand heeft meer dan %(limit)s cellen; splits het in kleinere bestanden."),
                limit=count_text(limits.max_cells),
            ),
        )


def count_text(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


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


def finish(frame: pd.DataFrame, headers: list[str], max_rows: int) -> pd.DataFrame:
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
            text(
                _("Het bestand heeft meer dan %(limit)s gegevensrijen."),
                limit=f"{max_rows:,}".replace(",", "."),
            ),
        )
    return frame.reset_index(drop=True)
