""" "Datakwaliteit": per organisation and quarter, how complete and how timely the deliveries were.

Completeness: of the indicators the organisation owns, how many have a complete quarter.
Timeliness: whether its first approved figures for the quarter arrived within
DELIVERY_DEADLINE_DAYS after the quarter ended.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Min, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboards.models import Frequency, Indicator, Upload
from dashboards.rebuild import series
from governance.models import Organisation
from ketenportaal.periods import Period

from . import charts
from .base import DASHBOARD_TEMPLATE, periods_of, render_dashboard
from .filters import DashboardFilterForm


def figures(
    *,
    chosen: Organisation | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> dict[str, Any]:
    """Completeness and timeliness per organisation and quarter, from the current builds."""
    rows = (
        series.current_points()
        .filter(frequency=Frequency.QUARTER, dimension_key="", organisation__isnull=False)
        .exclude(indicator__is_forecast=True)
    )
    if chosen:
        rows = rows.filter(organisation=chosen)
    if start:
        rows = rows.filter(period_start__gte=start)
    if end:
        rows = rows.filter(period_start__lte=end)
    grouped = list(
        rows.values("organisation__code", "organisation_id", "period")
        .annotate(
            delivered=Count("pk"),
            complete=Count("pk", filter=Q(complete=True)),
            first_upload=Min("first_upload_id"),
        )
        .order_by("organisation__code", "period")
    )
    owned = dict(
        Indicator.objects.active()
        .filter(is_forecast=False)
        .values("owner_id")
        .annotate(n=Count("pk"))
        .values_list("owner_id", "n")
    )
    uploaded = dict(
        Upload.objects.filter(
            pk__in=[g["first_upload"] for g in grouped if g["first_upload"]]
        ).values_list("pk", "uploaded_at")
    )
    deadline_days = settings.DELIVERY_DEADLINE_DAYS
    table, by_org = [], defaultdict(dict)
    late = 0
    for g in grouped:
        expected = max(owned.get(g["organisation_id"], 0), g["delivered"])
        percent = round(100 * g["complete"] / expected) if expected else 0
        first = uploaded.get(g["first_upload"])
        deadline = Period.parse(g["period"]).end + datetime.timedelta(days=deadline_days)
        on_time = first is not None and timezone.localdate(first) <= deadline
        late += not on_time
        by_org[g["organisation__code"]][g["period"]] = percent
        table.append(
            [
                g["organisation__code"],
                g["period"],
                g["complete"],
                expected,
                percent,
                timezone.localdate(first).isoformat() if first else "",
                deadline.isoformat(),
                _("op tijd") if on_time else _("te laat"),
            ]
        )
    periods = periods_of(*by_org.values())
    traces = [
        charts.line(x=periods, y=[values.get(p) for p in periods], name=code,
                    color=charts.PALETTE[i % len(charts.PALETTE)])
        for i, (code, values) in enumerate(sorted(by_org.items()))
    ]  # fmt: skip
    lay = charts.layout("%")
    lay["yaxis"]["range"] = [0, 105]
    chart = charts.table_chart(
        slug="kwaliteit",
        title=_("Volledigheid en tijdigheid van de aanleveringen per kwartaal"),
        summary=_("%(late)s van de %(n)s aanleveringen per organisatie en kwartaal kwamen te laat (termijn %(days)s dagen na het kwartaal).")
        % {"late": late, "n": len(table), "days": deadline_days},
        caption=_("Volledigheid (indicatoren met een volledig kwartaal) en tijdigheid per organisatie en kwartaal"),
        columns=[_("Organisatie"), _("Kwartaal"), _("Volledig"), _("Verwacht"), _("% volledig"),
                 _("Eerste aanlevering"), _("Uiterste datum"), _("Tijdigheid")],
        rows=table,
        traces=traces,
        layout=lay,
    )  # fmt: skip
    return {
        "charts": [chart],
        "built_at": series.built_at(),
    }


@login_required
def view(request: HttpRequest) -> HttpResponse:
    form = DashboardFilterForm(request.GET or None)

    def build() -> dict[str, Any]:
        start, end = form.period_range()
        return figures(chosen=form.values.get("organisation"), start=start, end=end)

    context = {
        "title": _("Datakwaliteit"),
        "intro": _(
            "Hoe volledig en hoe tijdig elke organisatie haar cijfers per kwartaal aanlevert."
        ),
        "form": form,
        "page": "quality",
    }
    return render_dashboard(request, DASHBOARD_TEMPLATE, context, build=build)
