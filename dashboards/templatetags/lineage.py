"""`{% lineage_url indicator frequency period dimension_key=… organisation=… %}`: the address of
a figure's lineage page in a template, made by the one link builder the dashboards use
(`dashboards.pages.base.lineage_link`)."""

from __future__ import annotations

from django import template

from dashboards.models import Indicator
from dashboards.pages.base import lineage_link
from governance.models import Organisation

register = template.Library()


@register.simple_tag
def lineage_url(
    indicator: Indicator,
    frequency: str,
    period: str,
    dimension_key: str = "",
    organisation: Organisation | None = None,
) -> str:
    return lineage_link(
        indicator, frequency, organisation=organisation, dimension_key=dimension_key
    )(period)
