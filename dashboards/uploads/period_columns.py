"""The period column of an upload, parsed for every row at once (`ketenportaal.periods` per
distinct text, taken back to the rows by category code)."""

from __future__ import annotations

import pandas as pd

from ketenportaal.periods import parse_period

_PERIOD_TEXTS = {"period", "period_type", "period_start", "period_end", "previous_period"}
PERIOD_COLUMNS = [
    "period",
    "period_type",
    "period_start",
    "period_end",
    "previous_period",
    "rank",
    "start_ordinal",
    "period_id",
    "previous_id",
]


def parse_periods(values: pd.Series) -> pd.DataFrame:
    """Per row: canonical period, type, start, end, previous period, rank, start as ordinal, and
    ids of the period and the previous one (positions in `.attrs["periods"]`). None/-1 when
    malformed. Parsed once per distinct text, then taken back to the rows by code."""
    category = values.astype("category")
    parsed = [parse_period(str(text)) for text in category.cat.categories]
    canonical = sorted(
        {p.canonical for p in parsed if p} | {p.previous().canonical for p in parsed if p}
    )
    ids = {c: i for i, c in enumerate(canonical)}
    records = [
        (
            p.canonical,
            p.type,
            p.start,
            p.end,
            p.previous().canonical,
            p.rank,
            p.start.toordinal(),
            ids[p.canonical],
            ids[p.previous().canonical],
        )
        if p
        else (None, None, None, None, None, 0, 0, -1, -1)
        for p in parsed
    ]
    records.append((None, None, None, None, None, 0, 0, -1, -1))  # code -1 takes this row
    lookup = pd.DataFrame.from_records(records, columns=PERIOD_COLUMNS)
    codes = category.cat.codes.to_numpy()  # -1 (missing) takes the last, empty record
    columns = {}
    for column in PERIOD_COLUMNS:
        per_code = lookup[column].to_numpy(dtype=object if column in _PERIOD_TEXTS else None)
        if column in _PERIOD_TEXTS:
            # Categorical (None: missing), so later steps work per distinct period.
            distinct_codes, distinct = pd.factorize(per_code)
            columns[column] = pd.Categorical.from_codes(distinct_codes[codes], categories=distinct)
        else:
            columns[column] = per_code[codes]
    result = pd.DataFrame(columns, index=values.index)
    result.attrs["periods"] = canonical
    return result
