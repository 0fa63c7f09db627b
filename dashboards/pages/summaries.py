"""The one sentence above every chart: what a minister reads first, so it must not mislead.

The headline rule (issue 11):
- it names the latest *complete* period (every figure in it covers the whole period);
- it compares with the previous period and with the same period a year earlier, and only with a
  complete one: an incomplete figure is never set against a complete one;
- a later, incomplete period is named as such ("nog onvolledig"), without a comparison, and a
  stock of an incomplete quarter is the stand of its last month delivered, not its end;
- overlapping series (scenarios, occupancy against capacity) are never added up: each series'
  latest complete figure is given, in its own unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from dashboards.suppression.marks import is_suppressed
from ketenportaal.periods import Period


def number(value: Any) -> int | float | None:
    """A figure as shown and exported: whole numbers without decimals, others to one decimal;
    None for no figure, and for a suppressed one (never drawn, never counted)."""
    if value is None or is_suppressed(value):
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return round(float(value), 1)


def fmt(value: int | float | None) -> str:
    return "-" if value is None else number_format(value, use_l10n=True, force_grouping=True)


def summarise(
    periods: Sequence[str],
    series: list[tuple[str, dict[str, Any]]],
    unit: str,
    *,
    additive: bool = True,
    complete: dict[str, bool] | None = None,
    units: Sequence[str] | None = None,
    stock: bool = False,
    totals: dict[str, Any] | None = None,
) -> str:
    """One sentence in words (see the module docstring). `complete` says per period whether it is
    complete (default: all are); `units` gives each series its own unit (default: `unit`).
    Where a part is suppressed (small-number suppression) the parts add up to less than the
    whole: the period's figure is then its total from `totals`, or there is none."""
    if not periods:
        return _("Er zijn nog geen goedgekeurde cijfers voor deze selectie.")
    complete = complete or {}
    units = list(units) if units else [unit] * len(series)

    def is_complete(period: str) -> bool:
        return complete.get(period, True)

    if not additive:
        return _overlapping(periods, series, units, is_complete)

    def total(period: str) -> int | float | None:
        if any(is_suppressed(values.get(period)) for _n, values in series):
            return number((totals or {}).get(period))
        values = [number(values.get(period)) for _n, values in series]
        present = [v for v in values if v is not None]
        return sum(present) if present else None

    shown = [p for p in periods if total(p) is not None]
    if not shown:
        return _("Er zijn nog geen goedgekeurde cijfers voor deze selectie.")
    done = [p for p in shown if is_complete(p)]
    tail = ""
    if not is_complete(shown[-1]):
        tail = " " + _incomplete_note(shown[-1], fmt(total(shown[-1])), unit, stock=stock)
    if not done:
        return (
            _("Er is nog geen volledige periode.") + tail
            if tail
            else _("Er is nog geen volledige periode.")
        )
    last = done[-1]
    value = total(last)
    comparisons = []
    period = Period.parse(last)
    if period is not None:
        for earlier in _unique([period.previous(), period.a_year_earlier()]):
            before = earlier.canonical
            if before in shown and is_complete(before):
                comparisons.append(_change(value, total(before), before))
    comparisons = [c for c in comparisons if c]
    if comparisons:
        head = _("In %(period)s: %(value)s %(unit)s, %(changes)s.") % {
            "period": last,
            "value": fmt(value),
            "unit": unit,
            "changes": _(" en ").join(comparisons),
        }
    else:
        head = _("In %(period)s: %(value)s %(unit)s.") % {
            "period": last,
            "value": fmt(value),
            "unit": unit,
        }
    return head + tail


def _unique(periods: list[Period]) -> list[Period]:
    seen: list[Period] = []
    for period in periods:
        if period not in seen:
            seen.append(period)
    return seen


def _change(value: int | float | None, before: int | float | None, period: str) -> str:
    if value is None or before in (None, 0):
        return ""
    assert before is not None
    change = round((value - before) / before * 100)
    if change == 0:
        return _("evenveel als in %(period)s") % {"period": period}
    direction = _("meer") if change > 0 else _("minder")
    return _("%(change)s%% %(direction)s dan in %(period)s") % {
        "change": abs(change),
        "direction": direction,
        "period": period,
    }


def _incomplete_note(period: str, value: str, unit: str, *, stock: bool) -> str:
    if stock:
        return _(
            "%(period)s is nog onvolledig: %(value)s %(unit)s is de stand van de laatst "
            "aangeleverde maand, niet van het einde van de periode."
        ) % {"period": period, "value": value, "unit": unit}
    return _(
        "%(period)s is nog onvolledig (%(value)s %(unit)s, nog niet alle maanden) en wordt niet "
        "vergeleken."
    ) % {"period": period, "value": value, "unit": unit}


def _overlapping(periods, series, units, is_complete) -> str:
    """Each series' latest complete figure, in its own unit; never their sum."""
    latest = []
    for (name, values), unit in zip(series, units, strict=True):
        present = [p for p in periods if number(values.get(p)) is not None and is_complete(p)]
        if present:
            latest.append((name, fmt(number(values[present[-1]])), unit, present[-1]))
    one_unit = len(set(units)) == 1
    if one_unit:
        text = _("Laatste volledige cijfers in %(unit)s: %(list)s.") % {
            "unit": units[0] if units else "",
            "list": "; ".join(
                _("%(name)s %(value)s (%(period)s)")
                % {"name": name, "value": value, "period": period}
                for name, value, _u, period in latest
            )
            or "-",
        }
    else:
        text = _("Laatste volledige cijfers: %(list)s.") % {
            "list": "; ".join(
                _("%(name)s %(value)s %(unit)s (%(period)s)")
                % {"name": name, "value": value, "unit": unit, "period": period}
                for name, value, unit, period in latest
            )
            or "-"
        }
    text += " " + _("Deze reeksen overlappen en worden niet opgeteld.")
    if not is_complete(periods[-1]):
        text += " " + _("%(period)s is nog onvolledig.") % {"period": periods[-1]}
    return text
