"""The `round` column of a forecast upload (DESIGN.md, "the upload contract"): the month the
forecast was published, `YYYY-MM`. Required on every row of a forecast indicator, refused on the
rows of any other; a round is part of the cell, so the rows of two rounds never collide and an
upload supersedes only the rounds it holds.
"""

from __future__ import annotations

import datetime
import re

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from dashboards.models import ROUND, series_key
from dashboards.uploads.tables import ROW

from .result import Findings, fmt
from .rules import Rows

ROUND_PATTERN = r"(\d{4})-(\d{2})"


def check_rounds(rows: Rows, today: datetime.date, found: Findings) -> pd.Series:
    """Each row's round ("" for the rows of an indicator that is no forecast), after reporting a
    missing, malformed, future or superfluous round. Rows with such an error are no longer
    sound (`rows.ok`)."""
    frame = rows.frame
    forecast = rows.per_indicator("is_forecast", False).astype(bool) & _known(rows)
    if ROUND not in frame.columns:
        for index, code in enumerate(rows.categories):
            spec = rows.spec_per_cat[index]
            if spec is None or not spec.active or not spec.is_forecast:
                continue
            mine = pd.Series(rows.ind_code == index, index=frame.index)
            found.error(
                [int(frame[ROW][mine].iloc[0])],
                ROUND,
                "missing_round",
                _(
                    'De kolom "round" ontbreekt; de indicator "%(code)s" is een prognose en vraagt '
                    "op elke rij de ronde: de maand van publicatie (JJJJ-MM)."
                )
                % {"code": code},
            )
            rows.ok &= ~mine
        return _no_rounds(frame.index)

    given = frame[ROUND].astype("category")
    categories = [str(c).strip() for c in given.cat.categories]
    parsed = [_parse_round(c) for c in categories]
    this_month = today.year * 12 + today.month
    well_formed = np.asarray([p is not None for p in parsed] + [False])
    ahead = np.asarray([p is not None and p > this_month for p in parsed] + [False])
    codes = given.cat.codes.to_numpy()
    blank = np.asarray([c == "" for c in categories] + [True])
    empty = pd.Series(blank[codes], index=frame.index)
    formed = pd.Series(well_formed[codes], index=frame.index)
    future = pd.Series(ahead[codes], index=frame.index)

    missing = forecast & empty
    found.error(
        frame[ROW][missing],
        ROUND,
        "missing_round",
        fmt(
            _(
                'De ronde ontbreekt: de indicator "%(code)s" is een prognose; vul in de kolom '
                '"round" de maand van publicatie in (JJJJ-MM).'
            ),
            frame[missing],
            code="indicator",
        ),
    )
    malformed = forecast & ~empty & ~formed
    found.error(
        frame[ROW][malformed],
        ROUND,
        "malformed_round",
        fmt(
            _(
                'De ronde "%(value)s" is ongeldig: gebruik JJJJ-MM, de maand waarin de prognose '
                "is gepubliceerd (bijvoorbeeld 2026-06)."
            ),
            frame[malformed],
            value=ROUND,
        ),
    )
    ahead_rows = forecast & formed & future
    found.error(
        frame[ROW][ahead_rows],
        ROUND,
        "future_round",
        fmt(
            _(
                'De ronde "%(value)s" ligt in de toekomst; een ronde is de maand waarin de '
                "prognose al is gepubliceerd."
            ),
            frame[ahead_rows],
            value=ROUND,
        ),
    )
    superfluous = ~forecast & ~empty & _known(rows)
    found.error(
        frame[ROW][superfluous],
        ROUND,
        "round_not_applicable",
        fmt(
            _(
                'De indicator "%(code)s" is geen prognose en heeft geen ronde; laat de kolom '
                '"round" op deze rij leeg.'
            ),
            frame[superfluous],
            code="indicator",
        ),
    )
    rows.ok &= ~(missing | malformed | ahead_rows | superfluous)
    canonical = np.asarray(
        [f"{p // 12}-{p % 12 + 1:02d}" if p is not None else "" for p in parsed] + [""],
        dtype=object,
    )
    # Categorical, computed once per distinct text: a file of millions of rows stays cheap.
    per_category, uniques = pd.factorize(canonical)
    per_row = np.where(forecast.to_numpy(), per_category[codes], per_category[-1])
    return pd.Series(pd.Categorical.from_codes(per_row, categories=uniques), index=frame.index)


def _no_rounds(index: pd.Index) -> pd.Series:
    """No row has a round (a categorical of "" only)."""
    return pd.Series(
        pd.Categorical.from_codes(np.zeros(len(index), dtype=np.int8), categories=[""]),
        index=index,
    )


def _known(rows: Rows) -> pd.Series:
    """The rows of an active indicator of the catalogue (the others have their own error)."""
    if rows.known is None:
        return pd.Series(True, index=rows.frame.index)
    return rows.known


def _parse_round(text: str) -> int | None:
    """A round as a month count (year × 12 + month − 1), or None when it is no `YYYY-MM`."""
    if not re.fullmatch(ROUND_PATTERN, text):
        return None
    year, month = int(text[:4]), int(text[5:7])
    if not 1 <= month <= 12 or year < 1900:
        return None
    return year * 12 + month - 1


def with_rounds(
    key_id: np.ndarray, dimension_keys: list[str], rounds: pd.Series
) -> tuple[np.ndarray, list[str]]:
    """The rows' cell keys with their round in them (`series_key`: "round=2026-06;scenario=low"),
    so that every later rule (the same cell twice, overlaps, warnings, supersession) sees the
    round as part of the cell. Once per distinct (key, round) pair."""
    has_round = (rounds != "").to_numpy()
    if not has_round.any():
        return key_id, dimension_keys
    pairs = pd.DataFrame(
        {"key": key_id[has_round], "round": rounds.astype(object).to_numpy()[has_round]}
    )
    distinct = pairs.drop_duplicates().reset_index(drop=True)
    texts = [series_key(dimension_keys[k], r) for k, r in distinct.itertuples(index=False)]
    distinct["new"] = np.arange(len(dimension_keys), len(dimension_keys) + len(texts))
    merged = pairs.merge(distinct, on=["key", "round"], how="left")["new"].to_numpy()
    key_id = key_id.copy()
    key_id[has_round] = merged
    return key_id, [*dimension_keys, *texts]
