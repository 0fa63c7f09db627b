"""The report's deliveries: per organisation, how its figures for the last two quarters that
ended by the report's date were delivered, judged by the one rule (`dashboards.uploads.
deliveries`) on the report's date with only the uploads approved by then, so the report says
what Datakwaliteit and the delivery page said that day. Four queries, whatever the number of
indicators."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from typing import Any

from dashboards.uploads import deliveries as rule
from governance.models import Organisation
from ketenportaal.periods import QUARTER, last_complete


def delivery_section(date: datetime.date, cutoff: datetime.datetime) -> dict[str, Any]:
    """{quarters, organisations: [{code, name, counts: {status: n}, problems: [...]}]}; the
    problems are the late and missing deliveries (indicator label, period, due and delivered
    days in ISO)."""
    last = last_complete(QUARTER, date)
    quarters = [last.previous(), last]
    organisations = list(Organisation.objects.filter(indicators__isnull=False).distinct())
    found = rule.deliveries(
        indicators=rule.indicators_owned_by(organisations),
        quarters=quarters,
        today=date,
        as_of=cutoff,
    )
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    problems: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for delivery in found:
        counts[delivery.organisation_id][delivery.status] += 1
        if delivery.status in (rule.LATE, rule.MISSING):
            problems[delivery.organisation_id].append(
                {
                    "indicator": delivery.indicator.display_label,
                    "period": delivery.period.canonical,
                    "status": delivery.status,
                    "status_label": delivery.status_label,
                    "due_on": delivery.due_on.isoformat(),
                    "first_delivered_on": (
                        delivery.first_delivered_on.isoformat()
                        if delivery.first_delivered_on
                        else None
                    ),
                }
            )
    return {
        "quarters": [q.canonical for q in quarters],
        "statuses": [
            {"status": status, "label": str(rule.STATUS_LABELS[status])} for status in rule.STATUSES
        ],
        "organisations": [
            {
                "code": organisation.code,
                "name": organisation.name,
                "counts": [counts[organisation.pk].get(status, 0) for status in rule.STATUSES],
                "problems": problems[organisation.pk],
            }
            for organisation in sorted(organisations, key=lambda o: o.code)
            if counts[organisation.pk]
        ],
    }
