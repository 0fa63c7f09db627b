"""Reading the dashboard tables: only rows of the build an indicator's pointer names.

Every reader goes through `points()` or `progress()`, so nothing on a dashboard or in the API can
come from a build that is still running or that failed. With a `release` the pointers are the
release's (`ReleaseBuild`, frozen when it was made) instead of the current ones, so the same
readers show the figures exactly as they were then.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from django.db.models import F, Min, Q, QuerySet

from dashboards.models import (
    Indicator,
    IndicatorBuild,
    ProgressPoint,
    Rebuild,
    Release,
    ReleaseBuild,
    SeriesPoint,
)


class PointRow(TypedDict):
    """One built figure as `point_rows` gives it."""

    indicator_id: int
    dimension_key: str
    period: str
    period_start: datetime.date
    value: Decimal
    all_complete: bool


@dataclass(frozen=True)
class Point:
    period: str
    period_start: datetime.date
    value: Decimal
    complete: bool


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
    indicators: list[Indicator] | None = None, *, release: Release | None = None
) -> QuerySet[SeriesPoint]:
    """The figures readers may see: for each indicator (or these), those of its current build
    (`IndicatorBuild`: the rows of its base as its last rebuild left them), or of the build a
    release froze.

    One query for the pointers; the queryset is empty (no query) when nothing has been built.
    """
    pointers = _pointers(release)
    if indicators is not None:
        pointers = pointers.filter(indicator__in=indicators)
    current = Q()
    for indicator_id, base_id, version in pointers.values_list(
        "indicator_id", "base_id", "rebuild__version"
    ):
        # The base build's rows as the pointer's rebuild left them: written by it or before,
        # not replaced by then (a patch that runs now or failed changes neither).
        current |= Q(indicator_id=indicator_id, rebuild_id=base_id, written_by__lte=version) & (
            Q(replaced_by__isnull=True) | Q(replaced_by__gt=version)
        )
    return SeriesPoint.objects.filter(current) if current else SeriesPoint.objects.none()


def point_rows(
    *,
    indicators: list[Indicator],
    frequency: str,
    organisation_id: int | None = None,
    dimension_keys: list[str] | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    release: Release | None = None,
) -> list[PointRow]:
    """Two queries for several indicators: dicts of indicator_id, dimension_key, period, value…

    Without an organisation: the whole chain's rows (organisation null), which the rebuild
    combined from all organisations (summed; for a `mean` indicator averaged).
    """
    rows = current_points(indicators, release=release).filter(frequency=frequency)
    if organisation_id is None:
        rows = rows.filter(organisation__isnull=True)
    else:
        rows = rows.filter(organisation_id=organisation_id)
    if dimension_keys is not None:
        rows = rows.filter(dimension_key__in=dimension_keys)
    if start is not None:
        rows = rows.filter(period_start__gte=start)
    if end is not None:
        rows = rows.filter(period_start__lte=end)
    return list(
        rows.order_by("indicator_id", "dimension_key", "period_start").values(
            "indicator_id", "dimension_key", "period", "period_start", "value",
            all_complete=F("complete"),
        )
    )  # fmt: skip


def points(
    *,
    indicator: Indicator,
    frequency: str,
    organisation_id: int | None = None,
    key: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    release: Release | None = None,
) -> list[Point]:
    """The series of one indicator, in period order, from its current build (or a release's)."""
    return [
        Point(
            period=row["period"],
            period_start=row["period_start"],
            value=Decimal(row["value"]).quantize(Decimal("0.0001")),
            complete=bool(row["all_complete"]),
        )
        for row in point_rows(
            indicators=[indicator],
            frequency=frequency,
            organisation_id=organisation_id,
            dimension_keys=[key],
            start=start,
            end=end,
            release=release,
        )
    ]


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
