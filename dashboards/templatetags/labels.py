"""Labels, never codes: the one set of template filters that shows the catalogue's dimensions,
their values, units and the kinds of validation findings in the user's language. Loaded as a
builtin (settings.TEMPLATES), so every template, e-mail and report can use them."""

from __future__ import annotations

from django import template

from dashboards.catalogue.labels import DIMENSION_LABELS, unit_label, value_label
from dashboards.models.uploads import dimensions_of
from dashboards.uploads.issue_kinds import issue_label

register = template.Library()

register.filter("unit_label", unit_label)
register.filter("value_label", value_label)
register.filter("issue_label", issue_label)


@register.filter
def dimension_label(name: str) -> str:
    return str(DIMENSION_LABELS.get(name, name))


@register.filter
def dimensions_label(dimension_key: str) -> str:
    """'application_type=first;source=ind' → 'Soort aanvraag: Eerste aanvraag; Herkomst: IND'."""
    return "; ".join(
        f"{dimension_label(name)}: {value_label(value)}"
        for name, value in dimensions_of(dimension_key or "").items()
    )
