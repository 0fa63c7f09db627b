"""The demo's duiding: two explanations of figures, written by regie through the service."""

from __future__ import annotations

from django.utils import timezone

from dashboards.annotations.services import add_annotation
from dashboards.models import Indicator
from ketenportaal.periods import QUARTER, last_complete

TEXTS = [
    ("reception_occupancy", 0, "Ter Apel overvol: noodopvang buiten de reguliere capaciteit."),
    ("asylum_applications", 4, "Definitiewijziging: nareis wordt sinds dit kwartaal apart geteld."),
]


def build(*, by) -> int:
    quarter = last_complete(QUARTER, timezone.localdate())
    made = 0
    for code, quarters_back, text in TEXTS:
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is not None:
            add_annotation(
                by=by,
                indicator=indicator,
                period=quarter.shifted(-quarters_back).canonical,
                text=text,
            )
            made += 1
    return made
