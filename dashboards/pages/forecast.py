""" "Prognose en realisatie": forecast scenarios against the realised applications per year."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import gettext as _

from dashboards.annotations.notes import notes_for
from dashboards.catalogue.labels import unit_label
from dashboards.models import Frequency, Indicator
from dashboards.rebuild import series
from governance.models import Organisation
from ketenportaal.http import AuthenticatedHttpRequest

from . import charts
from .base import (
    DASHBOARD_TEMPLATE,
    indicators_by_code,
    lineage_link,
    per_series,
    periods_of,
    render_dashboard,
    series_keys,
    series_of,
    split_rows,
)
from .filters import DashboardFilterForm

FORECAST = "forecast_asylum_inflow"
REALISED = "asylum_applications"


def figures(
    indicators: dict[str, Indicator],
    *,
    organisation: Organisation | None = None,
    selection: dict[str, str] | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> dict[str, Any]:
    """The scenarios of the forecast per year beside the realised figures."""
    prognosis, realised_indicator = indicators[FORECAST], indicators[REALISED]
    shown = series_keys(prognosis, selection or {})
    rows = series.point_rows(
        indicators=list(indicators.values()),
        frequency=Frequency.YEAR,
        organisation_id=organisation.pk if organisation else None,
        dimension_keys=sorted({"", *(key for _name, key in shown)}),
        start=start,
        end=end,
    )
    by_key = split_rows(rows)
    scenarios, forecast_complete = series_of(prognosis, by_key, selection or {})
    realised_rows = by_key.get((realised_indicator.pk, ""), {})
    realised = {p: row["value"] for p, row in realised_rows.items()}
    realised_complete = {p: bool(row["all_complete"]) for p, row in realised_rows.items()}
    complete = dict(forecast_complete)
    for p, ok in realised_complete.items():
        complete[p] = complete.get(p, True) and ok
    parts = [(_("Prognose %(scenario)s") % {"scenario": n.lower()}, v) for n, v in scenarios]
    parts.append((_("Gerealiseerd"), realised))
    links = [
        lineage_link(prognosis, Frequency.YEAR, organisation=organisation, dimension_key=key)
        for _name, key in shown
    ] + [lineage_link(realised_indicator, Frequency.YEAR, organisation=organisation)]
    periods = periods_of(*[v for _n, v in parts])
    notes = notes_for([prognosis, realised_indicator], start=start, end=end)
    chart = charts.series_chart(
        slug="prognose",
        title=_("Prognose en realisatie van de asielinstroom per jaar"),
        unit=unit_label(prognosis.unit),
        periods=periods,
        series=parts,
        complete=complete,
        kind="line",
        period_label=_("Jaar"),
        overlapping=True,  # scenarios and the realisation are alternatives, never a sum
        series_complete=[forecast_complete] * len(scenarios) + [realised_complete],
        link=per_series(links),
        notes=notes.per_period([prognosis.pk, realised_indicator.pk], periods),
    )
    return {"charts": [chart], "built_at": series.built_at(list(indicators.values()))}


@login_required
def view(request: AuthenticatedHttpRequest) -> HttpResponse:
    indicators = indicators_by_code([FORECAST, REALISED])
    form = DashboardFilterForm(request.GET or None, dimensions=indicators[FORECAST].dimensions)

    def build() -> dict[str, Any]:
        start, end = form.period_range()
        return figures(
            indicators,
            organisation=form.values.get("organisation"),
            selection=form.selection(),
            start=start,
            end=end,
        )

    context = {
        "title": _("Prognose en realisatie"),
        "intro": _(
            "De scenario's van de meerjarige productieprognose (MPP) naast de gerealiseerde "
            "asielaanvragen. Een lopend jaar is onvolledig."
        ),
        "form": form,
        "page": "forecast",
    }
    return render_dashboard(request, DASHBOARD_TEMPLATE, context, build=build)
