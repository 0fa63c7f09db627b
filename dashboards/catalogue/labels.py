"""Labels of the catalogue's codes in the user's language: dimensions, their values and units.

Pages, exports, reports and the diff view show these, never the codes. An indicator carries
the Dutch and English labels of its own dimensions and values (`Indicator.dimension_labels`,
maintained in the portal); the translated tables below are what a page falls back on when it
has only a code (and for an indicator whose labels are not filled in).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from dashboards.models import Indicator

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

#: The units an indicator may have (the catalogue's pages and API offer these).
UNIT_LABELS = {
    "persons": _("personen"),
    "decisions": _("beslissingen"),
    "applications": _("aanvragen"),
    "days": _("dagen"),
    "places": _("plaatsen"),
    "cases": _("zaken"),
    "percent": _("procent"),
}


def in_language(entry: Mapping[str, Any] | None) -> str:
    """The entry's `label_en` in an English request (when filled in), else its `label_nl`."""
    if not entry:
        return ""
    if (get_language() or "nl").startswith("en") and entry.get("label_en"):
        return str(entry["label_en"])
    return str(entry.get("label_nl") or "")


def _dimension_entry(indicator: Indicator | None, dimension: str) -> Mapping[str, Any]:
    if indicator is None:
        return {}
    entry = (indicator.dimension_labels or {}).get(dimension)
    return entry if isinstance(entry, Mapping) else {}


def dimension_label(dimension: str, indicator: Indicator | None = None) -> str:
    """A dimension's name in the user's language: the indicator's own label, else the table's."""
    own = in_language(_dimension_entry(indicator, dimension))
    return own or str(DIMENSION_LABELS.get(dimension, dimension))


def value_label(value: str, indicator: Indicator | None = None, dimension: str = "") -> str:
    """A dimension value in the user's language. With the indicator (and dimension), the
    indicator's own label; without, the table's; the code only when neither knows it."""
    if indicator is not None:
        values = _dimension_entry(indicator, dimension).get("values") or {}
        if not dimension:
            for entry in (indicator.dimension_labels or {}).values():
                if isinstance(entry, Mapping) and value in (entry.get("values") or {}):
                    values = entry["values"]
                    break
        own = in_language(values.get(value))
        if own:
            return own
    return str(VALUE_LABELS.get(value, value))


def value_choices(indicator: Indicator, dimension: str) -> list[tuple[str, str]]:
    """(code, label) of each value of one of the indicator's dimensions, in catalogue order."""
    return [
        (value, value_label(value, indicator, dimension))
        for value in (indicator.dimensions or {}).get(dimension, [])
    ]


def labelled_dimensions(indicator: Indicator) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The indicator's dimensions for a page: (code, label, [(value code, value label), …])."""
    return [
        (name, dimension_label(name, indicator), value_choices(indicator, name))
        for name in (indicator.dimensions or {})
    ]


def unit_label(unit: str) -> str:
    return str(UNIT_LABELS.get(unit, unit))


def unit_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in UNIT_LABELS.items()]


def value_aliases(indicator: Indicator) -> dict[str, dict[str, str]]:
    """Per dimension, every way an upload may name a value — its code, its Dutch and its English
    label, lower-cased — mapped to the value's code (what validation stores). Labels the
    catalogue's service has checked to be unambiguous within their dimension."""
    aliases: dict[str, dict[str, str]] = {}
    for name, values in (indicator.dimensions or {}).items():
        labels = _dimension_entry(indicator, name).get("values") or {}
        mapping: dict[str, str] = {}
        for value in values:
            entry = labels.get(value) or {}
            for alias in (entry.get("label_nl"), entry.get("label_en")):
                if alias:
                    mapping.setdefault(str(alias).strip().lower(), value.lower())
            mapping[value.lower()] = value.lower()  # the code always wins
        aliases[name] = mapping
    return aliases


def key_label(dimension_key: str, indicator: Indicator | None = None) -> str:
    """A stored cell's dimension key (`outcome=granted;region=north`) as a reader sees it:
    "Uitkomst: Ingewilligd, Regio: Noord" (in the user's language); "" for no dimensions."""
    parts = []
    for pair in filter(None, (dimension_key or "").split(";")):
        name, _sep, value = pair.partition("=")
        parts.append(f"{dimension_label(name, indicator)}: {value_label(value, indicator, name)}")
    return ", ".join(parts)
