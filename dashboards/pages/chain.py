""" "Ketenbeeld": per quarter the chain from inflow to outflow, and the flows of one quarter."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import gettext as _

from dashboards.catalogue.labels import unit_label, value_label
from dashboards.models import Frequency, Indicator
from dashboards.rebuild import series
from governance.models import Organisation
from ketenportaal.http import AuthenticatedHttpRequest

from . import charts
from .base import (
    indicators_by_code,
    periods_of,
    render_dashboard,
    series_keys,
    series_of,
    split_rows,
)
from .charts import Chart
from .filters import DashboardFilterForm

#: The indicators of the chain picture, from inflow to outflow.
CHAIN = [
    "asylum_applications",
    "asylum_decisions",
    "asylum_pending",
    "reception_occupancy",
    "reception_capacity",
    "reception_status_holders",
    "departures",
]
#: Indicators whose dimensions the page offers as filters.
FILTERED = ("asylum_applications", "asylum_decisions", "departures")


def figures(
    indicators: dict[str, Indicator],
    *,
    organisation: Organisation | None = None,
    selection: dict[str, str] | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    quarter: str | None = None,
) -> dict[str, Any]:
    """The page's charts from the current builds: one per stage of the chain, and the flows of
    `quarter` (default: the latest quarter shown)."""
    selection = selection or {}
    rows = series.point_rows(
        indicators=list(indicators.values()),
        frequency=Frequency.QUARTER,
        organisation_id=organisation.pk if organisation else None,
        # Only the series shown: an indicator broken down by many dimensions holds thousands.
        dimension_keys=keys_shown(indicators, selection),
        start=start,
        end=end,
    )
    by_key = split_rows(rows)
    chart_list: list[Chart] = []

    def add(slug, code, title, *, kind="bar", stacked=True, extra: tuple[str, ...] = ()):
        parts: list[tuple[str, dict]] = []
        complete: dict[str, bool] = {}
        for c in [code, *extra]:
            if c not in indicators:
                continue
            named, done = series_of(indicators[c], by_key, selection)
            parts += named
            for p, ok in done.items():
                complete[p] = complete.get(p, True) and ok
        periods = periods_of(*[v for _n, v in parts])
        chart_list.append(
            charts.series_chart(
                slug=slug, title=title, unit=unit_label(indicators[code].unit), periods=periods,
                series=parts, complete=complete, kind=kind, stacked=stacked,
                period_label=_("Kwartaal"),
            )
        )  # fmt: skip

    add("aanvragen", "asylum_applications", _("Asielaanvragen per soort"))
    add("beslissingen", "asylum_decisions", _("Beslissingen van de IND per uitkomst"))
    add(
        "openstaand",
        "asylum_pending",
        _("Openstaande asielaanvragen (stand einde kwartaal)"),
        kind="line",
    )
    add(
        "opvang",
        "reception_occupancy",
        _("Bezetting van de opvang tegen de capaciteit"),
        kind="line",
        extra=("reception_capacity",),
    )
    add(
        "vergunninghouders",
        "reception_status_holders",
        _("Vergunninghouders in de opvang"),
        kind="line",
    )
    add("vertrek", "departures", _("Vertrek per soort"))

    quarters = sorted({row["period"] for row in rows})
    quarter = quarter if quarter in quarters else (quarters[-1] if quarters else "")
    chart_list.append(
        charts.flow_chart(
            slug="stromen",
            title=_("Stromen door de keten in één kwartaal"),
            period=quarter or "-",
            links=flows(indicators, by_key, quarter),
        )
    )
    return {
        "charts": chart_list,
        "quarters": quarters,
        "quarter": quarter,
        "built_at": series.built_at(list(indicators.values())),
    }


def keys_shown(indicators: dict[str, Indicator], selection: dict[str, str]) -> list[str]:
    """The dimension keys the page reads: its charts' series, the totals, and every value of one
    dimension (the flow chart's)."""
    keys = {""}
    for indicator in indicators.values():
        keys.update(key for _name, key in series_keys(indicator, selection))
        for dimension, values in indicator.dimensions.items():
            keys.update(series.dimension_key({dimension: v}) for v in values)
    return sorted(keys)


def flows(
    indicators: dict[str, Indicator], by_key: dict, quarter: str
) -> list[tuple[str, str, object]]:
    """The links of the flow chart: (from, to, value) in one quarter."""

    def value(code: str, key: str):
        indicator = indicators.get(code)
        if indicator is None:
            return None
        row = by_key.get((indicator.pk, key), {}).get(quarter)
        return row["value"] if row else None

    links = []
    applications = _("Asielaanvragen")
    decisions = _("Beslissingen IND")
    for v in indicators["asylum_applications"].dimensions.get("application_type", []):
        links.append(
            (value_label(v), applications, value("asylum_applications", f"application_type={v}"))
        )
    links.append((applications, decisions, value("asylum_decisions", "")))
    for v in indicators["asylum_decisions"].dimensions.get("outcome", []):
        links.append((decisions, value_label(v), value("asylum_decisions", f"outcome={v}")))
    departures = _("Vertrek")
    links.append((value_label("rejected"), departures, value("departures", "")))
    for v in indicators["departures"].dimensions.get("departure_type", []):
        links.append(
            (
                departures,
                f"{departures}: {value_label(v).lower()}",
                value("departures", f"departure_type={v}"),
            )
        )
    return links


@login_required
def view(request: AuthenticatedHttpRequest) -> HttpResponse:
    indicators = indicators_by_code(CHAIN)
    dims: dict[str, list[str]] = {}
    for code in FILTERED:
        if code in indicators:
            dims.update(indicators[code].dimensions)
    form = DashboardFilterForm(request.GET or None, dimensions=dims)

    def build() -> dict[str, Any]:
        start, end = form.period_range()
        return figures(
            indicators,
            organisation=form.values.get("organisation"),
            selection=form.selection(),
            start=start,
            end=end,
            quarter=request.GET.get("kwartaal"),
        )

    context = {
        "title": _("Ketenbeeld"),
        "intro": _("Per kwartaal de keten van instroom tot uitstroom, uit goedgekeurde cijfers."),
        "form": form,
        "page": "chain",
    }
    return render_dashboard(request, "dashboards/chain.html", context, build=build)
