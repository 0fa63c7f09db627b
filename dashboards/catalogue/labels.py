"""Labels of the catalogue's codes in the user's language: dimensions, their values and units.

Pages, exports, reports and the diff view show these, never the codes.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DIMENSION_LABELS = {
    "application_type": _("Soort aanvraag"),
    "outcome": _("Uitkomst"),
    "departure_type": _("Soort vertrek"),
    "source": _("Herkomst"),
    "scenario": _("Scenario"),
}
VALUE_LABELS = {
    "first": _("Eerste aanvraag"),
    "follow_up": _("Opvolgende aanvraag"),
    "family_reunification": _("Nareis"),
    "granted": _("Ingewilligd"),
    "rejected": _("Afgewezen"),
    "other": _("Overig"),
    "independent": _("Zelfstandig"),
    "forced": _("Gedwongen"),
    "unsupervised": _("Met onbekende bestemming"),
    "ind": _("IND"),
    "police": _("Politie"),
    "kmar": _("KMar"),
    "low": _("Laag"),
    "expected": _("Verwacht"),
    "high": _("Hoog"),
}


def value_label(value: str) -> str:
    return str(VALUE_LABELS.get(value, value))


UNIT_LABELS = {
    "persons": _("personen"),
    "decisions": _("beslissingen"),
    "applications": _("aanvragen"),
    "days": _("dagen"),
    "places": _("plaatsen"),
}


def unit_label(unit: str) -> str:
    return str(UNIT_LABELS.get(unit, unit))
