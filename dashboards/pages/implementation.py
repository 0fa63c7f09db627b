""" "Implementatievoortgang": milestones by status, burn-up over time, overdue per organisation."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import Milestone
from actions.progress import current_progress, perspectives_with_counts, themes_with_counts
from dashboards.models import ProgressKind, Rebuild
from dashboards.rebuild import series
from governance.models import Organisation
from ketenportaal.http import AuthenticatedHttpRequest
from ketenportaal.periods import MONTH, Period

from . import charts
from .base import DASHBOARD_TEMPLATE, render_dashboard
from .filters import DashboardFilterForm


def _month_ends(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The last day of every month from `first` to `last` (`last` itself for its month)."""
    month, days = Period.of(first, MONTH), []
    while month.start <= last:
        days.append(min(month.end, last))
        month = month.next()
    return days


def figures(
    *,
    chosen: Organisation | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    today: datetime.date | None = None,
) -> dict[str, Any]:
    """Milestones per theme and perspective by status (live), the burn-up of the last rebuild,
    and the milestones over the deadline per organisation (live)."""
    today = today or timezone.localdate()
    chart_list = []

    # The same counts as the overview and the report (actions.progress), follow-ups included.
    counted = current_progress(chosen)
    for kind, groups, title in (
        ("thema", themes_with_counts(counted), _("Mijlpalen per thema naar status")),
        ("perspectief", perspectives_with_counts(counted),
         _("Mijlpalen per handelingsperspectief naar status")),
    ):  # fmt: skip
        statuses = [
            (_("Gepland"), "n_planned"),
            (_("In uitvoering"), "n_in_progress"),
            (_("Gereed"), "n_done"),
            (_("Geannuleerd"), "n_cancelled"),
        ]
        labels = [str(g) for g in groups]
        traces = [
            charts.bar(y=labels, x=[getattr(g, attr) for g in groups], name=name, orientation="h",
                       color=charts.PALETTE[i])
            for i, (name, attr) in enumerate(statuses)
        ]  # fmt: skip
        lay = charts.layout(stacked=True)
        lay.update(
            height=140 + 34 * len(groups),
            xaxis={"title": {"text": ""}, "ticks": "outside"},
            legend={"orientation": "h", "y": -0.12, "yanchor": "top"},
            yaxis={"autorange": "reversed", "automargin": True},
            hovermode="closest",
        )
        # The counts are annotated from a dict of expressions, which the stubs cannot follow.
        done = sum(g.n_done for g in groups)
        total = sum(g.total for g in groups)
        chart_list.append(
            charts.table_chart(
                slug=f"status-{kind}",
                title=title,
                summary=_("%(done)s van de %(total)s mijlpalen zijn gereed (per groep geteld).")
                % {"done": done, "total": total},
                caption=title,
                columns=[_("Groep"), *[name for name, _a in statuses]],
                rows=[[str(g), *[getattr(g, attr) for _n, attr in statuses]] for g in groups],
                traces=traces,
                layout=lay,
            )
        )

    last = Rebuild.objects.last_succeeded()
    first_day = start or datetime.date(2021, 7, 1)
    last_day = end or datetime.date(today.year + 2, 12, 31)
    days = _month_ends(first_day, last_day)
    progress = list(
        series.progress(kind=ProgressKind.ORGANISATION if chosen else ProgressKind.CHAIN, start=first_day, end=last_day)
        .filter(group_id=chosen.pk if chosen else 0, day__in=days)
    ) if last else []  # fmt: skip
    x = [row[1].isoformat() for row in progress]
    lines = [(_("Totaal"), 2), (_("Volgens planning gereed"), 3), (_("Gereed"), 4)]
    traces = [
        charts.line(x=x, y=[row[idx] for row in progress], name=name, markers=False,
                    color=charts.PALETTE[i], dash=["dot", "dash", "solid"][i])
        for i, (name, idx) in enumerate(lines)
    ]  # fmt: skip
    if progress:
        at_today = [row for row in progress if row[1] <= today] or progress[:1]
        latest = at_today[-1]
        summary = _("Op %(day)s waren %(done)s van de %(total)s mijlpalen gereed; volgens planning %(due)s.") % {
            "day": latest[1].strftime("%d-%m-%Y"), "done": latest[4], "total": latest[2], "due": latest[3],
        }  # fmt: skip
    else:
        summary = _("Er is nog geen burn-up berekend.")
    chart_list.append(
        charts.table_chart(
            slug="burn-up",
            title=_("Burn-up: gereed tegen gepland"),
            summary=summary,
            caption=_("Mijlpalen cumulatief per einde maand"),
            columns=[_("Datum"), *[name for name, _i in lines]],
            rows=[[row[1].isoformat(), row[2], row[3], row[4]] for row in progress],
            traces=traces,
            layout=charts.layout(_("mijlpalen"), date_axis=True),
        )
    )

    overdue = list(
        Milestone.objects.overdue(today).values("action__owner__code").annotate(n=Count("pk")).order_by("action__owner__code")
    )  # fmt: skip
    if chosen:
        overdue = [row for row in overdue if row["action__owner__code"] == chosen.code]
    codes = [row["action__owner__code"] for row in overdue]
    counts = [row["n"] for row in overdue]
    chart_list.append(
        charts.table_chart(
            slug="over-deadline",
            title=_("Mijlpalen over de deadline per organisatie"),
            summary=_("Vandaag zijn %(n)s mijlpalen over de deadline.") % {"n": sum(counts)},
            caption=_("Open mijlpalen met een deadline vóór vandaag, per eigenaar"),
            columns=[_("Organisatie"), _("Over de deadline")],
            rows=[[c, n] for c, n in zip(codes, counts, strict=True)],
            traces=[charts.bar(x=codes, y=counts, name=_("Over de deadline"), color="#a60000")],
            layout=charts.layout(_("mijlpalen")),
        )
    )
    return {"charts": chart_list, "built_at": last.finished_at if last else None}


@login_required
def view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DashboardFilterForm(request.GET or None)
    start, end = form.period_range()
    results = figures(chosen=form.values.get("organisation"), start=start, end=end)
    context = {
        "title": _("Implementatievoortgang"),
        "intro": _(
            "De uitvoering van de aanbevelingen: mijlpalen naar status, burn-up en achterstanden."
        ),
        "form": form,
        "page": "implementation",
    }
    return render_dashboard(
        request, DASHBOARD_TEMPLATE, context, build=lambda: results, cacheable=False
    )
