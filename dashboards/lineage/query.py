"""Reading a lineage request: the series query (indicator, frequency, organisation, dimension
values, release) plus the one period it asks about, and its cells. Shared by the page and the
API."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import exceptions

from dashboards.models import Indicator, Release, dimensions_of, split_series_key
from dashboards.rebuild.api import parse_release, parse_series_query
from governance.models import Organisation
from ketenportaal.periods import Period

from .cells import Cell, lineage


@dataclass(frozen=True)
class LineageQuery:
    indicator: Indicator
    frequency: str
    period: Period
    organisation: Organisation | None
    selection: dict[str, str]
    #: A forecast's round ("" for every other indicator): the cells of that round only.
    round: str = ""
    #: The figure as this release froze it (`&release=ID`); None: the current figure.
    release: Release | None = None


def parse_lineage_query(params: QueryDict) -> LineageQuery:
    """`?indicator=…&frequency=…&period=…[&organisation=…][&release=ID][&DIM=VALUE]`; a
    ValidationError with a message in the user's language for anything else."""
    rest = params.copy()
    text = rest.pop("period", [""])[0]
    release = parse_release(rest)
    indicator, frequency, organisation, key = parse_series_query(rest)
    period = Period.parse(text)
    if period is None or period.type != frequency:
        raise exceptions.ValidationError(
            {
                "period": [
                    _("Geef een periode van de gekozen frequentie, bijvoorbeeld %(example)s.")
                    % {"example": {"month": "2024-03", "quarter": "2024-Q1"}.get(frequency, "2024")}
                ]
            }
        )
    round_, dimension_key = split_series_key(key)
    return LineageQuery(
        indicator, frequency, period, organisation, dimensions_of(dimension_key), round_, release
    )


def cells_of(query: LineageQuery, user) -> list[Cell]:
    """The cells behind the figure a lineage request asks about, as `user` may see them."""
    return lineage(
        indicator=query.indicator,
        period=query.period,
        organisation=query.organisation,
        selection=query.selection,
        round_=query.round,
        user=user,
        release=query.release,
    )
