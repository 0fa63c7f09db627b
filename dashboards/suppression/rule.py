"""The suppression rule over a frame of built figures: primary, then secondary to a fixed point.

Which units count persons (`PERSON_UNITS`): `persons`, and the units that count one event of
one person — `applications`, `decisions` and `cases` (an asylum application, a decision on it
and a case each belong to one person, so three of them in a breakdown are three people).
`days`, `places` and `percent` count no persons. Forecasts are projections, not people, and
are never suppressed.

Primary: a figure broken down by at least one dimension value (`dimension_key` not empty), of
an indicator to which the rule applies, with 1 ≤ value < threshold. Zero is not suppressed (it
tells nothing about a person), and a total over all dimension values (`dimension_key` empty,
the chain's or an organisation's) never is.

Secondary: every relation "a total is made of its parts" that a reader could use is an
equation between built figures of one indicator, period year and kind:
- dimension: a figure is the sum of the figures of one dimension's values under the same other
  filters (same organisation, period and frequency);
- organisation: the chain's figure is the sum (for `mean` the average) of the organisations'
  figures with the same dimension values;
- time: a quarter is made of its months and a year of its quarters (for `last` indicators the
  period equals its last part present).
An equation with exactly one hidden member gives that member away (total − the others), so
while one exists the smallest other member that may be hidden (preferably not zero) is hidden
too; this repeats until no equation has exactly one hidden member. All of it is grouped frame
work (pandas), never a loop over cells. The outcome of a year depends only on that year's
figures of that indicator, so every reading (any filter, range or page) hides the same figures.

This is the classic "no single hidden cell per margin" rule: it stops subtraction from any one
total; it does not solve the full linear system a determined attacker could set up across many
tables at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from django.conf import settings

if TYPE_CHECKING:
    from dashboards.models import Indicator

#: Units whose figures count persons (see the module docstring).
PERSON_UNITS = frozenset({"persons", "applications", "decisions", "cases"})

#: The columns `suppress` needs (as `SeriesPoint.values()` gives them).
COLUMNS = [
    "indicator_id", "organisation_id", "frequency", "period", "period_start", "dimension_key",
    "value",
]  # fmt: skip

_CHAIN = -1  # the chain's rows (organisation null) in the frame
_FREQUENCY_CODES = {"month": 0, "quarter": 1, "year": 2}


def applies_to(indicator: Indicator) -> bool:
    """Whether an indicator's breakdown figures can be suppressed at all."""
    return (
        indicator.unit in PERSON_UNITS
        and bool(indicator.dimensions)
        and not getattr(indicator, "is_forecast", False)
    )


def threshold() -> int:
    return int(settings.SUPPRESSION_THRESHOLD)


def primary(frame: pd.DataFrame, limit: int | None = None) -> pd.Series:
    """Breakdown figures from 1 up to the threshold − 1."""
    limit = threshold() if limit is None else limit
    values = frame["value"].astype(float)
    return (frame["dimension_key"] != "") & (values >= 1) & (values < limit)


def suppress(
    frame: pd.DataFrame, *, aggregations: dict[int, str], limit: int | None = None
) -> pd.Series:
    """A boolean per row of `frame` (its `COLUMNS`, all rows of the indicators and years
    concerned: every organisation, the chain, every dimension key and frequency): hidden."""
    if frame.empty:
        return pd.Series(False, index=frame.index, dtype=bool)
    data = _coded(frame)
    hidden = primary(data, limit).to_numpy().copy()
    members = _equations(data, aggregations)
    if members.empty or not hidden.any():
        return pd.Series(hidden, index=frame.index, dtype=bool)
    never = (data["dimension_key"] == "").to_numpy()
    values = data["value"].to_numpy(dtype=float)
    # Members in the order a secondary suppression takes them: per equation the smallest
    # non-zero first, zeros last, then by row (so the choice never depends on the reading).
    rows = members["row"].to_numpy()
    order = np.lexsort((rows, values[rows], values[rows] <= 0, members["eq"].to_numpy()))
    eq, rows = members["eq"].to_numpy()[order], rows[order]
    equations = int(eq.max()) + 1
    may_hide = ~never[rows]
    while True:
        member_hidden = hidden[rows]
        count = np.bincount(eq, weights=member_hidden, minlength=equations)
        open_equation = count == 1
        if not open_equation.any():
            break
        candidate = open_equation[eq] & ~member_hidden & may_hide
        if not candidate.any():
            break  # nothing else may be hidden (a total over all values): it cannot be helped
        _eqs, first = np.unique(eq[candidate], return_index=True)
        hidden[rows[candidate][first]] = True
    return pd.Series(hidden, index=frame.index, dtype=bool)


def _equations(data: pd.DataFrame, aggregations: dict[int, str]) -> pd.DataFrame:
    """(eq, row) for every member of every equation (module docstring), parents included."""
    parts = [_dimension_equations(data), _organisation_equations(data)]
    parts.append(_time_equations(data, aggregations))
    found = [p for p in parts if not p.empty]
    if not found:
        return pd.DataFrame({"eq": pd.Series(dtype="int64"), "row": pd.Series(dtype="int64")})
    offset = 0
    numbered = []
    for part in found:
        numbered.append(part.assign(eq=part["eq"] + offset))
        offset += int(part["eq"].max()) + 1
    return pd.concat(numbered, ignore_index=True)[["eq", "row"]]


def _coded(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with integer codes to group and join on (strings and dates are slow there):
    `ind`, `org` (the chain −1), `freq` (0 month, 1 quarter, 2 year), `start` (the period's
    first day, as days), `key` (the dimension key's code), and `row`."""
    data = frame[COLUMNS].reset_index(drop=True).copy()
    data["value"] = data["value"].astype(float)
    data["ind"] = data["indicator_id"].astype("int64")
    data["org"] = data["organisation_id"].fillna(_CHAIN).astype("int64")
    data["freq"] = data["frequency"].map(_FREQUENCY_CODES).astype("int64")
    starts = pd.Series(pd.unique(data["period_start"]))
    days = dict(zip(starts, pd.to_datetime(starts).to_numpy().astype("datetime64[D]").astype("int64"), strict=True))  # fmt: skip
    data["start"] = data["period_start"].map(days).astype("int64")
    codes, names = pd.factorize(data["dimension_key"])
    data["key"] = codes
    data.attrs["keys"] = list(names)
    data["row"] = range(len(data))
    return data


def _members(children: pd.DataFrame, parents: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """Number the groups of `children` by `on` and add each group's parent row (if built)."""
    children = children.assign(eq=children.groupby(on, sort=False).ngroup())
    heads = children.drop_duplicates("eq")[["eq", *on]].merge(parents, on=on, how="inner")
    return pd.concat(
        [children[["eq", "row"]], heads[["eq", "row"]]], ignore_index=True
    ).drop_duplicates()


def _dimension_equations(data: pd.DataFrame) -> pd.DataFrame:
    keys: list[str] = data.attrs["keys"]
    code = {key: n for n, key in enumerate(keys)}
    dimensions: dict[str, int] = {}
    links = pd.DataFrame(
        [
            (code[key], dimensions.setdefault(name, len(dimensions)), code[parent])
            for key in keys
            if key
            for name, parent in (_without(key, i) for i in range(key.count(";") + 1))
            if parent in code
        ],
        columns=["key", "dimension", "parent"],
    )
    if links.empty:
        return links
    children = data[["ind", "org", "freq", "start", "key", "row"]].merge(links, on="key")
    on = ["ind", "org", "freq", "start", "parent", "dimension"]
    parents = data[["ind", "org", "freq", "start", "key", "row"]].rename(columns={"key": "parent"})
    heads = parents.merge(links[["parent", "dimension"]].drop_duplicates(), on="parent")
    return _members(children, heads, on)


def _without(key: str, index: int) -> tuple[str, str]:
    """(the dimension at `index`, the key without it): "a=1;b=2", 0 → ("a", "b=2")."""
    parts = key.split(";")
    name = parts[index].split("=", 1)[0]
    return name, ";".join(parts[:index] + parts[index + 1 :])


def _broken_down(data: pd.DataFrame) -> pd.DataFrame:
    return data.loc[data["dimension_key"] != "", ["ind", "org", "freq", "start", "key", "row"]]


def _organisation_equations(data: pd.DataFrame) -> pd.DataFrame:
    broken_down = _broken_down(data)
    on = ["ind", "freq", "start", "key"]
    children = broken_down[broken_down["org"] != _CHAIN]
    parents = broken_down[broken_down["org"] == _CHAIN][[*on, "row"]]
    return _members(children, parents, on)


def _time_equations(data: pd.DataFrame, aggregations: dict[int, str]) -> pd.DataFrame:
    broken_down = _broken_down(data)
    children = broken_down[broken_down["freq"] < _FREQUENCY_CODES["year"]].copy()
    if children.empty:
        return pd.DataFrame()
    children["parent_freq"] = children["freq"] + 1
    # The first day of the quarter (of a month) or of the year (of a quarter), in days.
    dates = children["start"].to_numpy().astype("datetime64[D]")
    months = dates.astype("datetime64[M]")
    quarter = (months.astype("int64") // 3 * 3).astype("datetime64[M]")
    year = dates.astype("datetime64[Y]").astype("datetime64[M]")
    parent = np.where(children["freq"].to_numpy() == 0, quarter, year).astype("datetime64[D]")
    children["parent_start"] = parent.astype("int64")
    on = ["ind", "org", "key", "parent_freq", "parent_start"]
    last = children["ind"].map(aggregations).eq("last")
    if last.any():
        # A stock's quarter is the stand of its last month present: only that month is a part.
        latest = children.groupby(on)["start"].transform("max")
        children = children[~last | (children["start"] == latest)]
    parents = data[["ind", "org", "key", "freq", "start", "row"]].rename(
        columns={"freq": "parent_freq", "start": "parent_start"}
    )
    return _members(children, parents, on)
