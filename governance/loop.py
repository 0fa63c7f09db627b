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
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import roles
from .decisions import add_agenda_item
from .models import (
    AgendaItem,
    BoardKind,
    ClosedReason,
    Decision,
    Direction,
    Meeting,
    Signal,
    SignalKind,
    SignalStatus,
    Target,
)
from .models_steering import period_bounds

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

#: Figures for a quarter are due this many days after the quarter ends.
FIGURES_GRACE_DAYS = 45
FORECAST_INDICATOR = "forecast_asylum_inflow"
REALISED_INDICATOR = "asylum_applications"


@dataclass
class SignalRun:
    opened: int
    refreshed: int
    closed: int


def _quarter_label(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _days(start: datetime.date, end: datetime.date) -> int:
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
            limit = limit * Decimal(_days(start, covered_until)) / Decimal(_days(start, end))
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
    from dashboards.models import CurrentCell

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


def _target_signals(today: datetime.date) -> dict[str, dict[str, Any]]:
    """A target missed by more than its tolerance."""
    targets = list(
        Target.objects.select_related("assignment__organisation", "indicator").filter(
            indicator__is_forecast=False
        )
    )
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


def _forecast_signals(today: datetime.date) -> dict[str, dict[str, Any]]:
    """Realised asylum applications outside the forecast's low-high range, per year, pro rata
    over the part of the year the realised figures cover."""
    from dashboards.models import CurrentCell

    rows = (
        CurrentCell.objects.filter(indicator__code__in=[REALISED_INDICATOR, FORECAST_INDICATOR])
        .annotate(year=ExtractYear("observation__period_start"))
        .values("indicator__code", "indicator_id", "year", "dimension_key")
        .annotate(total=Sum("observation__value"), until=Max("observation__period_end"))
        .order_by()
    )
    realised: dict[int, tuple[Decimal, datetime.date, int]] = {}
    forecast: dict[int, dict[str, Decimal]] = {}
    for row in rows:
        year, total = row["year"], Decimal(row["total"])
        if row["indicator__code"] == REALISED_INDICATOR:  # summed over the dimensions
            value, until, _ = realised.get(year, (Decimal(0), row["until"], row["indicator_id"]))
            realised[year] = (value + total, max(until, row["until"]), row["indicator_id"])
        else:
            scenario = dict(
                part.split("=", 1) for part in row["dimension_key"].split(";") if "=" in part
            )
            forecast.setdefault(year, {})[scenario.get("scenario", "")] = total
    found: dict[str, dict[str, Any]] = {}
    for year, (value, until, indicator_id) in realised.items():
        scenarios = forecast.get(year, {})
        if "low" not in scenarios or "high" not in scenarios or year > today.year:
            continue
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        share = Decimal(_days(start, min(until, end))) / Decimal(_days(start, end))
        low, high = scenarios["low"] * share, scenarios["high"] * share
        if value < low or value > high:
            found[f"forecast:{REALISED_INDICATOR}:{year}"] = {
                "kind": SignalKind.OUTSIDE_FORECAST,
                "indicator_id": indicator_id,
                "period": str(year),
                "value": value,
                "expected_low": low,
                "expected_high": high,
            }
    return found


def _milestone_signals(today: datetime.date) -> dict[str, dict[str, Any]]:
    from actions.models import Milestone

    return {
        f"milestone:{pk}": {
            "kind": SignalKind.MILESTONE_OVERDUE,
            "milestone_id": pk,
            "organisation_id": owner_id,
        }
        for pk, owner_id in Milestone.objects.overdue(today).values_list("pk", "action__owner_id")
    }


def _last_due_quarter_end(today: datetime.date) -> datetime.date:
    """The end of the last quarter whose figures are due by today (quarter end + grace days)."""

    def quarter_start(day: datetime.date) -> datetime.date:
        return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)

    end = quarter_start(today) - datetime.timedelta(days=1)
    if today <= end + datetime.timedelta(days=FIGURES_GRACE_DAYS):
        end = quarter_start(end) - datetime.timedelta(days=1)
    return end


def _missing_figure_signals(today: datetime.date) -> dict[str, dict[str, Any]]:
    """An indicator's owner whose current figures do not reach the last quarter that is due."""
    from dashboards.models import CurrentCell, Indicator

    due_end = _last_due_quarter_end(today)
    latest = {
        (row["indicator_id"], row["organisation_id"]): row["until"]
        for row in CurrentCell.objects.values("indicator_id", "organisation_id")
        .annotate(until=Max("observation__period_end"))
        .order_by()
    }
    found: dict[str, dict[str, Any]] = {}
    for indicator_id, owner_id in (
        Indicator.objects.active().filter(is_forecast=False).values_list("pk", "owner_id")
    ):
        until = latest.get((indicator_id, owner_id))
        if until is None or until < due_end:
            found[f"missing:{indicator_id}:{owner_id}"] = {
                "kind": SignalKind.FIGURES_MISSING,
                "indicator_id": indicator_id,
                "organisation_id": owner_id,
                "period": _quarter_label(due_end),
            }
    return found


REFRESHED_FIELDS = ["period", "value", "expected_low", "expected_high", "last_seen"]


@transaction.atomic
def compute_signals(*, today: datetime.date | None = None) -> SignalRun:
    """Compare the current approved figures with targets and forecast, check the milestones and the
    delivery of figures, and bring the stored signals up to date.

    Guarantees: one open signal per subject; a signal still found is refreshed (values, last
    seen); one no longer found is closed as resolved (its record stays); a subject that recurs
    after closing opens a new signal. Safe to run twice, also concurrently (a transaction-level
    advisory lock serialises runs). Reads only current approved observations.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('ketenportaal.compute_signals'))")
    found: dict[str, dict[str, Any]] = {}
    for compute in (
        _target_signals,
        _forecast_signals,
        _milestone_signals,
        _missing_figure_signals,
    ):
        found.update(compute(today))

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
    open_signals = {s.key: s for s in Signal.objects.open().select_for_update()}
    new, refreshed, closed = [], [], []
    for key, fields in found.items():
        signal = open_signals.get(key)
        if signal is None:
            new.append(Signal(key=key, first_seen=now, last_seen=now, **fields))
            continue
        for name in REFRESHED_FIELDS[:-1]:
            setattr(signal, name, fields.get(name, getattr(signal, name)))
        signal.last_seen = now
        refreshed.append(signal)
    for key, signal in open_signals.items():
        if key not in found:
            signal.status = SignalStatus.CLOSED
            signal.closed_at = now
            signal.closed_reason = ClosedReason.RESOLVED
            signal._change_reason = _("Niet meer gevonden bij herberekening")  # type: ignore[attr-defined]
            closed.append(signal)
    if new:
        bulk_create_with_history(new, Signal, default_change_reason=_("Gevonden bij berekening"))
    if refreshed:
        bulk_update_with_history(
            refreshed, Signal, REFRESHED_FIELDS, default_change_reason=_("Opnieuw gevonden")
        )
    if closed:
        bulk_update_with_history(
            closed,
            Signal,
            ["status", "closed_at", "closed_reason"],
            default_change_reason=_("Opgelost"),
        )
    return SignalRun(opened=len(new), refreshed=len(refreshed), closed=len(closed))


def next_meeting(today: datetime.date | None = None) -> Meeting | None:
    """The next meeting of the Topberaad, where signals are discussed."""
    today = today or timezone.localdate()
    return (
        Meeting.objects.upcoming(today)
        .filter(board__kind=BoardKind.TOPBERAAD)
        .select_related("board")
        .first()
    )


@transaction.atomic
def put_signal_on_agenda(
    *,
    signal: Signal,
    by: AbstractBaseUser,
    meeting: Meeting | None = None,
    today: datetime.date | None = None,
) -> AgendaItem:
    """Put an open signal on the agenda of the next Topberaad meeting (or the one given).

    Guarantees: regie only; a closed signal, a signal already on that meeting's agenda, or no
    upcoming meeting is refused with a Dutch message and changes nothing.
    """
    roles.require_regie(by)
    signal = Signal.objects.select_for_update(of=("self",)).get(pk=signal.pk)
    if signal.status != SignalStatus.OPEN:
        raise ValidationError(_("Dit signaal is al gesloten en kan niet meer worden geagendeerd."))
    meeting = meeting or next_meeting(today)
    if meeting is None:
        raise ValidationError(
            _(
                "Er is geen volgende vergadering van het Topberaad gepland. Plan eerst een vergadering."
            )
        )
    if meeting.agenda_items.filter(signal=signal).exists():
        raise ValidationError(
            _("Dit signaal staat al op de agenda van %(meeting)s.") % {"meeting": meeting}
        )
    return add_agenda_item(
        meeting=meeting,
        by=by,
        title=_("Signaal: %(kind)s") % {"kind": signal.get_kind_display()},
        description=signal.summary,
        signal=signal,
    )


@transaction.atomic
def close_signal_by_decision(*, signal: Signal, decision: Decision, by: AbstractBaseUser) -> Signal:
    """Close an open signal because a decision deals with it (regie only)."""
    roles.require_regie(by)
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if signal.status != SignalStatus.OPEN:
        raise ValidationError(_("Dit signaal is al gesloten."))
    signal.status = SignalStatus.CLOSED
    signal.closed_at = timezone.now()
    signal.closed_reason = ClosedReason.DECISION
    signal.closed_by_decision = decision
    signal._change_reason = _("Gesloten door besluit %(number)s") % {"number": decision.number}  # type: ignore[attr-defined]
    signal.save()
    return signal
