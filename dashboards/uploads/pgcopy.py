"""COPY of a pandas frame into PostgreSQL in the binary format, encoded while the server stores.

Why binary: with text COPY the server parses every field (CSV quoting, then date, numeric and
bigint input functions): for a million observations about 0.5 s of a 3 s COPY, and a third of
the COPY without its indexes (bench/ingest.py). In the binary format each field arrives as its
length and its value in the type's own wire form, so the server only checks and copies it. Why a producer thread: the backend is another process (on another
core); while it stores one chunk, the next is encoded here, instead of the two taking turns.

Encoding is vectorised: each column is encoded once per distinct value (most columns of an
upload repeat few values: ids, periods, dimension keys), adjacent columns with few combinations
are joined per combination, and a chunk of rows is assembled by numpy from those pieces. The
output is what PostgreSQL itself documents for COPY BINARY: a signature, then per row the field
count and per field a 4-byte length (-1 for NULL) and the value, then -1 as the trailer.
"""

from __future__ import annotations

import datetime
import decimal
import itertools
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import SupportsInt

import numpy as np
import pandas as pd

SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
TRAILER = (-1).to_bytes(2, "big", signed=True)
NULL = (-1).to_bytes(4, "big", signed=True)
POSTGRES_EPOCH = datetime.date(2000, 1, 1).toordinal()
_INTEGERS = {"int2": ">i2", "int4": ">i4", "int8": ">i8"}
#: Adjacent columns are encoded together while they hold at most this share of distinct
#: combinations (periods with their type and dates, the constant ids, …).
MERGE_SHARE = 0.125
#: Bytes of one assembled chunk (rows x widest row); a chunk is the unit handed to the server.
CHUNK_BYTES = 16 << 20
#: Rows per chunk when rows are joined piece by piece (see `binary_chunks`).
JOINED_ROWS = 20_000


def kind_of(db_type: str) -> str:
    """The wire kind of a column from its database type (as Field.db_type gives it)."""
    db_type = db_type.lower()
    kinds = {"bigint": "int8", "integer": "int4", "smallint": "int2", "date": "date"}
    if db_type in kinds:
        return kinds[db_type]
    if db_type.startswith(("varchar", "text", "character varying")):
        return "text"
    if db_type.startswith("numeric"):
        return "numeric"
    raise TypeError(f"binary COPY of a {db_type} column is not implemented")


# ---------------------------------------------------------------- one field


_DECIMALS = decimal.Context(prec=100, rounding=decimal.ROUND_HALF_UP, traps=[decimal.Overflow])


def numeric_field(value: object, scale: int) -> bytes:
    """A number as PostgreSQL's binary numeric, rounded to `scale` decimals.

    Rounds half away from zero, as PostgreSQL does when it fits a value to numeric(p, s); the
    precision (too large a value) is still checked by the server. The value is taken from its
    text (the partner's digits), never through a float.
    """
    number = _DECIMALS.create_decimal(str(value).strip())
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    number = number.quantize(decimal.Decimal(1).scaleb(-scale), context=_DECIMALS)
    sign, digits, _exponent = number.as_tuple()
    # value = integer * 10**-scale = groups (base 10000) with `fraction_groups` after the point
    fraction_groups = -(-scale // 4)
    integer = int("".join(map(str, digits))) * 10 ** (4 * fraction_groups - scale)
    groups: list[int] = []
    while integer:
        integer, group = divmod(integer, 10000)
        groups.append(group)
    groups.reverse()
    weight = len(groups) - 1 - fraction_groups
    while groups and groups[-1] == 0:
        groups.pop()
    negative = sign and bool(groups)  # PostgreSQL has no negative zero
    head = np.array([len(groups), weight if groups else 0, 0x4000 if negative else 0, scale])
    body = np.concatenate([head, groups]).astype(">i2").tobytes()
    return len(body).to_bytes(4, "big") + body


def field(value: object, kind: str, scale: int = 0) -> bytes:
    """One field: its length, then its value in binary form; NULL for None/NaN/NA."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return NULL
    if kind == "text":
        body = str(value).encode("utf-8")
    elif kind == "date":
        day = value.date() if isinstance(value, datetime.datetime) else value
        if not isinstance(day, datetime.date):
            raise TypeError(f"not a date: {value!r}")
        body = (day.toordinal() - POSTGRES_EPOCH).to_bytes(4, "big", signed=True)
    elif kind == "numeric":
        return numeric_field(value, scale)
    elif isinstance(value, str | SupportsInt):  # OverflowError rather than a wrapped number
        body = int(value).to_bytes(np.dtype(_INTEGERS[kind]).itemsize, "big", signed=True)
    else:
        raise TypeError(f"not an integer: {value!r}")
    return len(body).to_bytes(4, "big") + body


# ---------------------------------------------------------------- a frame's pieces


@dataclass
class _Coded:
    """Columns encoded per distinct value: the pieces (bytes) and each row's piece number."""

    pieces: np.ndarray  # object array of bytes
    codes: np.ndarray  # int64, one per row


@dataclass
class _PerRow:
    """A fixed-width column that differs per row (the file row): one byte matrix row per row."""

    matrix: np.ndarray  # uint8, rows x width


def _encode_column(series: pd.Series, kind: str, scale: int) -> _Coded | _PerRow:
    if kind in _INTEGERS and isinstance(series.dtype, np.dtype) and series.dtype.kind in "iu":
        numbers = series.to_numpy()
        if len(numbers) and numbers.min() == numbers.max():  # a constant (an id)
            pieces = [field(int(numbers[0]), kind)]
            return _Coded(np.asarray(pieces, dtype=object), np.zeros(len(numbers), np.int64))
        limits = np.iinfo(_INTEGERS[kind])
        if numbers.min() < limits.min or numbers.max() > limits.max:
            raise OverflowError(f"a number of {series.name} does not fit in {kind}")
        size = np.dtype(_INTEGERS[kind]).itemsize
        records = np.empty(len(numbers), dtype=[("size", ">i4"), ("value", _INTEGERS[kind])])
        records["size"] = size
        records["value"] = numbers
        return _PerRow(records.view(np.uint8).reshape(len(numbers), 4 + size))
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    pieces = [field(value, kind, scale) for value in np.asarray(uniques, dtype=object)]
    pieces.append(NULL)  # code -1
    codes = np.where(codes < 0, len(pieces) - 1, codes).astype(np.int64)
    return _Coded(np.asarray(pieces, dtype=object), codes)


def _merge(before: _Coded, after: _Coded, rows: int) -> _Coded | None:
    """The two columns as one, per combination that occurs; None when there are too many."""
    if len(before.pieces) * len(after.pieces) > rows:
        return None
    # Number the combinations that occur (dense, no hashing: the product is small).
    combo = before.codes * len(after.pieces) + after.codes
    present = np.zeros(len(before.pieces) * len(after.pieces), dtype=bool)
    present[combo] = True
    combos = np.flatnonzero(present)
    if len(combos) > MERGE_SHARE * rows:
        return None
    left, right = np.divmod(combos, len(after.pieces))
    return _Coded(before.pieces[left] + after.pieces[right], (np.cumsum(present) - 1)[combo])


@dataclass
class _Padded:
    """Pieces as a byte matrix padded to the longest, with their lengths."""

    bytes: np.ndarray  # uint8, pieces x width
    lengths: np.ndarray  # int64, per piece
    codes: np.ndarray
    uniform: bool  # every piece rows use has the same length: nothing to squeeze out


def _lengths(coded: _Coded) -> np.ndarray:
    return np.fromiter(map(len, coded.pieces), dtype=np.int64, count=len(coded.pieces))


def _padded(coded: _Coded) -> _Padded:
    lengths = _lengths(coded)
    matrix = np.zeros((len(lengths), int(lengths.max())), dtype=np.uint8)
    for position, piece in enumerate(coded.pieces):
        matrix[position, : len(piece)] = np.frombuffer(piece, dtype=np.uint8)
    used = np.zeros(len(lengths), dtype=bool)
    used[coded.codes] = True
    used_lengths = lengths[used]
    uniform = len(used_lengths) == 0 or bool((used_lengths == used_lengths[0]).all())
    return _Padded(matrix, lengths, coded.codes, uniform)


def binary_chunks(frame: pd.DataFrame, kinds: list[str], scales: list[int]) -> Iterator[bytes]:
    """The frame in PostgreSQL's COPY BINARY format, in chunks of about CHUNK_BYTES."""
    rows = len(frame)
    count = len(frame.columns).to_bytes(2, "big")
    header = _Coded(np.asarray([count], dtype=object), np.zeros(rows, dtype=np.int64))
    groups: list[_Coded | _PerRow] = [header]
    for column, kind, scale in zip(frame.columns, kinds, scales, strict=True):
        encoded = _encode_column(frame[column], kind, scale)
        if isinstance(encoded, _Coded) and isinstance(groups[-1], _Coded):
            merged = _merge(groups[-1], encoded, rows)
            if merged is not None:
                groups[-1] = merged
                continue
        groups.append(encoded)
    yield SIGNATURE
    coded = [g for g in groups if isinstance(g, _Coded)]
    padded_size = sum(len(g.pieces) * int(_lengths(g).max()) for g in coded)
    if padded_size > CHUNK_BYTES:
        # Many long distinct values (a report quoting long cells): padding them all to the
        # longest could take gigabytes, so these rows are joined piece by piece instead.
        for start in range(0, rows, JOINED_ROWS):
            yield _joined(groups, slice(start, start + JOINED_ROWS))
    else:
        parts = [_padded(g) if isinstance(g, _Coded) else g for g in groups]
        width = sum(
            p.bytes.shape[1] if isinstance(p, _Padded) else p.matrix.shape[1] for p in parts
        )
        chunk_rows = max(1, CHUNK_BYTES // max(width, 1))
        for start in range(0, rows, chunk_rows):
            yield _assembled(parts, slice(start, start + chunk_rows))
    yield TRAILER


def _assembled(parts: list[_Padded | _PerRow], rows: slice) -> bytes:
    """A chunk of rows: each part's bytes side by side, padding squeezed out (row-major)."""
    matrices: list[np.ndarray] = []
    masks: list[np.ndarray | None] = []
    for part in parts:
        if isinstance(part, _PerRow):
            matrices.append(part.matrix[rows])
            masks.append(None)
        else:
            codes = part.codes[rows]
            matrices.append(part.bytes[codes])
            masks.append(
                None
                if part.uniform
                else np.arange(part.bytes.shape[1]) < part.lengths[codes][:, None]
            )
    if all(m is None for m in masks):
        return np.hstack(matrices).tobytes()
    full_masks = [
        np.ones(matrix.shape, dtype=bool) if mask is None else mask
        for matrix, mask in zip(matrices, masks, strict=True)
    ]
    return np.hstack(matrices)[np.hstack(full_masks)].tobytes()


def _joined(groups: list[_Coded | _PerRow], rows: slice) -> bytes:
    """A chunk of rows joined piece by piece (slower, but no padding)."""
    columns = []
    for group in groups:
        if isinstance(group, _PerRow):
            matrix = np.ascontiguousarray(group.matrix[rows])
            columns.append(matrix.view(f"V{matrix.shape[1]}").ravel().tolist())
        else:
            columns.append(group.pieces[group.codes[rows]].tolist())
    return b"".join(itertools.chain.from_iterable(zip(*columns, strict=True)))


# ---------------------------------------------------------------- encoding ahead of COPY


_END = object()


class EncodedAhead:
    """A binary file-like object over chunks that a producer thread makes ahead of the reader.

    COPY reads it in the calling thread; the next chunks are encoded meanwhile (numpy releases
    the GIL while it copies, and so does psycopg2 while it sends). At most `depth` chunks wait.
    An error while encoding is raised from `read`, so COPY is aborted and its transaction with
    it. Use as a context manager: leaving it stops and joins the thread whatever happened.
    """

    def __init__(self, chunks: Iterator[bytes], depth: int = 3) -> None:
        self._chunks = chunks
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._pending = memoryview(b"")
        self._done = False
        self._thread = threading.Thread(target=self._produce, name="copy-encoder", daemon=True)

    def __enter__(self) -> EncodedAhead:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()

    def _produce(self) -> None:
        try:
            for chunk in self._chunks:
                if not self._put(chunk):
                    return
            self._put(_END)
        except BaseException as exc:  # handed to the reader, which raises it
            self._put(exc)

    def _put(self, item: object) -> bool:
        """Queue an item unless the reader has gone away (then False)."""
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes (all that is left for a negative size); b"" at the end."""
        parts = []
        wanted = size if size is not None and size >= 0 else float("inf")
        while wanted > 0:
            if not self._pending:
                if self._done:
                    break
                item = self._queue.get()
                if item is _END:
                    self._done = True
                    break
                if isinstance(item, BaseException):
                    self._done = True
                    raise item
                self._pending = memoryview(item)
            take = self._pending[: int(min(wanted, len(self._pending)))]
            self._pending = self._pending[len(take) :]
            parts.append(take)
            wanted -= len(take)
        return b"".join(parts)


def copy_binary(
    cursor, table: str, columns: list[str], frame: pd.DataFrame, kinds: list[str], scales: list[int]
) -> None:
    """COPY `frame` into `table` (quoted name) in the binary format; `columns` are the quoted
    column names matching the frame's columns, `kinds` their wire kinds (`kind_of`), `scales`
    the decimals of numeric ones."""
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT binary)"
    with EncodedAhead(binary_chunks(frame, kinds, scales)) as source:
        cursor.copy_expert(sql, source, CHUNK_BYTES)
