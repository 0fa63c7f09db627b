"""Filters for report templates, which are rendered from stored JSON (dates as ISO text)."""

import datetime
from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def isodate(value: str | None) -> datetime.date | datetime.datetime | None:
    """'2026-03-31' or an ISO timestamp → a date or datetime, for the `date` filter."""
    if not value:
        return None
    try:
        if "T" in value:
            return datetime.datetime.fromisoformat(value)
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


@register.filter
def number(value) -> str:
    """A figure in Dutch notation: 12.345 and 1.234,5 (no trailing zeros)."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    amount = (
        amount.quantize(Decimal("0.1"))
        if amount != amount.to_integral()
        else amount.quantize(Decimal("1"))
    )
    whole, _, fraction = f"{abs(amount):f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = ".".join(groups) + ("," + fraction if fraction else "")
    return ("-" if amount < 0 else "") + text
