""" "Per organisatie": the indicators an organisation delivers, over time."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import gettext as _

from dashboards.annotations.notes import notes_for
from dashboards.catalogue.labels import unit_label
from dashboards.models import Frequency, Indicator, Release
from dashboards.rebuild import series
from governance.accounts import roles
from governance.models import Organisation
from ketenportaal.http import AuthenticatedHttpRequest

from . import charts
from .base import DASHBOARD_TEMPLATE, lineage_link, per_series, render_dashboard, split_rows
from .filters import DashboardFilterForm


def figures(
    organisation: Organisation,
    *,
    frequency: str = Frequency.QUARTER,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    viewer=None,
    release: Release | None = None,
) -> dict[str, Any]:
    """One chart per active indicator the organisation owns: its own totals over time, now or
    as a release froze them (totals, which small-number suppression never hides; `viewer` is
    who reads them)."""
    indicators = list(Indicator.objects.filter(owner=organisation).active())
    rows = series.point_rows(
        indicators=indicators,
        frequency=frequency,
        viewer=viewer,
        organisation_id=organisation.pk,
        dimension_keys=[""],
        start=start,
        end=end,
        release=release,
    )
    by_key = split_rows(rows)
    notes = notes_for(indicators, start=start, end=end)
    chart_list = []
    for indicator in indicators:
        cells = by_key.get((indicator.pk, ""), {})
        values_by_period = {p: row["value"] for p, row in cells.items()}
        complete = {p: bool(row["all_complete"]) for p, row in cells.items()}
        link = lineage_link(indicator, frequency, organisation=organisation, release=release)
        chart_list.append(
            charts.series_chart(
                slug=indicator.code,
                title=indicator.display_label,
                unit=unit_label(indicator.unit),
                periods=sorted(values_by_period),
                series=[(_("Totaal"), values_by_period)],
                complete=complete,
                kind="line" if indicator.aggregation != "sum" else "bar",
                stock=indicator.aggregation == "last",
                link=per_series([link]),
                notes=notes.per_period([indicator.pk], values_by_period),
            )
        )
    return {
        "charts": chart_list,
        "built_at": series.built_at(indicators, release=release),
        "release": release,
    }


@login_required
def view(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = request.GET.copy()
    if not data.get("organisation"):
        own = roles.organisation_of(request.user)
        data["organisation"] = own.code if own and own.code != "JENV" else "IND"
    form = DashboardFilterForm(data, organisation_required=True, frequency=True, release=True)
    values = form.values
    chosen = values.get("organisation") or Organisation.objects.get(code="IND")
    frequency = values.get("frequentie") or Frequency.QUARTER
    start, end = form.period_range()
    context = {
        "title": _("Per organisatie"),
        "intro": _("De indicatoren van %(organisation)s door de tijd.")
        % {"organisation": chosen.display_name},
        "form": form,
        "page": "organisation",
        "cache_extra": (chosen.pk, frequency),
    }
    return render_dashboard(
        request,
        DASHBOARD_TEMPLATE,
        context,
        build=lambda: figures(
            chosen,
            frequency=frequency,
            start=start,
            end=end,
            viewer=request.user,
            release=values.get("release"),
        ),
    )
