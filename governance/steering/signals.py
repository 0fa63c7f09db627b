"""The closed loop ("Check" and "Act" of Plan-Do-Check-Act): signals computed from the current
approved figures, the targets, the forecast and the milestones; and the write paths that bring a
signal to a board and close it.

`compute_signals()` is meant to run at the end of every dashboard rebuild; it is also run by
`manage.py compute_signals` and from the "Signalen" page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from actions.models import Milestone
from dashboards.consistency.checks import latest_outside
from dashboards.models import (
    ConsistencyRule,
    Frequency,
    Indicator,
    dimensions_of,
    series_key,
    split_series_key,
)
from dashboards.rebuild import series
from dashboards.uploads import deliveries
from governance.models import (
    ClosedReason,
    Direction,
    Organisation,
    Signal,
    SignalKind,
    SignalStatus,
    Target,
)
from ketenportaal.history import stored_reason
from ketenportaal.periods import QUARTER, Period

from .targets import days_in, target_results

FORECAST_INDICATOR = "forecast_asylum_inflow"
REALISED_INDICATOR = "asylum_applications"


@dataclass
class SignalRun:
    opened: int
    refreshed: int
    closed: int


def _target_signals(today: datetime.date, scope: set[int] | None) -> dict[str, dict[str, Any]]:
    """A target missed by more than its tolerance (of the indicators in `scope`, or all)."""
    chosen = Target.objects.select_related("assignment__organisation", "indicator").filter(
        indicator__is_forecast=False
    )
    if scope is not None:
        chosen = chosen.filter(indicator_id__in=scope)
    targets = list(chosen)
    found: dict[str, dict[str, Any]] = {}
    by_pk = {t.pk: t for t in targets}
    for target_id, result in target_results(targets, today).items():
        if not result.missed:
            continue
        target = by_pk[target_id]
        at_least = target.direction == Direction.AT_LEAST
        found[f"target:{target.pk}"] = {
            "kind": SignalKind.TARGET_MISSED,
            "organisation_id": target.assignment.organisation_id,
            "indicator_id": target.indicator_id,
            "target_id": target.pk,
            "period": target.period,
            "value": result.realised,
            "expected_low": result.limit if at_least else None,
            "expected_high": None if at_least else result.limit,
        }
    return found


def _forecast_signals(today: datetime.date, scope: set[int] | None) -> dict[str, dict[str, Any]]:
    """Realised asylum applications outside the forecast's low-high range, per year, pro rata
    over the part of the year the realised figures cover.

    From the dashboards' built figures (`series.point_rows`: the chain's yearly totals and the
    months they cover), so a few rows per year are read, not every current cell of the two
    indicators; only when the rebuild touched either of them (or all are recomputed).
    """
    indicators = {
        i.code: i
        for i in Indicator.objects.filter(code__in=[REALISED_INDICATOR, FORECAST_INDICATOR])
    }
    realised_indicator = indicators.get(REALISED_INDICATOR)
    forecast_indicator = indicators.get(FORECAST_INDICATOR)
    if realised_indicator is None or forecast_indicator is None:
        return {}
    if scope is not None and not scope & {realised_indicator.pk, forecast_indicator.pk}:
        return {}
    # Every round's scenarios (a forecast without rounds: round ""); per year the latest round
    # that forecasts it counts.
    scenario_keys = [
        series_key(series.dimension_key({"scenario": v}), round_)
        for round_ in series.rounds(forecast_indicator) or [""]
        for v in forecast_indicator.dimensions.get("scenario", [])
    ]
    yearly = series.point_rows(
        indicators=[realised_indicator, forecast_indicator],
        frequency=Frequency.YEAR,
        dimension_keys=["", *scenario_keys],
        # Signals are computed once for everyone: the strictest view (totals and forecasts,
        # which small-number suppression never hides).
        viewer=None,
    )
    # How far into each year the realised figures reach: the end of the latest month present.
    until: dict[int, datetime.date] = {}
    for row in series.point_rows(
        indicators=[realised_indicator], frequency=Frequency.MONTH, dimension_keys=[""], viewer=None
    ):
        start = row["period_start"]
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        until[start.year] = max(until.get(start.year, end), end)
    realised: dict[int, Decimal] = {}
    by_round: dict[int, dict[str, dict[str, Decimal]]] = {}
    for row in yearly:
        if row["value"] is None:  # suppressed: never a total or a forecast, so never here
            continue
        year, total = row["period_start"].year, Decimal(row["value"])
        if row["indicator_id"] == realised_indicator.pk:
            if row["dimension_key"] == "":
                realised[year] = total
        else:
            round_, key = split_series_key(row["dimension_key"])
            scenario = dimensions_of(key).get("scenario", "")
            by_round.setdefault(year, {}).setdefault(round_, {})[scenario] = total
    forecast = {year: rounds[max(rounds)] for year, rounds in by_round.items()}
    found: dict[str, dict[str, Any]] = {}
    for year, value in realised.items():
        scenarios = forecast.get(year, {})
        if "low" not in scenarios or "high" not in scenarios or year > today.year:
            continue
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        share = Decimal(days_in(start, min(until.get(year, end), end))) / Decimal(
            days_in(start, end)
        )
        low, high = scenarios["low"] * share, scenarios["high"] * share
        if value < low or value > high:
            found[f"forecast:{REALISED_INDICATOR}:{year}"] = {
                "kind": SignalKind.OUTSIDE_FORECAST,
                "indicator_id": realised_indicator.pk,
                "period": str(year),
                "value": value,
                "expected_low": low,
                "expected_high": high,
            }
    return found


def _milestone_signals(today: datetime.date, scope: set[int] | None) -> dict[str, dict[str, Any]]:
    if scope is not None:
        return {}  # figures do not move milestones; the full runs check them
    return {
        f"milestone:{pk}": {
            "kind": SignalKind.MILESTONE_OVERDUE,
            "milestone_id": pk,
            "organisation_id": owner_id,
        }
        for pk, owner_id in Milestone.objects.overdue(today).values_list("pk", "action__owner_id")
    }


def _missing_figure_signals(
    today: datetime.date, scope: set[int] | None
) -> dict[str, dict[str, Any]]:
    """An indicator whose figures for the last period that is due are missing (the one rule of
    `dashboards.uploads.deliveries`; the indicator's own term, `Indicator.due_on`): a quarter,
    or a year for a yearly indicator such as JENV's forecast."""
    indicators = deliveries.indicators_owned_by(Organisation.objects.all())
    if scope is not None:
        indicators = [i for i in indicators if i.pk in scope]
    due = {indicator.pk: deliveries.last_due(indicator, today) for indicator in indicators}
    quarters = sorted({Period.of(period.end, QUARTER) for period in due.values()})
    found: dict[str, dict[str, Any]] = {}
    for delivery in deliveries.deliveries(indicators=indicators, quarters=quarters, today=today):
        indicator = delivery.indicator
        if delivery.period == due[indicator.pk] and delivery.status == deliveries.MISSING:
            found[f"missing:{indicator.pk}:{indicator.owner_id}"] = {
                "kind": SignalKind.FIGURES_MISSING,
                "indicator_id": indicator.pk,
                "organisation_id": indicator.owner_id,
                "period": delivery.period.canonical,
            }
    return found


def _rules_in(scope: set[int] | None):
    rules = ConsistencyRule.objects.filter(active=True)
    if scope is not None:
        rules = rules.filter(Q(left_id__in=scope) | Q(right_id__in=scope))
    return rules


def _consistency_signals(today: datetime.date, scope: set[int] | None) -> dict[str, dict[str, Any]]:
    """A consistency rule whose latest judged quarter lies outside its band (issue 12); after an
    incremental rebuild only the rules that compare one of its indicators."""
    rules = list(_rules_in(scope).select_related("left", "right"))
    return {
        f"consistency:{finding.rule.pk}": {
            "kind": SignalKind.INCONSISTENT,
            "indicator_id": finding.rule.left_id,
            "consistency_rule_id": finding.rule.pk,
            "period": finding.period,
            "value": finding.ratio,
            "expected_low": finding.rule.low,
            "expected_high": finding.rule.high,
        }
        for finding in latest_outside(rules)
    }


REFRESHED_FIELDS = ["period", "value", "expected_low", "expected_high", "last_seen"]


def _compared(signal: Signal) -> list[Any]:
    """The refreshed fields as the database holds them (a float 1.0 and Decimal("1.000") agree)."""
    return [
        Signal._meta.get_field(name).to_python(getattr(signal, name))  # type: ignore[union-attr]
        for name in REFRESHED_FIELDS[:-1]
    ]


@transaction.atomic
def compute_signals(
    *, today: datetime.date | None = None, indicator_ids: list[int] | None = None
) -> SignalRun:
    """Compare the current approved figures with targets and forecast, check the milestones and the
    delivery of figures, and bring the stored signals up to date.

    Guarantees: one open signal per subject; a signal still found is refreshed (values, last
    seen); one no longer found is closed as resolved (its record stays); a subject that recurs
    after closing opens a new signal. Safe to run twice, also concurrently (a transaction-level
    advisory lock serialises runs). Reads only current approved observations, and the forecast
    comparison the dashboards' figures built from them.

    With `indicator_ids` (after an incremental rebuild) only the signals of those indicators are
    recomputed: their targets, their deliveries, the forecast when it or its realisation is
    among them; every other open signal is left as it is.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    scope = None if indicator_ids is None else set(indicator_ids)
    if scope is not None:
        # A new forecast moves the comparison with its realisation, whose signal it is.
        linked = dict(
            Indicator.objects.filter(code__in=[REALISED_INDICATOR, FORECAST_INDICATOR]).values_list(
                "code", "pk"
            )
        )
        if linked.get(FORECAST_INDICATOR) in scope and REALISED_INDICATOR in linked:
            scope.add(linked[REALISED_INDICATOR])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('ketenportaal.compute_signals'))")
    found: dict[str, dict[str, Any]] = {}
    for compute in (
        _target_signals,
        _forecast_signals,
        _milestone_signals,
        _missing_figure_signals,
        _consistency_signals,
    ):
        found.update(compute(today, scope))

    # A deviation that a board decided about stays closed for that subject and period.
    settled = set(
        Signal.objects.filter(
            key__in=found.keys(), closed_reason=ClosedReason.DECISION
        ).values_list("key", "period")
    )
    found = {
        key: fields
        for key, fields in found.items()
        if (key, fields.get("period", "")) not in settled
    }
    candidates = Signal.objects.open()
    if scope is not None:
        # Only the subjects this run looked at may be closed by it.
        candidates = candidates.filter(
            Q(
                kind__in=[
                    SignalKind.TARGET_MISSED,
                    SignalKind.OUTSIDE_FORECAST,
                    SignalKind.FIGURES_MISSING,
                ],
                indicator_id__in=scope,
            )
            | Q(kind=SignalKind.INCONSISTENT, consistency_rule__in=_rules_in(scope))
        )
    open_signals = {s.key: s for s in candidates.select_for_update()}
    new: list[Signal] = []
    refreshed: list[Signal] = []
    unchanged: list[Signal] = []
    closed: list[Signal] = []
    for key, fields in found.items():
        signal = open_signals.get(key)
        if signal is None:
            new.append(Signal(key=key, first_seen=now, last_seen=now, **fields))
            continue
        before = _compared(signal)
        for name in REFRESHED_FIELDS[:-1]:
            setattr(signal, name, fields.get(name, getattr(signal, name)))
        signal.last_seen = now
        changed = before != _compared(signal)
        # Only a change is history: a signal found again as it was is marked seen, no new version.
        (refreshed if changed else unchanged).append(signal)
    for key, signal in open_signals.items():
        if key not in found:
            signal.status = SignalStatus.CLOSED
            signal.closed_at = now
            signal.closed_reason = ClosedReason.RESOLVED
            gone = stored_reason(gettext_lazy("Niet meer gevonden bij herberekening"))
            signal._change_reason = gone  # type: ignore[attr-defined]
            closed.append(signal)
    if new:
        bulk_create_with_history(
            new,
            Signal,
            default_change_reason=stored_reason(gettext_lazy("Gevonden bij berekening")),
        )
    if unchanged:
        Signal.objects.filter(pk__in=[s.pk for s in unchanged]).update(last_seen=now)
    if refreshed:
        bulk_update_with_history(
            refreshed,
            Signal,
            REFRESHED_FIELDS,
            default_change_reason=stored_reason(gettext_lazy("Opnieuw gevonden")),
        )
    if closed:
        bulk_update_with_history(
            closed,
            Signal,
            ["status", "closed_at", "closed_reason"],
            default_change_reason=_("Opgelost"),
        )
    return SignalRun(opened=len(new), refreshed=len(refreshed) + len(unchanged), closed=len(closed))
