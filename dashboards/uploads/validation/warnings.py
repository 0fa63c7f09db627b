"""The warnings of a file without errors: a value far from the previous period, a correction of
an approved value, a value outside the plausible range. They do not block the upload."""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from dashboards.uploads.tables import ROW

from .result import Findings, IndicatorSpec, fmt, number


def add_warnings(
    cells: pd.DataFrame,
    current: pd.DataFrame,
    spec_of: dict[str, IndicatorSpec],
    found: Findings,
    periods: list[str],
) -> None:
    # Cells and periods are integers here (key = cell * n + period): every lookup is a hash
    # join on integers, not on strings.
    n = len(periods) + 1
    period_id = {p: i for i, p in enumerate(periods)}
    pairs = cells.drop_duplicates("cell")
    cell_of = dict(
        zip(
            zip(pairs["indicator"], pairs["dimension_key"], strict=True), pairs["cell"], strict=True
        )
    )
    approved = current.assign(
        cell=[
            cell_of.get(pair, -1)
            for pair in zip(current["indicator"], current["dimension_key"], strict=True)
        ],
        period_id=current["period"].map(period_id).fillna(-1).astype(np.int64),
    )
    approved = approved[(approved["cell"] >= 0) & (approved["period_id"] >= 0)]
    approved_key = approved["cell"].to_numpy(np.int64) * n + approved["period_id"].to_numpy(
        np.int64
    )
    cell = cells["cell"].to_numpy(np.int64)
    file_key = cell * n + cells["period_id"].to_numpy(np.int64)
    value = cells["value"].to_numpy(float)

    # change against the previous period: from this file, else from the approved figures
    known = pd.Series(
        np.concatenate([value, approved["value"].to_numpy(float)]),
        index=np.concatenate([file_key, approved_key]),
    )
    known = known[~known.index.duplicated(keep="first")]
    previous_key = cell * n + cells["previous_id"].to_numpy(np.int64)
    previous = known.reindex(previous_key).to_numpy(float)
    tolerance = (
        cells["indicator"].map({c: s.tolerance_percent for c, s in spec_of.items()}).to_numpy(float)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.abs(value - previous) / np.abs(previous) * 100
    jumps = ~np.isnan(previous) & (previous != 0) & (change > tolerance)
    jump = cells[jumps].assign(
        change=np.round(change[jumps]).astype(np.int64).astype(str),
        tolerance=tolerance[jumps].astype(np.int64).astype(str),
        shown=[number(v) for v in value[jumps]],
        previous_shown=[number(v) for v in previous[jumps]],
    )
    found.warning(
        jump[ROW],
        "value",
        "change_vs_previous",
        fmt(
            _(
                "De waarde %(value)s wijkt %(change)s%% af van de vorige periode %(previous_period)s (%(previous)s); de tolerantie is %(tolerance)s%%."
            ),
            jump,
            value="shown",
            change="change",
            previous_period="previous_period",
            previous="previous_shown",
            tolerance="tolerance",
        ),
    )

    # a correction of an approved value
    old = pd.Series(approved["value"].to_numpy(float), index=approved_key).reindex(file_key)
    source = pd.Series(approved["upload_id"].to_numpy(), index=approved_key).reindex(file_key)
    corrected = ~np.isnan(old.to_numpy()) & (np.abs(value - old.to_numpy()) > 1e-9)
    fixed = cells[corrected].assign(
        shown=[number(v) for v in value[corrected]],
        approved=[number(v) for v in old.to_numpy()[corrected]],
        upload_id=[str(int(u)) for u in source.to_numpy()[corrected]],
    )
    found.warning(
        fixed[ROW],
        "value",
        "correction",
        fmt(
            _(
                "Corrigeert de goedgekeurde waarde %(approved)s (aanlevering #%(upload)s) naar %(value)s."
            ),
            fixed,
            approved="approved",
            upload="upload_id",
            value="shown",
        ),
    )

    # outside the plausible range
    low = cells["indicator"].map({c: s.plausible_min for c, s in spec_of.items()}).astype(float)
    high = cells["indicator"].map({c: s.plausible_max for c, s in spec_of.items()}).astype(float)
    outside = (low.notna() & (cells["value"] < low)) | (high.notna() & (cells["value"] > high))
    bad = cells[outside].assign(
        shown=lambda f: f["value"].map(number),
        low=low[outside].map(lambda v: "…" if pd.isna(v) else number(v)),
        high=high[outside].map(lambda v: "…" if pd.isna(v) else number(v)),
    )
    found.warning(
        bad[ROW],
        "value",
        "implausible",
        fmt(
            _("De waarde %(value)s ligt buiten het plausibele bereik %(low)s tot %(high)s."),
            bad,
            value="shown",
            low="low",
            high="high",
        ),
    )
