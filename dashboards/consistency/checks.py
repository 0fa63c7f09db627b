"""Evaluating consistency rules: one query for all rules, over the built chain quarters.

Per complete chain quarter of the left series: the mean of the right series over the quarters
`lag_min`…`lag_max` before it, and the ratio left / right. A quarter is judged only when both
sides are complete (an incomplete quarter is never compared with a complete one) and the right
side is not zero; it is "outside" when the ratio lies outside the rule's band. The figures come
from the current build in one query (the chain's quarterly rows of the rules' series); pairing
the few hundred quarters they hold is done here.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from dashboards.models import ConsistencyRule
from dashboards.rebuild.series import current_points, suppressed_figures
from dashboards.suppression import viewers
from ketenportaal.periods import QUARTER, Period

#: Quarters shown per rule on its page and on Datakwaliteit.
RECENT = 8


@dataclass(frozen=True)
class Finding:
    rule: ConsistencyRule
    period: str
    period_start: datetime.date
    #: left, right and ratio are None when a figure behind them is suppressed for the reader.
    left: Decimal | None
    right: Decimal | None
    ratio: Decimal | None
    outside: bool
    suppressed: bool = False

    @property
    def right_period(self) -> str:
        """The one quarter the right side is the figure of ("" for a window of lags, whose
        right side is a mean of several)."""
        if self.rule.lag_min != self.rule.lag_max:
            return ""
        return Period.of(self.period_start, QUARTER).shifted(-self.rule.lag_min).canonical


def _index(day: datetime.date) -> int:
    """Consecutive quarters have consecutive indexes."""
    return day.year * 4 + (day.month - 1) // 3


def evaluate_all(
    rules: Iterable[ConsistencyRule], *, recent: int | None = RECENT
) -> dict[int, list[Finding]]:
    """rule id → its findings for the latest `recent` complete quarters (all for None)."""
    rules = list(rules)
    wanted = {(r.left_id, r.left_key) for r in rules} | {(r.right_id, r.right_key) for r in rules}
    if not wanted:
        return {}
    which = Q()
    for indicator_id, key in wanted:
        which |= Q(indicator_id=indicator_id, dimension_key=key)
    series: dict[tuple[int, str], dict[int, tuple[str, datetime.date, Decimal]]] = defaultdict(dict)
    rows = (
        current_points()
        .filter(which, frequency=QUARTER, organisation__isnull=True, complete=True)
        .values_list("indicator_id", "dimension_key", "period", "period_start", "value")
    )
    for indicator_id, key, period, start, value in rows:
        series[(indicator_id, key)][_index(start)] = (period, start, Decimal(value))
    found: dict[int, list[Finding]] = {}
    for rule in rules:
        left, right = series[(rule.left_id, rule.left_key)], series[(rule.right_id, rule.right_key)]
        quarters = sorted(left)[-recent:] if recent is not None else sorted(left)
        findings = []
        for q in quarters:
            period, start, value = left[q]
            earlier = [right.get(q - lag) for lag in range(rule.lag_min, rule.lag_max + 1)]
            mean = None
            if all(earlier):
                total = sum((e[2] for e in earlier if e), Decimal(0))
                mean = (total / len(earlier)).quantize(Decimal("0.0001"))
            ratio = (value / mean).quantize(Decimal("0.001")) if mean else None
            outside = ratio is not None and (
                (rule.low is not None and ratio < rule.low)
                or (rule.high is not None and ratio > rule.high)
            )
            findings.append(Finding(rule, period, start, value, mean, ratio, outside))
        found[rule.pk] = findings
    return found


def as_seen_by(found: dict[int, list[Finding]], viewer) -> dict[int, list[Finding]]:
    """The findings as `viewer` may see them: where the left figure, or a right one the mean
    is taken of, is suppressed for the viewer (small-number suppression), no figure and no
    ratio (which would give the one from the other), only the verdict. One query at most."""
    findings = [f for fs in found.values() for f in fs]
    if not findings:
        return found
    indicators = {f.rule.left_id: f.rule.left for f in findings} | {
        f.rule.right_id: f.rule.right for f in findings
    }
    starts = [f.period_start for f in findings]
    hidden = suppressed_figures(
        indicators=list(indicators.values()),
        viewer=viewer,
        start=Period.of(min(starts), QUARTER).shifted(-max(f.rule.lag_max for f in findings)).start,
        end=max(starts),
    )
    if not hidden:
        return found

    def covered(finding: Finding) -> bool:
        rule, quarter = finding.rule, Period.of(finding.period_start, QUARTER)
        figures = [(rule.left_id, None, QUARTER, rule.left_key, quarter.canonical)] + [
            (rule.right_id, None, QUARTER, rule.right_key, quarter.shifted(-lag).canonical)
            for lag in range(rule.lag_min, rule.lag_max + 1)
        ]
        return any(figure in hidden for figure in figures)

    return {
        pk: [
            dataclasses.replace(f, left=None, right=None, ratio=None, suppressed=True)
            if covered(f)
            else f
            for f in fs
        ]
        for pk, fs in found.items()
    }


def evaluate(rule: ConsistencyRule, *, recent: int | None = RECENT) -> list[Finding]:
    return evaluate_all([rule], recent=recent)[rule.pk]


def latest_outside(rules: list[ConsistencyRule]) -> list[Finding]:
    """For signals: each rule whose latest judged quarter lies outside its band. Signals are
    read by everyone, so a finding that compares a breakdown figure small-number suppression
    may hide comes without figures and ratio, whether or not it is hidden: working out what a
    build hides costs a pass over the indicator's breakdowns (seconds on a large indicator),
    which signals after every approval cannot afford; a total is never hidden, so a finding on
    totals keeps its figures. Datakwaliteit shows each reader what it may see (`as_seen_by`)."""
    found = []
    for findings in evaluate_all(rules).values():
        judged = [n for n, f in enumerate(findings) if f.ratio is not None]
        if judged and findings[judged[-1]].outside:
            finding = findings[judged[-1]]
            if _may_be_hidden(finding.rule):
                finding = dataclasses.replace(
                    finding, left=None, right=None, ratio=None, suppressed=True
                )
            found.append(finding)
    return found


def _may_be_hidden(rule: ConsistencyRule) -> bool:
    """Whether a side of the rule is a breakdown figure that suppression may hide from someone."""
    return any(
        key and viewers.suppressed_for(None, [indicator])
        for indicator, key in ((rule.left, rule.left_key), (rule.right, rule.right_key))
    )
