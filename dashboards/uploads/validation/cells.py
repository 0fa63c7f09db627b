"""Cells of an upload: each row's canonical cell key (values named by code or label), the
cells a file holds, and the same cell twice in one file."""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from dashboards.uploads.tables import ROW
from dashboards.uploads.texts import text

from .result import (
    Findings,
    fmt,
    lower,
)
from .rules import Rows, Values


def by_code(given: pd.Series, aliases: dict[str, str] | None) -> pd.Series:
    """A lower-cased dimension column with each value named by its code: a file may name a
    value by its Dutch or English label too (mapped once per distinct value)."""
    if not aliases:
        return given
    categories = [aliases.get(str(c).strip(), str(c)) for c in given.cat.categories]
    uniques, inverse = np.unique(np.asarray(categories, dtype=object), return_inverse=True)
    codes = given.cat.codes.to_numpy()
    mapped = np.where(codes >= 0, np.asarray(inverse, dtype=np.int64).reshape(-1)[codes], -1)
    return pd.Series(pd.Categorical.from_codes(mapped, categories=list(uniques)), index=given.index)


def cell_keys(
    rows: Rows, headers: list[str], known_dimensions: set[str], found: Findings
) -> tuple[np.ndarray, list[str]]:
    """Each row's dimension key, numbered: (key id per row, the keys). Missing dimension columns,
    values that are not allowed, and values for dimensions the indicator does not have."""
    frame = rows.frame
    dimension_keys: list[str] = [""]
    key_id = np.zeros(len(frame), dtype=np.int64)
    dimension_columns = [h for h in headers if h in known_dimensions]
    lowered = {dim: lower(frame[dim]) for dim in dimension_columns}
    for index, code in enumerate(rows.categories):
        spec = rows.spec_per_cat[index]
        if spec is None or not spec.active:
            continue
        mine = pd.Series(rows.ind_code == index, index=frame.index)
        first_row = int(frame[ROW][mine].iloc[0])
        combo = np.zeros(len(frame), dtype=np.int64)
        parts: list[tuple[str, list[str]]] = []
        for dim in sorted(spec.dimensions):
            if dim not in frame.columns:
                found.error(
                    [first_row],
                    dim,
                    "missing_column",
                    text(
                        _(
                            'De kolom "%(dim)s" ontbreekt; de indicator "%(code)s" heeft die dimensie.'
                        ),
                        dim=dim,
                        code=code,
                    ),
                )
                rows.ok &= ~mine
                continue
            given = by_code(lowered[dim], spec.value_aliases.get(dim))
            allowed = [v.lower() for v in spec.dimensions[dim]]
            unknown = mine & ~given.isin(allowed)
            bad = frame[unknown].assign(dim_=dim, allowed_=", ".join(spec.dimensions[dim]))
            found.error(
                bad[ROW],
                dim,
                "unknown_dimension_value",
                fmt(
                    _(
                        '"%(value)s" is geen toegestane waarde voor %(dim)s. Toegestaan: %(allowed)s.'
                    ),
                    bad,
                    value=dim,
                    dim="dim_",
                    allowed="allowed_",
                ),
            )
            rows.ok &= ~unknown
            dim_categories = list(given.cat.categories)
            combo = combo * (len(dim_categories) + 1) + given.cat.codes.to_numpy() + 1
            parts.append((dim, dim_categories))
        for dim in dimension_columns:
            if dim in spec.dimensions:
                continue
            extra = mine & (frame[dim] != "")
            bad = frame[extra].assign(dim_=dim)
            found.error(
                bad[ROW],
                dim,
                "dimension_not_applicable",
                fmt(
                    _('De indicator "%(code)s" heeft geen dimensie %(dim)s; laat deze cel leeg.'),
                    bad,
                    code="indicator",
                    dim="dim_",
                ),
            )
            rows.ok &= ~extra
        if parts:
            uniques, inverse = np.unique(combo[mine.to_numpy()], return_inverse=True)
            keys = []
            for value in uniques:
                labels = []
                for dim, dim_categories in reversed(parts):
                    value, position = divmod(int(value), len(dim_categories) + 1)
                    labels.append(f"{dim}={dim_categories[position - 1]}")
                keys.append(";".join(reversed(labels)))
            start = len(dimension_keys)
            dimension_keys.extend(keys)
            key_id[mine.to_numpy()] = inverse.reshape(-1) + start
    return key_id, dimension_keys


def cells_of(
    rows: Rows, periods: pd.DataFrame, values: Values, key_id: np.ndarray, dimension_keys: list[str]
) -> pd.DataFrame:
    """The sound rows as cells: indicator, dimension key, period and value, with integer ids of
    the cell and the period for the checks and warnings that follow."""
    frame, raw = rows.frame, values.raw
    values = values.values
    key_strings = np.asarray(dimension_keys, dtype=object)
    key_codes, key_texts = pd.factorize(key_strings)  # one category per distinct key text
    cells = pd.DataFrame(
        {
            ROW: frame[ROW],
            "indicator": rows.codes,
            "dimension_key": pd.Categorical.from_codes(key_codes[key_id], categories=key_texts),
            "period": periods["period"],
            "period_type": periods["period_type"],
            "period_start": periods["period_start"],
            "period_end": periods["period_end"],
            "previous_period": periods["previous_period"],
            "value": values,
            "raw_value": raw,
            "cell": rows.ind_code.astype(np.int64) * len(key_strings) + key_id,
            "key_rank": np.argsort(np.argsort(key_strings, kind="stable"))[key_id],
            "start_ordinal": periods["start_ordinal"],
            "period_rank": periods["rank"],
            "period_id": periods["period_id"],
            "previous_id": periods["previous_id"],
        }
    )
    return cells if rows.ok.all() else cells[rows.ok]


def check_duplicate_cells(cells: pd.DataFrame, found: Findings) -> pd.DataFrame:
    """The same cell twice in one file: the later rows are errors. Returns the first of each."""
    dupes = cells.duplicated(["cell", "period_id"], keep="first")
    if dupes.any():
        first = cells[~dupes].drop_duplicates(["cell", "period_id"])
        bad = cells[dupes].merge(
            first[["cell", "period_id", ROW]], on=["cell", "period_id"], suffixes=("", "_first")
        )
        found.error(
            bad[ROW],
            "period",
            "duplicate_cell",
            fmt(
                _("Dezelfde cel (%(code)s, %(period)s) staat ook in rij %(first)s."),
                bad,
                code="indicator",
                period="period",
                first=f"{ROW}_first",
            ),
        )
        cells = cells[~dupes]
    return cells
