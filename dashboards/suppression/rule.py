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

from collections.abc import Iterable
from typing import TYPE_CHECKING

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
_PARENT_FREQUENCY = {"month": "quarter", "quarter": "year"}


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
    data = frame[COLUMNS].reset_index(drop=True).copy()
    data["organisation_id"] = data["organisation_id"].fillna(_CHAIN).astype("int64")
    data["value"] = data["value"].astype(float)
    data["period_start"] = pd.to_datetime(data["period_start"])
    data["row"] = range(len(data))
    hidden = primary(data, limit).to_numpy().copy()
    members = _equations(data, aggregations)
    if members.empty or not hidden.any():
        return pd.Series(hidden, index=frame.index, dtype=bool)
    never = (data["dimension_key"] == "").to_numpy()
    rows = members["row"].to_numpy()
    members = members.assign(
        value=data["value"].to_numpy()[rows],
        zero=(data["value"].to_numpy()[rows] <= 0),
        never=never[rows],
    )
    while True:
        members["hidden"] = hidden[members["row"].to_numpy()]
        count = members.groupby("eq")["hidden"].sum()
        open_equations = count.index[count == 1]
        if open_equations.empty:
            break
        candidates = members[
            members["eq"].isin(open_equations) & ~members["hidden"] & ~members["never"]
        ]
        if candidates.empty:
            break  # nothing else may be hidden (a total over all values): it cannot be helped
        chosen = (
            candidates.sort_values(["eq", "zero", "value", "row"])
            .drop_duplicates("eq")["row"]
            .to_numpy()
        )
        hidden[chosen] = True
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


def _members(children: pd.DataFrame, parents: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """Number the groups of `children` by `on` and add each group's parent row (if built)."""
    children = children.assign(eq=children.groupby(on, sort=False).ngroup())
    heads = children.drop_duplicates("eq")[["eq", *on]].merge(parents, on=on, how="inner")
    return pd.concat(
        [children[["eq", "row"]], heads[["eq", "row"]]], ignore_index=True
    ).drop_duplicates()


def _dimension_equations(data: pd.DataFrame) -> pd.DataFrame:
    keys = [k for k in data["dimension_key"].unique() if k]
    links = pd.DataFrame(
        [(key, *_without(key, i)) for key in keys for i in range(key.count(";") + 1)],
        columns=["dimension_key", "dimension", "parent_key"],
    )
    if links.empty:
        return links
    children = data.merge(links, on="dimension_key")
    on = ["indicator_id", "organisation_id", "frequency", "period", "parent_key", "dimension"]
    parents = data[["indicator_id", "organisation_id", "frequency", "period", "dimension_key",
                    "row"]].rename(columns={"dimension_key": "parent_key"})  # fmt: skip
    heads = parents.merge(links[["parent_key", "dimension"]].drop_duplicates(), on="parent_key")
    return _members(children, heads, on)


def _without(key: str, index: int) -> tuple[str, str]:
    """(the dimension at `index`, the key without it): "a=1;b=2", 0 → ("a", "b=2")."""
    parts = key.split(";")
    name = parts[index].split("=", 1)[0]
    return name, ";".join(parts[:index] + parts[index + 1 :])


def _organisation_equations(data: pd.DataFrame) -> pd.DataFrame:
    broken_down = data[data["dimension_key"] != ""]
    on = ["indicator_id", "frequency", "period", "dimension_key"]
    children = broken_down[broken_down["organisation_id"] != _CHAIN]
    parents = broken_down[broken_down["organisation_id"] == _CHAIN][[*on, "row"]]
    return _members(children, parents, on)


def _time_equations(data: pd.DataFrame, aggregations: dict[int, str]) -> pd.DataFrame:
    broken_down = data[data["dimension_key"] != ""]
    children = broken_down[broken_down["frequency"].isin(_PARENT_FREQUENCY)].copy()
    if children.empty:
        return pd.DataFrame()
    children["parent_frequency"] = children["frequency"].map(_PARENT_FREQUENCY)
    starts = children["period_start"].dt
    quarter_start = pd.to_datetime(
        {"year": starts.year, "month": (starts.month - 1) // 3 * 3 + 1, "day": 1}
    )
    year_start = pd.to_datetime({"year": starts.year, "month": 1, "day": 1})
    children["parent_start"] = quarter_start.where(children["frequency"] == "month", year_start)
    on = ["indicator_id", "organisation_id", "dimension_key", "parent_frequency", "parent_start"]
    last = children["indicator_id"].map(aggregations).eq("last")
    if last.any():
        # A stock's quarter is the stand of its last month present: only that month is a part.
        latest = children.groupby(on)["period_start"].transform("max")
        children = children[~last | (children["period_start"] == latest)]
    parents = data[["indicator_id", "organisation_id", "dimension_key", "frequency",
                    "period_start", "row"]].rename(
        columns={"frequency": "parent_frequency", "period_start": "parent_start"}
    )  # fmt: skip
    return _members(children, parents, on)


def indicator_ids(indicators: Iterable[Indicator]) -> list[int]:
    return [i.pk for i in indicators if applies_to(i)]
