"""Targets evaluated against the current approved figures: what has been realised so far of each
target, and whether it is missed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from dashboards.models import CurrentCell
from governance.models import Direction, Target
from governance.models.steering import period_bounds


def days_in(start: datetime.date, end: datetime.date) -> int:
    """The number of days from `start` to `end`, both included."""
    return (end - start).days + 1


@dataclass
class TargetResult:
    """A target's realised value so far, the limit it is held to (pro rata for sums), and the
    date up to which figures cover its period."""

    realised: Decimal
    limit: Decimal
    covered_until: datetime.date
    missed: bool


def target_results(targets: list[Target], today: datetime.date) -> dict[int, TargetResult]:
    """Realised values of targets from the current approved figures, in one query.

    Sums are compared pro rata over the part of the period the figures cover, so a yearly
    target is checked during the year too; stocks use the last period, means the mean.
    Targets without figures (or whose period has not begun) are absent from the result.
    """
    bounds = {t.pk: period_bounds(t.period) for t in targets}
    started = [t for t in targets if bounds[t.pk][0] <= today]
    if not started:
        return {}
    totals = _period_totals(
        Q(
            *[
                Q(indicator_id=t.indicator_id, organisation_id=t.assignment.organisation_id)
                for t in started
            ],
            _connector=Q.OR,
        ),
        start=min(bounds[t.pk][0] for t in started),
        end=max(bounds[t.pk][1] for t in started),
    )
    found: dict[int, TargetResult] = {}
    for target in started:
        start, end = bounds[target.pk]
        periods = [
            (period_end, total)
            for period_start, period_end, total in totals.get(
                (target.indicator_id, target.assignment.organisation_id), []
            )
            if period_start >= start and period_end <= end
        ]
        if not periods:
            continue
        covered_until, last = max(periods)
        limit = target.limit()
        aggregation = target.indicator.aggregation
        if aggregation == "sum":
            realised = sum((total for _, total in periods), Decimal(0))
            limit = limit * Decimal(days_in(start, covered_until)) / Decimal(days_in(start, end))
        elif aggregation == "mean":
            realised = sum((total for _, total in periods), Decimal(0)) / len(periods)
        else:
            realised = last
        missed = realised < limit if target.direction == Direction.AT_LEAST else realised > limit
        found[target.pk] = TargetResult(realised, limit, covered_until, missed)
    return found


def _period_totals(
    cells: Q, *, start: datetime.date, end: datetime.date
) -> dict[tuple[int, int], list[tuple[datetime.date, datetime.date, Decimal]]]:
    """Per (indicator, organisation): each period's total over the dimensions, from the current
    approved observations between start and end. One grouped query."""
    rows = (
        CurrentCell.objects.filter(cells)
        .filter(observation__period_start__gte=start, observation__period_end__lte=end)
        .values(
            "indicator_id",
            "organisation_id",
            "observation__period_start",
            "observation__period_end",
        )
        .annotate(total=Sum("observation__value"))
        .order_by()
    )
    totals: dict[tuple[int, int], list[tuple[datetime.date, datetime.date, Decimal]]] = {}
    for row in rows:
        totals.setdefault((row["indicator_id"], row["organisation_id"]), []).append(
            (
                row["observation__period_start"],
                row["observation__period_end"],
                Decimal(row["total"]),
            )
        )
    return totals
