"""Targets evaluated against the current approved figures: what has been realised so far of each
target, and whether it is met, missed, or cannot be judged because months are missing.

The aggregation is the indicator's own (DESIGN.md), over the target's period:
- `sum`: the periods' totals (summed over the dimension values) added up;
- `last`: the total of the latest period present (a stock);
- `mean`: per period the mean over the dimension values (a mean is never summed over
  dimensions), then the periods averaged weighted by the months each figure covers (a quarter
  figure weighs three months, a month figure one).

Months are what a result is judged on. A result is only "missed" or "met" when its figures
cover every month from the start of the period up to the last month they reach, without a gap
(for a stock: its latest month is the figure); a gap, or a period that has ended without all its
months, makes it "incomplete": never a miss.
During a running period a `sum` target is compared pro rata over the days the figures cover.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dashboards.models import CurrentCell
from governance.models import Direction, Target
from governance.models.steering import period_bounds
from ketenportaal.periods import MONTH, Period


def days_in(start: datetime.date, end: datetime.date) -> int:
    """The number of days from `start` to `end`, both included."""
    return (end - start).days + 1


MET = "met"
MISSED = "missed"
INCOMPLETE = "incomplete"
STATUS_LABELS = {
    MET: _("Binnen de norm"),
    MISSED: _("Niet gehaald"),
    INCOMPLETE: _("Onvolledig: maanden ontbreken"),
}


@dataclass
class TargetResult:
    """A target's realised value so far, the limit it is held to (pro rata for sums), the date
    up to which figures cover its period, and the months missing before that date (or before the
    period's end, once it has ended)."""

    realised: Decimal
    limit: Decimal
    covered_until: datetime.date
    status: str
    missing: list[str] = field(default_factory=list)

    @property
    def missed(self) -> bool:
        return self.status == MISSED

    @property
    def incomplete(self) -> bool:
        return self.status == INCOMPLETE

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass(frozen=True)
class Figure:
    """One period's figure of a target's organisation: per dimension value."""

    start: datetime.date
    end: datetime.date
    values: tuple[Decimal, ...]

    @property
    def months(self) -> list[Period]:
        return months_between(self.start, self.end)


def months_between(first: datetime.date, last: datetime.date) -> list[Period]:
    """The months from the one holding `first` to the one holding `last`."""
    months, month = [], Period.of(first, MONTH)
    while month.start <= last:
        months.append(month)
        month = month.next()
    return months


def evaluate(target: Target, figures: list[Figure], today: datetime.date) -> TargetResult | None:
    """The result of one target from its figures (pure: no database). None without figures."""
    start, end = period_bounds(target.period)
    inside = sorted(
        (f for f in figures if f.start >= start and f.end <= end), key=lambda f: (f.end, f.start)
    )
    if not inside:
        return None
    covered = {month.start for f in inside for month in f.months}
    covered_until = max(f.end for f in inside)
    aggregation = target.indicator.aggregation
    # Months that should be there: up to the last one reported, and all of them once the period
    # has ended (a figure not delivered for its last months cannot be judged as complete). A
    # stock (`last`) is the latest figure: only months after it can be missing.
    judged_until = end if end < today else covered_until
    first = start if aggregation != "last" else covered_until
    missing = [str(m) for m in months_between(first, judged_until) if m.start not in covered]
    limit = target.limit()
    if aggregation == "sum":
        realised = sum((sum(f.values, Decimal(0)) for f in inside), Decimal(0))
        limit = limit * Decimal(days_in(start, covered_until)) / Decimal(days_in(start, end))
    elif aggregation == "mean":
        weights = [Decimal(len(f.months)) for f in inside]
        means = [sum(f.values, Decimal(0)) / len(f.values) for f in inside]
        realised = sum((m * w for m, w in zip(means, weights, strict=True)), Decimal(0)) / sum(
            weights, Decimal(0)
        )
    else:
        realised = sum(inside[-1].values, Decimal(0))
    if missing:
        status = INCOMPLETE
    else:
        at_least = target.direction == Direction.AT_LEAST
        missed = realised < limit if at_least else realised > limit
        status = MISSED if missed else MET
    return TargetResult(realised, limit, covered_until, status, missing)


def target_results(targets: list[Target], today: datetime.date) -> dict[int, TargetResult]:
    """Results of targets from the current approved figures, in one query. Targets without
    figures (or whose period has not begun) are absent from the result."""
    bounds = {t.pk: period_bounds(t.period) for t in targets}
    started = [t for t in targets if bounds[t.pk][0] <= today]
    if not started:
        return {}
    figures = _figures(
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
        result = evaluate(
            target,
            figures.get((target.indicator_id, target.assignment.organisation_id), []),
            today,
        )
        if result is not None:
            found[target.pk] = result
    return found


def _figures(
    cells: Q, *, start: datetime.date, end: datetime.date
) -> dict[tuple[int, int], list[Figure]]:
    """Per (indicator, organisation): each period's figure with its value per dimension value,
    from the current approved observations between start and end. One query."""
    rows = (
        CurrentCell.objects.filter(cells)
        .filter(observation__period_start__gte=start, observation__period_end__lte=end)
        .values_list(
            "indicator_id",
            "organisation_id",
            "observation__period_start",
            "observation__period_end",
            "observation__value",
        )
        .order_by()
    )
    values: dict[tuple[int, int], dict[tuple[datetime.date, datetime.date], list[Decimal]]] = (
        defaultdict(lambda: defaultdict(list))
    )
    for indicator_id, organisation_id, period_start, period_end, value in rows:
        values[(indicator_id, organisation_id)][(period_start, period_end)].append(Decimal(value))
    return {
        key: [Figure(s, e, tuple(v)) for (s, e), v in periods.items()]
        for key, periods in values.items()
    }
