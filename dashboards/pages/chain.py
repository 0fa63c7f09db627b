""" "Ketenbeeld": per quarter the chain from inflow to outflow, and the flows of one quarter."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import gettext as _

from dashboards.annotations.notes import notes_for
from dashboards.catalogue.labels import unit_label, value_label
from dashboards.models import Aggregation, Frequency, Indicator, Release
from dashboards.rebuild import series
from dashboards.suppression.marks import SUPPRESSED
from governance.models import Organisation
from ketenportaal.http import AuthenticatedHttpRequest

from . import charts
from .base import (
    indicators_by_code,
    lineage_link,
    per_series,
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
#: The indicators of the flow chart (its default quarter is their last complete one).
FLOWS = ("asylum_applications", "asylum_decisions", "departures")
#: Indicators whose dimensions the page offers as filters.
FILTERED = ("asylum_applications", "asylum_decisions", "departures")
#: The streams of the flow chart: each indicator split by one dimension of its own.
FLOW_DIMENSIONS = {
    "asylum_applications": "application_type",
    "asylum_decisions": "outcome",
    "departures": "departure_type",
}


def figures(
    indicators: dict[str, Indicator],
    *,
    organisation: Organisation | None = None,
    selection: dict[str, str] | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    quarter: str | None = None,
    viewer=None,
    release: Release | None = None,
) -> dict[str, Any]:
    """The page's charts from the current builds (or a release's), as `viewer` may see them
    (None: nobody in particular, small numbers suppressed): one per stage of the chain, and the
    flows of `quarter` (default: the latest quarter shown)."""
    selection = selection or {}
    rows = series.point_rows(
        indicators=list(indicators.values()),
        frequency=Frequency.QUARTER,
        viewer=viewer,
        organisation_id=organisation.pk if organisation else None,
        # Only the series shown: an indicator broken down by many dimensions holds thousands.
        dimension_keys=keys_shown(indicators, selection),
        start=start,
        end=end,
        release=release,
    )
    by_key = split_rows(rows)
    notes = notes_for(indicators.values(), start=start, end=end)
    chart_list: list[Chart] = []

    def link_to(code: str, key: str):
        return lineage_link(
            indicators[code],
            Frequency.QUARTER,
            organisation=organisation,
            dimension_key=key,
            release=release,
        )

    def add(slug, code, title, *, kind="bar", stacked=True, extra: tuple[str, ...] = ()):
        parts: list[tuple[str, dict]] = []
        links = []
        units: list[str] = []
        complete: dict[str, bool] = {}
        codes = [c for c in [code, *extra] if c in indicators]
        for c in codes:
            named, done = series_of(indicators[c], by_key, selection)
            parts += named
            links += [link_to(c, key) for _name, key in series_keys(indicators[c], selection)]
            units += [unit_label(indicators[c].unit)] * len(named)
            for p, ok in done.items():
                complete[p] = complete.get(p, True) and ok
        if len(set(units)) > 1:
            # Series in different units are named with theirs (persons against places).
            parts = [
                (f"{name} ({unit})", values)
                for (name, values), unit in zip(parts, units, strict=True)
            ]
        periods = periods_of(*[v for _n, v in parts])
        whole = by_key.get((indicators[code].pk, base_key(indicators[code], selection)), {})
        chart_list.append(
            charts.series_chart(
                slug=slug, title=title, unit=unit_label(indicators[code].unit), periods=periods,
                series=parts, complete=complete, kind=kind, stacked=stacked,
                period_label=_("Kwartaal"), units=units, overlapping=len(codes) > 1,
                stock=all(indicators[c].aggregation == Aggregation.LAST for c in codes),
                totals={p: SUPPRESSED if r["suppressed"] else r["value"] for p, r in whole.items()},
                link=per_series(links),
                notes=notes.per_period([indicators[c].pk for c in codes], periods),
            )
        )  # fmt: skip

    add("aanvragen", "asylum_applications", _("Asielaanvragen per soort"))
    add("beslissingen", "asylum_decisions", _("Beslissingen van de IND per uitkomst"))
    add(
        "openstaand",
        "asylum_pending",
        _("Openstaande asielaanvragen (stand aan het eind van het kwartaal)"),
        kind="line",
    )
    add(
        "opvang",
        "reception_occupancy",
        _("Bezetting van de opvang tegen de capaciteit"),
        kind="line",
        stacked=False,
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
    whole = complete_quarters(rows, [indicators[c].pk for c in FLOWS if c in indicators])
    if quarter not in quarters:
        # By default the last complete quarter, so the page never opens on a partial one.
        done = [q for q in quarters if q in whole]
        quarter = done[-1] if done else (quarters[-1] if quarters else "")
    flow_links = flows(indicators, by_key, quarter)
    flow_codes = [code for code in FLOWS if code in indicators]
    chart_list.append(
        charts.flow_chart(
            slug="stromen",
            title=_("Stromen door de keten in één kwartaal"),
            period=quarter or "-",
            links=[link[:4] for link in flow_links],
            note=flow_note(),
            complete=not quarter or quarter in whole,
            urls=[link_to(code, key)(quarter) if quarter else None
                  for *_shown, (code, key) in flow_links],
            notes=notes.labels([indicators[c].pk for c in flow_codes], quarter) if quarter else [],
        )
    )  # fmt: skip
    return {
        "charts": chart_list,
        "quarters": [
            (q, q if q in whole else _("%(quarter)s (onvolledig)") % {"quarter": q})
            for q in quarters
        ],
        "quarter": quarter,
        "built_at": series.built_at(list(indicators.values()), release=release),
        "release": release,
    }


def complete_quarters(rows: list[series.PointRow], indicator_ids: list[int]) -> set[str]:
    """The quarters whose figures of these indicators are all complete."""
    seen: dict[str, bool] = {}
    for row in rows:
        if row["indicator_id"] in indicator_ids:
            seen[row["period"]] = seen.get(row["period"], True) and bool(row["all_complete"])
    return {quarter for quarter, ok in seen.items() if ok}


def flow_note() -> str:
    return _(
        "Elk deel toont één stroom van dit kwartaal naar zijn samenstelling: de aanvragen naar "
        "soort, de beslissingen naar uitkomst en het vertrek naar soort. De delen zijn bewust "
        "niet verbonden: de beslissingen en het vertrek van een kwartaal gaan ook over aanvragen "
        "uit eerdere kwartalen, en zijn dus geen vervolg op de aanvragen van dit kwartaal."
    )


def base_key(indicator: Indicator, selection: dict[str, str]) -> str:
    """The key of the whole that a chart's series of `indicator` are the parts of."""
    return series.dimension_key(
        {d: v for d, v in selection.items() if d in indicator.dimensions and v}
    )


def keys_shown(indicators: dict[str, Indicator], selection: dict[str, str]) -> dict[int, list[str]]:
    """The dimension keys the page reads of each indicator: its charts' series, the whole they
    are the parts of, the total, and the parts of its stream in the flow chart. No other: the
    asylum applications, by type, nationality and route, hold thousands of series."""
    shown = {}
    for code, indicator in indicators.items():
        keys = {"", base_key(indicator, selection)}
        keys.update(key for _name, key in series_keys(indicator, selection))
        if (dimension := FLOW_DIMENSIONS.get(code)) is not None:
            values = indicator.dimensions.get(dimension, [])
            keys.update(series.dimension_key({dimension: v}) for v in values)
        shown[indicator.pk] = sorted(keys)
    return shown


def flows(
    indicators: dict[str, Indicator], by_key: dict, quarter: str
) -> list[tuple[str, str, object, str, tuple[str, str]]]:
    """The links of the flow chart: (from, to, value, unit, (indicator code, dimension key))
    in one quarter. Only flows of the same cohort: each stream split into its parts, never one
    stage linked to the next."""

    def value(code: str, key: str):
        indicator = indicators.get(code)
        if indicator is None:
            return None
        row = by_key.get((indicator.pk, key), {}).get(quarter)
        if row and row["suppressed"]:
            return SUPPRESSED
        return row["value"] if row else None

    def unit(code: str) -> str:
        return unit_label(indicators[code].unit) if code in indicators else ""

    links: list[tuple[str, str, object, str, tuple[str, str]]] = []
    streams = (
        ("asylum_applications", _("Asielaanvragen"), True),
        ("asylum_decisions", _("Beslissingen IND"), False),
        ("departures", _("Vertrek"), False),
    )
    for code, total, parts_flow_in in streams:
        if code not in indicators:
            continue
        dimension = FLOW_DIMENSIONS[code]
        for v in indicators[code].dimensions.get(dimension, []):
            key = f"{dimension}={v}"
            amount = value(code, key)
            if parts_flow_in:
                links.append((value_label(v), total, amount, unit(code), (code, key)))
            else:
                shown = f"{total}: {value_label(v).lower()}"
                links.append((total, shown, amount, unit(code), (code, key)))
    return links


@login_required
def view(request: AuthenticatedHttpRequest) -> HttpResponse:
    indicators = indicators_by_code(CHAIN)
    dims: dict[str, list[str]] = {}
    for code in FILTERED:
        if code in indicators:
            dims.update(indicators[code].dimensions)
    form = DashboardFilterForm(request.GET or None, dimensions=dims, release=True)

    def build() -> dict[str, Any]:
        start, end = form.period_range()
        return figures(
            indicators,
            organisation=form.values.get("organisation"),
            selection=form.selection(),
            start=start,
            end=end,
            quarter=request.GET.get("kwartaal"),
            viewer=request.user,
            release=form.values.get("release"),
        )

    context = {
        "title": _("Ketenbeeld"),
        "intro": _("Per kwartaal de keten van instroom tot uitstroom, uit goedgekeurde cijfers."),
        "form": form,
        "page": "chain",
    }
    return render_dashboard(request, "dashboards/chain.html", context, build=build)
