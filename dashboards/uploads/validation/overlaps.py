"""A period and periods inside it (a quarter and its months) would count twice: within the file,
or against the organisation's approved figures."""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext_lazy as _

from dashboards.uploads.tables import ROW

from .result import Findings, fmt


def _containers(periods: pd.DataFrame) -> pd.DataFrame:
    """For each cell: the quarter (for a month) and the year (for a month or quarter) holding it."""
    year = periods["period"].str.slice(0, 4)
    month = pd.to_numeric(
        periods["period"].str.slice(5, 7).where(periods["period_type"] == "month"), errors="coerce"
    )
    in_quarter = (year + "-Q" + ((month - 1) // 3 + 1).astype("Int64").astype(str)).where(
        periods["period_type"] == "month"
    )
    in_year = year.where(periods["period_type"] != "year")
    return periods.assign(in_quarter=in_quarter, in_year=in_year)


def check_overlaps(cells: pd.DataFrame, current: pd.DataFrame, found: Findings) -> None:
    keys = ["indicator", "dimension_key"]
    # Only an indicator with more than one period type (in the file and the approved figures
    # together) can overlap; usually there is none and the work below is skipped.
    types = pd.concat(
        [
            cells[["indicator", "period_type"]].drop_duplicates(),
            current[["indicator", "period_type"]].drop_duplicates(),
        ]
    ).drop_duplicates()
    mixed = types["indicator"][types["indicator"].duplicated()].unique()
    if len(mixed) == 0:
        return
    cells = cells[cells["indicator"].isin(mixed)]
    current = current[current["indicator"].isin(mixed)]
    mine = _containers(cells[[ROW, *keys, "period", "period_type"]])
    for container, coarse in (("in_quarter", "quarter"), ("in_year", "year")):
        coarse_cells = mine[mine["period_type"] == coarse][[*keys, "period", ROW]]
        # within the file
        hit = mine.dropna(subset=[container]).merge(
            coarse_cells.rename(columns={"period": container, ROW: "coarse_row"}),
            on=[*keys, container],
        )
        found.error(
            hit[ROW],
            "period",
            "overlap_in_file",
            fmt(
                _(
                    "De periode %(period)s valt binnen %(coarse)s, dat ook in dit bestand staat (rij %(row)s): de cijfers zouden dubbel tellen."
                ),
                hit,
                period="period",
                coarse=container,
                row="coarse_row",
            ),
        )
        if current.empty:
            continue
        theirs = _containers(current[[*keys, "period", "period_type"]].assign(**{ROW: 0}))
        # a finer period in the file, a coarser one approved
        approved_coarse = theirs[theirs["period_type"] == coarse][[*keys, "period"]]
        hit = mine.dropna(subset=[container]).merge(
            approved_coarse.rename(columns={"period": container}), on=[*keys, container]
        )
        hit = hit[~hit[container].isin(mine["period"])]  # replaced by this file: reported above
        found.error(
            hit[ROW],
            "period",
            "overlap_with_current",
            fmt(
                _(
                    "De periode %(period)s valt binnen %(coarse)s, waarvoor al goedgekeurde cijfers zijn: de cijfers zouden dubbel tellen."
                ),
                hit,
                period="period",
                coarse=container,
            ),
        )
        # a coarser period in the file, finer ones approved
        approved_fine = theirs.dropna(subset=[container])[[*keys, "period", container]]
        approved_fine = approved_fine.drop_duplicates([*keys, container])
        hit = mine[mine["period_type"] == coarse].merge(
            approved_fine.rename(columns={"period": "fine", container: "period"}),
            on=[*keys, "period"],
        )
        found.error(
            hit[ROW],
            "period",
            "overlap_with_current",
            fmt(
                _(
                    "Voor perioden binnen %(period)s (bijvoorbeeld %(fine)s) zijn al goedgekeurde cijfers: de cijfers zouden dubbel tellen."
                ),
                hit,
                period="period",
                fine="fine",
            ),
        )
