"""Evaluating a consistency rule: one query per rule, in the database, over the built figures.

Per complete chain quarter of the left series: the mean of the right series over the quarters
`lag_min`…`lag_max` before it, and the ratio left / right. A quarter is judged only when both
sides are complete (an incomplete quarter is never compared with a complete one) and the right
side is not zero; it is "outside" when the ratio lies outside the rule's band.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, ExpressionWrapper, IntegerField, OuterRef, Subquery
from django.db.models.functions import ExtractMonth, ExtractYear

from dashboards.models import ConsistencyRule
from dashboards.rebuild.series import current_points
from ketenportaal.periods import QUARTER

#: Quarters shown per rule on its page and on Datakwaliteit.
RECENT = 8


@dataclass(frozen=True)
class Finding:
    rule: ConsistencyRule
    period: str
    period_start: datetime.date
    left: Decimal
    right: Decimal | None
    ratio: Decimal | None
    outside: bool


def _quarter_index():
    """year × 4 + quarter − 1 of a quarter's first day: consecutive quarters differ by one."""
    return ExpressionWrapper(
        ExtractYear("period_start") * 4 + (ExtractMonth("period_start") - 1) / 3,
        output_field=IntegerField(),
    )


def _chain_quarters(indicator, key: str):
    return (
        current_points([indicator])
        .filter(frequency=QUARTER, organisation__isnull=True, dimension_key=key, complete=True)
        .annotate(q=_quarter_index())
    )


def evaluate(rule: ConsistencyRule, *, recent: int | None = RECENT) -> list[Finding]:
    """The rule's findings for the latest `recent` complete quarters (all of them for None)."""
    right = (
        _chain_quarters(rule.right, rule.right_key)
        .filter(q__gte=OuterRef("q") - rule.lag_max, q__lte=OuterRef("q") - rule.lag_min)
        .order_by()
        .values("indicator_id")
    )
    window = rule.lag_max - rule.lag_min + 1
    rows = (
        _chain_quarters(rule.left, rule.left_key)
        .annotate(
            right_mean=Subquery(right.annotate(mean=Avg("value")).values("mean")[:1]),
            right_count=Subquery(right.annotate(n=Count("id")).values("n")[:1]),
        )
        .order_by("-period_start")
        .values("period", "period_start", "value", "right_mean", "right_count")
    )
    if recent is not None:
        rows = rows[:recent]
    findings = []
    for row in reversed(list(rows)):
        mean = row["right_mean"] if row["right_count"] == window else None
        mean = Decimal(mean).quantize(Decimal("0.0001")) if mean is not None else None
        ratio = (Decimal(row["value"]) / mean).quantize(Decimal("0.001")) if mean else None
        outside = ratio is not None and (
            (rule.low is not None and ratio < rule.low)
            or (rule.high is not None and ratio > rule.high)
        )
        findings.append(
            Finding(
                rule=rule,
                period=row["period"],
                period_start=row["period_start"],
                left=Decimal(row["value"]),
                right=mean,
                ratio=ratio,
                outside=outside,
            )
        )
    return findings


def latest_outside(rules: list[ConsistencyRule]) -> list[Finding]:
    """For signals: each rule whose latest judged quarter lies outside its band."""
    found = []
    for rule in rules:
        judged = [f for f in evaluate(rule, recent=RECENT) if f.ratio is not None]
        if judged and judged[-1].outside:
            found.append(judged[-1])
    return found
