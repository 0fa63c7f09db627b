"""Deliveries, one truth: per organisation, indicator and quarter, were the figures delivered, and
on time? The delivery page, Datakwaliteit, the signals, the reports and `GET /api/v1/deliveries/`
all read `deliveries()`.

The rule (DESIGN.md, "Deliveries"):
- A quarter's figures of an indicator are *delivered* on the day the approved uploads sent so far
  hold all its months, or its quarter figure (for any dimension value). That day comes from the
  uploads' history, not from the current cells, so a later correction never makes an on-time
  delivery late. `first_delivered_on` is that day.
- They are *due* on `Indicator.due_on(quarter)`: the indicator's own term after the quarter's
  end, by default `DELIVERY_DEADLINE_DAYS`.
- `status`: `not_due` while the quarter runs or its term has not passed without a delivery;
  `on_time` when delivered by the due date; `late` when delivered after it; `missing` when the
  term passed without a delivery.
- `complete`: the current figures hold all its months or its quarter figure.
Indicators delivered per month or per quarter are judged per quarter. Yearly indicators
(forecasts among them) are judged per year, the year counting in the quarter it ends in: delivered
when an approved upload held that year's figure (for a forecast: any round for that year), due on
`Indicator.due_on(year)`. So every organisation that owns an indicator, JENV with its forecast
too, has deliveries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from dashboards.models import Frequency, Indicator
from governance.models import Organisation
from ketenportaal.periods import MONTH, QUARTER, YEAR, Period, last_complete, recent

NOT_DUE, MISSING, LATE, ON_TIME = "not_due", "missing", "late", "on_time"
STATUSES = (NOT_DUE, MISSING, LATE, ON_TIME)
STATUS_LABELS = {
    NOT_DUE: _("nog niet verschuldigd"),
    MISSING: _("ontbreekt"),
    LATE: _("te laat"),
    ON_TIME: _("op tijd"),
}
#: Indicators whose figures are delivered per quarter (or finer).
QUARTERLY = (Frequency.MONTH, Frequency.QUARTER)


@dataclass(frozen=True)
class Delivery:
    organisation_id: int
    indicator: Indicator
    period: Period
    due_on: datetime.date
    first_delivered_on: datetime.date | None
    complete: bool
    status: str
    cells: int = 0
    warnings: int = 0

    @property
    def quarter(self) -> str:
        return self.period.canonical

    @property
    def in_quarter(self) -> Period:
        """The quarter this delivery counts in: its own, or for a year its last quarter."""
        return Period.of(self.period.end, QUARTER)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def status_of(
    period: Period, due_on: datetime.date, delivered_on: datetime.date | None, today: datetime.date
) -> str:
    """The one timeliness rule (see the module docstring)."""
    if delivered_on is not None:
        return ON_TIME if delivered_on <= due_on else LATE
    if not period.has_ended(today) or today <= due_on:
        return NOT_DUE
    return MISSING


def indicators_owned_by(organisations: Iterable[Organisation]) -> list[Indicator]:
    """Every active indicator these organisations own, yearly ones and forecasts included: what
    Datakwaliteit, the delivery page, `GET /api/v1/deliveries/`, the signals, the reminders, the
    home pages and the reports judge."""
    return list(
        Indicator.objects.active()
        .filter(owner__in=list(organisations))
        .select_related("owner")
        .order_by("owner__code", "code")
    )


def last_due(indicator: Indicator, today: datetime.date) -> Period:
    """The latest period of `indicator` whose figures were due before `today`: a quarter, or a
    year for a yearly indicator (judged in the year's last quarter: `Delivery.in_quarter`)."""
    period = last_complete(QUARTER if indicator.frequency in QUARTERLY else YEAR, today)
    while indicator.due_on(period) >= today:
        period = period.previous()
    return period


def periods_due(indicator: Indicator, quarters: Sequence[Period]) -> list[Period]:
    """The periods of `indicator` judged within these quarters: the quarters themselves, or for
    a yearly indicator the years whose last quarter is among them."""
    if indicator.frequency in QUARTERLY:
        return list(quarters)
    return [Period.year_of(q.year) for q in quarters if q.quarter == 4]


def deliveries(
    *,
    indicators: Sequence[Indicator],
    quarters: Sequence[Period],
    today: datetime.date | None = None,
    with_warnings: bool = False,
    as_of: datetime.datetime | None = None,
) -> list[Delivery]:
    """A delivery per indicator (by its owner) and quarter (per year for a yearly indicator,
    `periods_due`), in the order given (three queries;
    a fourth for the warnings). Set-based: the uploads' history is grouped per indicator,
    period and period type in PostgreSQL, the few rows left are combined here.

    With `as_of` (a report for an earlier moment), only the uploads approved by then count,
    both for the day delivered and for `complete` (the figures that were current then cover
    the same periods as the approved uploads by then: a correction replaces a cell, never
    removes its period)."""
    today = today or timezone.localdate()
    if not indicators or not quarters:
        return []
    start = min(Period.year_of(q.year).start for q in quarters)
    end = max(q.end for q in quarters)
    owners = sorted({i.owner_id for i in indicators})
    ids = [i.pk for i in indicators]
    sent = _first_sent(owners, ids, start, end, as_of)
    current = (
        _approved_by(owners, ids, start, end, as_of) if as_of else _current(owners, ids, start, end)
    )
    warnings = _warnings(owners, ids, start, end) if with_warnings else {}
    result = []
    for indicator in indicators:
        for quarter in periods_due(indicator, quarters):
            key = (indicator.pk, indicator.owner_id)
            delivered_on, cells = _delivered_on(sent.get(key, {}), quarter)
            due_on = indicator.due_on(quarter)
            result.append(
                Delivery(
                    organisation_id=indicator.owner_id,
                    indicator=indicator,
                    period=quarter,
                    due_on=due_on,
                    first_delivered_on=delivered_on,
                    complete=_covers(current.get(key, set()), quarter),
                    status=status_of(quarter, due_on, delivered_on, today),
                    cells=cells,
                    warnings=warnings.get((*key, quarter.canonical), 0),
                )
            )
    return result


def _delivered_on(
    sent: dict[tuple[str, datetime.date], tuple[datetime.date, int]], quarter: Period
) -> tuple[datetime.date | None, int]:
    """The day the quarter's figures were first all there, and how many cells they are (a year:
    its year figure)."""
    if quarter.type == YEAR:
        found = sent.get((YEAR, quarter.start))
        return (found[0], found[1]) if found else (None, 0)
    parts = quarter.parts(MONTH)
    months = [found for m in parts if (found := sent.get((MONTH, m.start))) is not None]
    whole = sent.get((QUARTER, quarter.start))
    candidates = []
    if len(months) == len(parts):
        candidates.append(max(day for day, _cells in months))
    if whole:
        candidates.append(whole[0])
    cells = sum(c for _day, c in months) + (whole[1] if whole else 0)
    return (min(candidates) if candidates else None), cells


def _covers(periods: set[tuple[str, datetime.date]], quarter: Period) -> bool:
    if quarter.type == YEAR:
        return (YEAR, quarter.start) in periods
    return (QUARTER, quarter.start) in periods or all(
        (MONTH, m.start) in periods for m in quarter.parts(MONTH)
    )


def _params(owners: list[int], ids: list[int], start, end) -> tuple[str, list]:
    marks = ", ".join(["%s"] * len(owners)), ", ".join(["%s"] * len(ids))
    where = f"""o.organisation_id IN ({marks[0]}) AND o.indicator_id IN ({marks[1]})
          AND o.period_type IN ('month', 'quarter', 'year') AND o.period_start >= %s
          AND o.period_start <= %s"""
    return where, [*owners, *ids, start, end]


def _moment(value) -> datetime.datetime:
    """A timestamp from raw SQL: SQLite (the demo) gives its text, stored in UTC."""
    if isinstance(value, str):
        parsed = parse_datetime(value)
        assert parsed is not None, value
        return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=datetime.UTC)
    return value


def _first_sent(owners, ids, start, end, as_of=None):
    """(indicator, organisation) → {(period type, period start): (first day sent, cells)}, from
    every approved upload (the history, not the current cells); with `as_of`, those approved
    by then."""
    where, params = _params(owners, ids, start, end)
    approved, approved_params = _approved(as_of)
    sql = f"""
        SELECT o.indicator_id, o.organisation_id, o.period_type, o.period_start,
               MIN(u.uploaded_at), COUNT(DISTINCT o.dimension_key)
        FROM dashboards_observation o
        JOIN dashboards_upload u ON u.id = o.upload_id AND {approved}
        WHERE {where}
        GROUP BY o.indicator_id, o.organisation_id, o.period_type, o.period_start
    """  # noqa: S608 (placeholders only)
    params = [*approved_params, *params]
    found: dict = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for indicator_id, organisation_id, kind, period_start, first, cells in cursor.fetchall():
            found[(indicator_id, organisation_id)][(kind, _day(period_start))] = (
                timezone.localtime(_moment(first)).date(),
                int(cells),
            )
    return found


def _current(owners, ids, start, end):
    """(indicator, organisation) → {(period type, period start)} of the current figures."""
    where, params = _params(owners, ids, start, end)
    sql = f"""
        SELECT DISTINCT o.indicator_id, o.organisation_id, o.period_type, o.period_start
        FROM dashboards_currentcell c
        JOIN dashboards_observation o ON o.id = c.observation_id
        WHERE {where}
    """  # noqa: S608 (placeholders only)
    found: dict = defaultdict(set)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for indicator_id, organisation_id, kind, period_start in cursor.fetchall():
            found[(indicator_id, organisation_id)].add((kind, _day(period_start)))
    return found


def _approved(as_of: datetime.datetime | None) -> tuple[str, list]:
    """The condition on `u` for an upload that counts: approved (by `as_of`)."""
    if as_of is None:
        return "u.status = 'approved'", []
    return "u.status = 'approved' AND u.decided_at <= %s", [as_of]


def _approved_by(owners, ids, start, end, as_of):
    """(indicator, organisation) → {(period type, period start)} of the uploads approved by
    `as_of`: the periods the current figures covered then."""
    where, params = _params(owners, ids, start, end)
    approved, approved_params = _approved(as_of)
    sql = f"""
        SELECT DISTINCT o.indicator_id, o.organisation_id, o.period_type, o.period_start
        FROM dashboards_observation o
        JOIN dashboards_upload u ON u.id = o.upload_id AND {approved}
        WHERE {where}
    """  # noqa: S608 (placeholders only)
    found: dict = defaultdict(set)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*approved_params, *params])
        for indicator_id, organisation_id, kind, period_start in cursor.fetchall():
            found[(indicator_id, organisation_id)].add((kind, _day(period_start)))
    return found


def _warnings(owners, ids, start, end) -> dict[tuple[int, int, str], int]:
    """Warnings on approved rows, per indicator, organisation and quarter or year (joined on
    file row)."""
    where, params = _params(owners, ids, start, end)
    sql = f"""
        SELECT o.indicator_id, o.organisation_id, o.period_type, o.period_end, COUNT(w.id)
        FROM dashboards_observation o
        JOIN dashboards_upload u ON u.id = o.upload_id AND u.status = 'approved'
        JOIN dashboards_uploadissue w
          ON w.upload_id = o.upload_id AND w.row = o.row AND w.severity = 'warning'
        WHERE {where}
        GROUP BY o.indicator_id, o.organisation_id, o.period_type, o.period_end
    """  # noqa: S608 (placeholders only)
    result: dict[tuple[int, int, str], int] = defaultdict(int)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for indicator_id, organisation_id, kind, period_end, count in cursor.fetchall():
            # Keyed like `Delivery.quarter`: a month's or quarter's quarter, or a year.
            period = Period.of(_day(period_end), YEAR if kind == YEAR else QUARTER)
            result[(indicator_id, organisation_id, period.canonical)] += int(count)
    return result


def _day(value) -> datetime.date:
    """A date column (SQLite gives text)."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def delivery_overview(
    organisation: Organisation, today: datetime.date | None = None
) -> tuple[list[Period], list[tuple[Indicator, list[Delivery | None]]]]:
    """The delivery page: the organisation's indicators × the eight most recent quarters (the
    running one included), with cells and warnings; a yearly indicator has its year in the
    year's last quarter and nothing (None) in the others."""
    today = today or timezone.localdate()
    quarters = recent(QUARTER, today, 8)
    indicators = indicators_owned_by([organisation])
    found = deliveries(indicators=indicators, quarters=quarters, today=today, with_warnings=True)
    cells: dict[tuple[int, Period], Delivery] = {(d.indicator.pk, d.in_quarter): d for d in found}
    return quarters, [
        (indicator, [cells.get((indicator.pk, quarter)) for quarter in quarters])
        for indicator in indicators
    ]
