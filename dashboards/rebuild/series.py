"""Reading the dashboard tables: only rows of the build an indicator's pointer names.

Every reader goes through `points()` or `progress()`, so nothing on a dashboard or in the API can
come from a build that is still running or that failed. With a `release` the pointers are the
release's (`ReleaseBuild`, frozen when it was made) instead of the current ones, so the same
readers show the figures exactly as they were then. They read for a viewer: this is the one
place small-number suppression (`dashboards.suppression`) is applied, so a figure hidden from a
viewer is hidden on every page, export, report and API answer that reads it here.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import F, Min, QuerySet

from dashboards.models import (
    Frequency,
    Indicator,
    IndicatorBuild,
    ProgressPoint,
    Rebuild,
    Release,
    ReleaseBuild,
    SeriesPoint,
    split_series_key,
)
from dashboards.suppression import viewers

from . import hidden
from .storage import rows_named_by

if TYPE_CHECKING:
    from governance.accounts.roles import AnyUser

#: A built figure hidden from a viewer: (indicator id, organisation id or None for the chain,
#: frequency, dimension key, period).
Figure = tuple[int, int | None, str, str, str]


class PointRow(TypedDict):
    """One built figure as `point_rows` gives it."""

    indicator_id: int
    dimension_key: str
    period: str
    period_start: datetime.date
    #: None when suppressed for the viewer.
    value: Decimal | None
    all_complete: bool
    suppressed: bool


@dataclass(frozen=True)
class Point:
    period: str
    period_start: datetime.date
    #: None when suppressed for the viewer.
    value: Decimal | None
    complete: bool
    suppressed: bool = False


def dimension_key(selection: dict[str, str]) -> str:
    """The canonical key of a choice of dimension values: "dim=value;dim2=value2", sorted."""
    return ";".join(f"{name}={value}" for name, value in sorted(selection.items()))


def current_rebuild_ids() -> dict[int, int]:
    """indicator id → the rebuild whose rows readers see."""
    return dict(IndicatorBuild.objects.values_list("indicator_id", "rebuild_id"))


def _pointers(release: Release | None) -> QuerySet:
    """The pointers to read: the current ones, or those a release froze."""
    if release is not None:
        return ReleaseBuild.objects.filter(release=release)
    return IndicatorBuild.objects.all()


def built_at(
    indicators: list[Indicator] | None = None, *, release: Release | None = None
) -> datetime.datetime | None:
    """When the figures shown were built: the oldest build among the indicators' pointers."""
    pointers = _pointers(release)
    if indicators is not None:
        pointers = pointers.filter(indicator__in=indicators)
    return Rebuild.objects.filter(pk__in=pointers.values("rebuild_id")).aggregate(
        oldest=Min("finished_at")
    )["oldest"]


def current_points(
    indicators: list[Indicator] | None = None,
    *,
    release: Release | None = None,
    keys: Mapping[int, Sequence[str]] | None = None,
) -> QuerySet[SeriesPoint]:
    """The figures readers may see: for each indicator (or these), those of its current build
    (`IndicatorBuild`: the rows of its base as its last rebuild left them), or of the build a
    release froze; with `keys` (indicator id → dimension keys) only those series.

    One query for the pointers; the queryset is empty (no query) when nothing has been built.
    """
    return _points_of(_pointer_rows(indicators, release), keys)


#: A pointer as readers follow it: (indicator id, base build id, version). The same triple
#: always names the same rows, whether current or frozen in a release.
Pointer = tuple[int, int, int]


def _pointer_rows(indicators: list[Indicator] | None, release: Release | None) -> list[Pointer]:
    pointers = _pointers(release)
    if indicators is not None:
        pointers = pointers.filter(indicator__in=indicators)
    return list(pointers.values_list("indicator_id", "base_id", "rebuild__version"))


def _points_of(
    pointers: list[Pointer], keys: Mapping[int, Sequence[str]] | None = None
) -> QuerySet[SeriesPoint]:
    if not pointers:
        return SeriesPoint.objects.none()
    return SeriesPoint.objects.filter(rows_named_by(pointers, keys))


def point_rows(
    *,
    indicators: list[Indicator],
    frequency: str,
    viewer: AnyUser | None,
    organisation_id: int | None = None,
    dimension_keys: Sequence[str] | Mapping[int, Sequence[str]] | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    release: Release | None = None,
) -> list[PointRow]:
    """Two queries for several indicators: dicts of indicator_id, dimension_key, period, value…

    Without an organisation: the whole chain's rows (organisation null), which the rebuild
    combined from all organisations (summed; for a `mean` indicator averaged). Figures that
    are suppressed for `viewer` (None: nobody in particular, the strictest view) come with
    `value` None and `suppressed` True; that takes one query more, only when breakdown
    figures of an indicator the viewer may not see in full are read. `dimension_keys`: the
    series to read, the same of every indicator or per indicator id (each pointer's condition
    then names only its own, so the index is not searched for another's keys).
    """
    keys = dimension_keys
    if keys is not None and not isinstance(keys, Mapping):  # the same keys of every indicator
        keys = {indicator.pk: keys for indicator in indicators}
    rows = current_points(indicators, release=release, keys=keys).filter(frequency=frequency)
    if organisation_id is None:
        rows = rows.filter(organisation__isnull=True)
    else:
        rows = rows.filter(organisation_id=organisation_id)
    if start is not None:
        rows = rows.filter(period_start__gte=start)
    if end is not None:
        rows = rows.filter(period_start__lte=end)
    found = cast(
        list[PointRow],
        list(
            rows.order_by("indicator_id", "dimension_key", "period_start").values(
                "indicator_id", "dimension_key", "period", "period_start", "value",
                all_complete=F("complete"),
            )
        ),
    )  # fmt: skip
    by_id = {i.pk: i for i in indicators}
    concerned = {r["indicator_id"] for r in found if r["dimension_key"]}
    hidden: set[Figure] = set()
    if concerned and found:
        hidden = suppressed_figures(
            indicators=[by_id[pk] for pk in sorted(concerned)],
            viewer=viewer,
            release=release,
            start=min(r["period_start"] for r in found),
            end=max(r["period_start"] for r in found),
            organisation_ids={organisation_id},
        )
    for r in found:
        figure = (r["indicator_id"], organisation_id, frequency, r["dimension_key"], r["period"])
        r["suppressed"] = figure in hidden
        if r["suppressed"]:
            r["value"] = None
    return found


def suppressed_figures(
    *,
    indicators: list[Indicator],
    viewer: AnyUser | None,
    start: datetime.date,
    end: datetime.date,
    release: Release | None = None,
    organisation_ids: set[int | None] | None = None,
) -> set[Figure]:
    """The built figures of these indicators, in the years from `start` to `end`, that are
    suppressed for `viewer` (`dashboards.suppression`), of these organisations (None for the
    chain; all without `organisation_ids`): one query for the pointers, none when the viewer
    sees them all. The rule is applied to whole years of every organisation, dimension key and
    frequency, so any reading of a figure hides the same ones; what it hides is worked out once
    per build and year (`hidden`), usually by the task that follows the rebuild."""
    concerned = viewers.suppressed_for(viewer, indicators)
    if not concerned:
        return set()
    return hidden.hidden(
        _pointer_rows(concerned, release),
        {i.pk: i.aggregation for i in concerned},
        range(start.year, end.year + 1),
        organisation_ids,
    )


def points(
    *,
    indicator: Indicator,
    frequency: str,
    viewer: AnyUser | None,
    organisation_id: int | None = None,
    key: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    release: Release | None = None,
) -> list[Point]:
    """The series of one indicator, in period order, from its current build (or a release's),
    as `viewer` may see it (a suppressed point has value None)."""
    return [
        Point(
            period=row["period"],
            period_start=row["period_start"],
            value=None
            if row["value"] is None
            else Decimal(row["value"]).quantize(Decimal("0.0001")),
            complete=bool(row["all_complete"]),
            suppressed=row["suppressed"],
        )
        for row in point_rows(
            indicators=[indicator],
            frequency=frequency,
            viewer=viewer,
            organisation_id=organisation_id,
            dimension_keys=[key],
            start=start,
            end=end,
            release=release,
        )
    ]


def rounds(indicator: Indicator, *, release: Release | None = None) -> list[str]:
    """The rounds of a forecast indicator in its current build (or a release's), oldest first
    ("2025-06", …);
    "" first when it has figures sent before uploads carried a round (they stay a series of
    their own); empty for an indicator that is no forecast or has not been built (two queries:
    a forecast has a few series per round)."""
    if not indicator.is_forecast:
        return []
    keys = (
        current_points([indicator], release=release)
        .filter(frequency=Frequency.YEAR, organisation__isnull=True)
        .values_list("dimension_key", flat=True)
        .distinct()
        .order_by()
    )
    return sorted({split_series_key(key)[0] for key in keys})


def progress(*, kind: str, start: datetime.date | None = None, end: datetime.date | None = None):
    """Burn-up rows (group_id, day, total, due, done) of the last succeeded rebuild."""
    last = Rebuild.objects.last_succeeded()
    rows = (
        ProgressPoint.objects.filter(rebuild=last, kind=kind)
        if last
        else ProgressPoint.objects.none()
    )
    if start is not None:
        rows = rows.filter(day__gte=start)
    if end is not None:
        rows = rows.filter(day__lte=end)
    return rows.order_by("group_id", "day").values_list("group_id", "day", "total", "due", "done")
