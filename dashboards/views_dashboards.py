"""Dashboard pages and the rebuild log. One function view per page; htmx gets the results partial.

Every dashboard reads the dashboard tables through `series` (the current builds only), runs a
fixed number of queries whatever the amount of data, and answers `?csv=<chart>` with exactly the
numbers of that chart's table.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from actions import tree
from actions.models import Milestone, MilestoneStatus
from governance import roles
from governance.models import ActionPerspective, Organisation, Theme
from ketenportaal.exports import CONTENT_TYPES, Sheet, file_response, xlsx_bytes

from . import charts, series
from .charts import Chart
from .filters import DashboardFilterForm, value_label
from .filters import unit_label as unit_of
from .models import (
    Frequency,
    Indicator,
    ProgressKind,
    Rebuild,
    RebuildTrigger,
    Upload,
)
from .rebuild import queue_rebuild

CHAIN = [
    "asylum_applications",
    "asylum_decisions",
    "asylum_pending",
    "reception_occupancy",
    "reception_capacity",
    "reception_status_holders",
    "departures",
]


def _page(
    request: HttpRequest,
    template: str,
    context: dict,
    *,
    build: Callable[[], dict],
    cacheable: bool = True,
) -> HttpResponse:
    """Render a dashboard, its htmx partial, or one chart's CSV (?csv=slug).

    `build()` reads the figures and makes the charts. Its result only changes when a rebuild
    switches an indicator's pointer, so the rendered filters and results are cached under the
    current pointers, the path, the query and the language (a cache hit reads no figures); the
    implementation page, which also shows live milestone counts, is not cached.
    """
    query = request.GET.copy()
    query.pop("csv", None)
    query.pop("xlsx", None)
    context["query"] = query.urlencode()
    if "csv" in request.GET or "xlsx" in request.GET:
        slug = request.GET.get("csv") or request.GET.get("xlsx")
        chart = {chart.slug: chart for chart in build()["charts"]}.get(slug)
        if chart is None:
            raise Http404(_("Deze grafiek bestaat niet."))
        if "xlsx" in request.GET:
            content = xlsx_bytes([Sheet(chart.title, chart.export_columns(), chart.rows)])
            return file_response(
                content, filename=f"{chart.slug}.xlsx", content_type=CONTENT_TYPES["xlsx"]
            )
        response = HttpResponse(chart.csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{chart.slug}.csv"'
        return response
    if not cacheable:
        context.update(build())
        # The partials are defined once, in the template every dashboard extends.
        return render(
            request, "dashboards/dashboard.html#results" if request.htmx else template, context
        )
    pointers = sorted(series.current_rebuild_ids().items())
    signature = (
        request.path,
        context["query"],
        context.get("cache_extra"),
        get_language(),
        pointers,
    )
    key = "dashboard:" + hashlib.sha256(repr(signature).encode()).hexdigest()
    cached = cache.get(key)
    if cached is None:
        context.update(build())
        cached = (
            render_to_string("dashboards/dashboard.html#filters", context, request=request),
            render_to_string("dashboards/dashboard.html#results", context, request=request),
        )
        cache.set(key, cached, settings.DASHBOARD_CACHE_SECONDS)
    filters_html, results_html = cached
    if request.htmx:
        return HttpResponse(results_html)
    context.update(filters_html=filters_html, results_html=results_html)
    return render(request, template, context)


def _indicators(codes: list[str]) -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.filter(code__in=codes)}


def _split(rows: list[dict]) -> dict[tuple[int, str], dict[str, dict]]:
    """(indicator id, dimension key) → {period: row}."""
    result: dict[tuple[int, str], dict[str, dict]] = defaultdict(dict)
    for row in rows:
        result[(row["indicator_id"], row["dimension_key"])][row["period"]] = row
    return result


def _series_of(
    indicator: Indicator, by_key: dict, selection: dict[str, str]
) -> tuple[list[tuple[str, dict]], dict[str, bool]]:
    """Named series of an indicator: one per dimension value (or the chosen one), or its total."""
    names: list[tuple[str, str]] = []
    if indicator.dimensions:
        (dimension, values), *_rest = indicator.dimensions.items()
        chosen = selection.get(dimension)
        for value in [chosen] if chosen else values:
            names.append((value_label(value), f"{dimension}={value}"))
    else:
        names.append((indicator.display_label, ""))
    result, complete = [], {}
    for name, key in names:
        cells = by_key.get((indicator.pk, key), {})
        result.append((name, {p: row["value"] for p, row in cells.items()}))
        for period, row in cells.items():
            complete[period] = complete.get(period, True) and bool(row["all_complete"])
    return result, complete


def _periods(*series_dicts: dict) -> list[str]:
    periods = set()
    for values in series_dicts:
        periods.update(values)
    return sorted(periods)


# ---------------------------------------------------------------- Ketenbeeld


@login_required
def chain(request: HttpRequest) -> HttpResponse:
    """ "Ketenbeeld": per quarter the chain from inflow to outflow, and the flows of one quarter."""
    indicators = _indicators(CHAIN)
    dims = {}
    for code in ("asylum_applications", "asylum_decisions", "departures"):
        if code in indicators:
            dims.update(indicators[code].dimensions)
    form = DashboardFilterForm(request.GET or None, dimensions=dims)

    def build() -> dict:
        values, selection = form.values, form.selection()
        start, end = form.period_range()
        organisation = values.get("organisation")
        rows = series.point_rows(
            indicators=list(indicators.values()),
            frequency=Frequency.QUARTER,
            organisation_id=organisation.pk if organisation else None,
            start=start,
            end=end,
        )
        by_key = _split(rows)
        chart_list: list[Chart] = []

        def add(slug, code, title, *, kind="bar", stacked=True, extra: list[str] = ()):
            parts, complete = [], {}
            for c in [code, *extra]:
                if c not in indicators:
                    continue
                named, done = _series_of(indicators[c], by_key, selection)
                parts += named
                for p, ok in done.items():
                    complete[p] = complete.get(p, True) and ok
            periods = _periods(*[v for _n, v in parts])
            chart_list.append(
                charts.series_chart(
                    slug=slug, title=title, unit=unit_of(indicators[code].unit), periods=periods,
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
            extra=["reception_capacity"],
        )
        add(
            "vergunninghouders",
            "reception_status_holders",
            _("Vergunninghouders in de opvang"),
            kind="line",
        )
        add("vertrek", "departures", _("Vertrek per soort"))

        quarters = sorted({row["period"] for row in rows})
        quarter = request.GET.get("kwartaal") if request.GET.get("kwartaal") in quarters else None
        quarter = quarter or (quarters[-1] if quarters else "")
        chart_list.append(
            charts.flow_chart(
                slug="stromen",
                title=_("Stromen door de keten in één kwartaal"),
                period=quarter or "-",
                links=_flows(indicators, by_key, quarter),
            )
        )
        return {
            "charts": chart_list,
            "quarters": quarters,
            "quarter": quarter,
            "built_at": series.built_at(list(indicators.values())),
        }

    context = {
        "title": _("Ketenbeeld"),
        "intro": _("Per kwartaal de keten van instroom tot uitstroom, uit goedgekeurde cijfers."),
        "form": form,
        "page": "chain",
    }
    return _page(request, "dashboards/chain.html", context, build=build)


def _flows(
    indicators: dict[str, Indicator], by_key: dict, quarter: str
) -> list[tuple[str, str, object]]:
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


# ---------------------------------------------------------------- Prognose en realisatie


@login_required
def forecast(request: HttpRequest) -> HttpResponse:
    """ "Prognose en realisatie": forecast scenarios against realised applications per year."""
    indicators = _indicators(["forecast_asylum_inflow", "asylum_applications"])
    prognosis = indicators["forecast_asylum_inflow"]
    form = DashboardFilterForm(request.GET or None, dimensions=prognosis.dimensions)

    def build() -> dict:
        start, end = form.period_range()
        organisation = form.values.get("organisation")
        rows = series.point_rows(
            indicators=list(indicators.values()),
            frequency=Frequency.YEAR,
            organisation_id=organisation.pk if organisation else None,
            start=start,
            end=end,
        )
        by_key = _split(rows)
        scenarios, complete = _series_of(prognosis, by_key, form.selection())
        realised = {
            p: row["value"]
            for p, row in by_key.get((indicators["asylum_applications"].pk, ""), {}).items()
        }
        for p, row in by_key.get((indicators["asylum_applications"].pk, ""), {}).items():
            complete[p] = complete.get(p, True) and bool(row["all_complete"])
        parts = [(_("Prognose %(scenario)s") % {"scenario": n.lower()}, v) for n, v in scenarios]
        parts.append((_("Gerealiseerd"), realised))
        chart = charts.series_chart(
            slug="prognose",
            title=_("Prognose en realisatie van de asielinstroom per jaar"),
            unit=unit_of("persons"),
            periods=_periods(*[v for _n, v in parts]),
            series=parts,
            complete=complete,
            kind="line",
            period_label=_("Jaar"),
        )
        return {
            "charts": [chart],
            "built_at": series.built_at(list(indicators.values())),
        }

    context = {
        "title": _("Prognose en realisatie"),
        "intro": _(
            "De scenario's van de meerjarige productieprognose (MPP) naast de gerealiseerde "
            "asielaanvragen. Een lopend jaar is onvolledig."
        ),
        "form": form,
        "page": "forecast",
    }
    return _page(request, "dashboards/dashboard.html", context, build=build)


# ---------------------------------------------------------------- Per organisatie


@login_required
def organisation(request: HttpRequest) -> HttpResponse:
    """ "Per organisatie": the indicators an organisation delivers, over time."""
    data = request.GET.copy()
    if not data.get("organisation"):
        own = roles.organisation_of(request.user)
        data["organisation"] = own.code if own and own.code != "JENV" else "IND"
    form = DashboardFilterForm(data, organisation_required=True, frequency=True)
    values = form.values
    chosen = values.get("organisation") or Organisation.objects.get(code="IND")
    frequency = values.get("frequentie") or Frequency.QUARTER
    start, end = form.period_range()
    indicators = list(Indicator.objects.filter(owner=chosen).active())

    def build() -> dict:
        rows = series.point_rows(
            indicators=indicators,
            frequency=frequency,
            organisation_id=chosen.pk,
            dimension_keys=[""],
            start=start,
            end=end,
        )
        by_key = _split(rows)
        chart_list = []
        for indicator in indicators:
            cells = by_key.get((indicator.pk, ""), {})
            values_by_period = {p: row["value"] for p, row in cells.items()}
            complete = {p: bool(row["all_complete"]) for p, row in cells.items()}
            chart_list.append(
                charts.series_chart(
                    slug=indicator.code,
                    title=indicator.display_label,
                    unit=unit_of(indicator.unit),
                    periods=sorted(values_by_period),
                    series=[(_("Totaal"), values_by_period)],
                    complete=complete,
                    kind="line" if indicator.aggregation != "sum" else "bar",
                )
            )
        return {
            "charts": chart_list,
            "built_at": series.built_at(indicators),
        }

    context = {
        "title": _("Per organisatie"),
        "intro": _("De indicatoren van %(organisation)s door de tijd.")
        % {"organisation": chosen.display_name},
        "form": form,
        "page": "organisation",
        "cache_extra": (chosen.pk, frequency),
    }
    return _page(request, "dashboards/dashboard.html", context, build=build)


# ---------------------------------------------------------------- Implementatievoortgang


def _month_ends(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    days, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
        days.append(min(nxt - datetime.timedelta(days=1), last))
        year, month = nxt.year, nxt.month
    return days


@login_required
def implementation(request: HttpRequest) -> HttpResponse:
    """ "Implementatievoortgang": milestones by status, burn-up over time, overdue per organisation."""
    form = DashboardFilterForm(request.GET or None)
    start, end = form.period_range()
    chosen = form.values.get("organisation")
    today = timezone.localdate()
    chart_list = []

    for kind, model, prefix, title in (
        ("thema", Theme, "perspectives__recommendations__actions", _("Mijlpalen per thema naar status")),
        ("perspectief", ActionPerspective, "recommendations__actions",
         _("Mijlpalen per handelingsperspectief naar status")),
    ):  # fmt: skip
        counts = _status_counts(prefix, chosen)
        groups = list(model.objects.annotate(**counts))
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
    context = {
        "title": _("Implementatievoortgang"),
        "intro": _(
            "De uitvoering van de aanbevelingen: mijlpalen naar status, burn-up en achterstanden."
        ),
        "form": form,
        "charts": chart_list,
        "built_at": last.finished_at if last else None,
        "page": "implementation",
    }
    results = {"charts": context.pop("charts"), "built_at": context.pop("built_at")}
    return _page(
        request, "dashboards/dashboard.html", context, build=lambda: results, cacheable=False
    )


def _status_counts(prefix: str, owner: Organisation | None) -> dict:
    """actions.tree.status_counts, limited to one owner's milestones when one is chosen."""
    counts = tree.status_counts(prefix)
    if owner is None:
        return counts
    path = f"{prefix}__milestones"
    owned = Q(**{f"{prefix}__owner": owner})
    status = f"{path}__status"
    return {
        "total": Count(
            path, distinct=True, filter=owned & ~Q(**{status: MilestoneStatus.CANCELLED})
        ),
        "n_planned": Count(
            path, distinct=True, filter=owned & Q(**{status: MilestoneStatus.PLANNED})
        ),
        "n_in_progress": Count(
            path, distinct=True, filter=owned & Q(**{status: MilestoneStatus.IN_PROGRESS})
        ),
        "n_done": Count(path, distinct=True, filter=owned & Q(**{status: MilestoneStatus.DONE})),
        "n_cancelled": Count(
            path, distinct=True, filter=owned & Q(**{status: MilestoneStatus.CANCELLED})
        ),
    }


# ---------------------------------------------------------------- Datakwaliteit


def _quarter_end(period: str) -> datetime.date:
    year, quarter = int(period[:4]), int(period[-1])
    return datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - datetime.timedelta(
        days=1
    )


@login_required
def data_quality(request: HttpRequest) -> HttpResponse:
    """ "Datakwaliteit": per organisation and quarter, how complete and how timely the deliveries were.

    Completeness: of the indicators the organisation owns, how many have a complete quarter.
    Timeliness: whether its first approved figures for the quarter arrived within
    DELIVERY_DEADLINE_DAYS after the quarter ended.
    """
    form = DashboardFilterForm(request.GET or None)

    def build() -> dict:
        start, end = form.period_range()
        chosen = form.values.get("organisation")
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
            deadline = _quarter_end(g["period"]) + datetime.timedelta(days=deadline_days)
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
        periods = _periods(*by_org.values())
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

    context = {
        "title": _("Datakwaliteit"),
        "intro": _(
            "Hoe volledig en hoe tijdig elke organisatie haar cijfers per kwartaal aanlevert."
        ),
        "form": form,
        "page": "quality",
    }
    return _page(request, "dashboards/dashboard.html", context, build=build)


# ---------------------------------------------------------------- the rebuild log (regie)


@login_required
@require_http_methods(["GET", "POST"])
def rebuilds(request: HttpRequest) -> HttpResponse:
    """Regie reads the rebuild log and starts a rebuild; its progress is polled with htmx."""
    roles.require_regie(request.user)
    if request.method == "POST":
        rebuild = queue_rebuild(trigger=RebuildTrigger.PORTAL, triggered_by=request.user)
        messages.success(request, _("Herberekening #%(id)s is gestart.") % {"id": rebuild.pk})
        return redirect("dashboards:rebuild", pk=rebuild.pk)
    log = Rebuild.objects.select_related("triggered_by")[:50]
    return render(request, "dashboards/rebuilds.html", {"rebuilds": log, "page": "rebuilds"})


@login_required
def rebuild_detail(request: HttpRequest, pk: int) -> HttpResponse:
    roles.require_regie(request.user)
    rebuild = get_object_or_404(Rebuild.objects.select_related("triggered_by"), pk=pk)
    template = "dashboards/rebuild.html#status" if request.htmx else "dashboards/rebuild.html"
    return render(request, template, {"rebuild": rebuild, "page": "rebuilds"})
