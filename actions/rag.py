"""The RAG rule of a milestone (red, amber, green), written once.

The rule is a list of conditions, each a Django `Q` over a milestone's own fields, tried in order;
the first that holds gives the colour. The database annotation (`MilestoneQuerySet.with_rag`)
turns the list into one `CASE WHEN`; Python (`Milestone.rag_on`, the report's reconstruction of
an earlier date, the home pages) evaluates the same `Q` objects on a milestone's values with
`matches`. So the page, the API filter and the report cannot disagree: there is no second copy.

In words, for the board (also shown on the milestone pages):
- red: the deadline has passed and the milestone is not done, or it is at risk with its
  deadline within `RAG_AMBER_DAYS` days;
- amber: the deadline is within `RAG_AMBER_DAYS` days (default 14) and it is not done, or it is
  at risk;
- green: otherwise (done, or on course); a milestone done after its deadline stays green but is
  marked "te laat gereed", so done late never reads as done on time;
- cancelled milestones have no colour.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Rag(models.TextChoices):
    """Red/amber/green, always derived from a milestone's state and a date, never stored."""

    RED = "red", _("Rood")
    AMBER = "amber", _("Oranje")
    GREEN = "green", _("Groen")
    NONE = "none", _("N.v.t.: geannuleerd")


# The statuses, spelled here so that this module needs nothing of the models (the models use it).
CANCELLED = "cancelled"
DONE = "done"


@dataclass(frozen=True)
class RagRule:
    """One line of the rule: when `condition` holds (and no earlier line did), the colour."""

    rag: Rag
    condition: Q
    explanation: Promise


def amber_days() -> int:
    """How many days before its deadline an unfinished milestone turns amber (setting)."""
    return int(getattr(settings, "RAG_AMBER_DAYS", 14))


def rules(today: datetime.date, days: int | None = None) -> list[RagRule]:
    """The rule as of `today`, in the order it is applied."""
    days = amber_days() if days is None else days
    soon = today + datetime.timedelta(days=days)
    return [
        RagRule(Rag.NONE, Q(status=CANCELLED), _("Geannuleerd: geen kleur.")),
        RagRule(Rag.GREEN, Q(status=DONE), _("Gereed: groen (te laat gereed wordt vermeld).")),
        RagRule(Rag.RED, Q(due_date__lt=today), _("Rood: de deadline is verstreken.")),
        RagRule(
            Rag.RED,
            Q(at_risk=True, due_date__lte=soon),
            _("Rood: risico gemeld en de deadline valt binnen %(days)s dagen."),
        ),
        RagRule(Rag.AMBER, Q(at_risk=True), _("Oranje: risico gemeld.")),
        RagRule(
            Rag.AMBER,
            Q(due_date__lte=soon),
            _("Oranje: de deadline valt binnen %(days)s dagen en de mijlpaal is niet gereed."),
        ),
    ]


#: When no line of the rule holds.
DEFAULT = Rag.GREEN
DEFAULT_EXPLANATION = _("Groen: op koers.")

#: Done after the deadline: a fact shown beside the colour.
DONE_LATE = Q(status=DONE, completed_on__gt=F("due_date"))


def explained(today: datetime.date, days: int | None = None) -> list[tuple[Rag, str]]:
    """The rule in words, line by line (for the page that documents it)."""
    days = amber_days() if days is None else days
    lines = [(rule.rag, str(rule.explanation) % {"days": days}) for rule in rules(today, days)]
    return [*lines, (DEFAULT, str(DEFAULT_EXPLANATION))]


def annotation(today: datetime.date, days: int | None = None) -> Case:
    """The rule as one SQL expression (`CASE WHEN … END`)."""
    return Case(
        *[When(rule.condition, then=Value(rule.rag.value)) for rule in rules(today, days)],
        default=Value(DEFAULT.value),
        output_field=models.CharField(),
    )


def done_late_annotation() -> Case:
    return Case(
        When(DONE_LATE, then=Value(True)),
        default=Value(False),
        output_field=models.BooleanField(),
    )


def rag_of(values: Mapping[str, Any], today: datetime.date, days: int | None = None) -> Rag:
    """The rule in Python on a milestone's values (a dict, or `vars()` of a milestone)."""
    for rule in rules(today, days):
        if matches(rule.condition, values):
            return rule.rag
    return DEFAULT


def is_done_late(values: Mapping[str, Any]) -> bool:
    return matches(DONE_LATE, values)


# ---------------------------------------------------------------- Q in Python

_LOOKUPS: dict[str, Callable[[Any, Any], bool]] = {
    "exact": operator.eq,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
    "in": lambda a, b: a in b,
}


def matches(condition: Q, values: Mapping[str, Any]) -> bool:
    """Whether `values` satisfy `condition`, as SQL would decide it for one row.

    Supports what the rule uses: `field`, `field__lt|lte|gt|gte|in`, `F("other")` on the right,
    AND/OR and negation. A comparison with NULL (None) is false, as in SQL.
    """
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(matches(child, values))
            continue
        if not isinstance(child, tuple):
            raise ValueError(f"condition {child!r} is not supported by the RAG rule")
        lookup, expected = child
        field, _sep, kind = lookup.partition("__")
        kind = kind or "exact"
        if kind not in _LOOKUPS or "__" in kind:
            raise ValueError(f"lookup {lookup!r} is not supported by the RAG rule")
        if isinstance(expected, F):
            expected = values.get(str(expected.deconstruct()[1][0]))
        actual = values.get(field)
        results.append(
            actual is not None and expected is not None and _LOOKUPS[kind](actual, expected)
        )
    result = all(results) if condition.connector == Q.AND else any(results)
    return not result if condition.negated else result
