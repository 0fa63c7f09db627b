"""What every dashboard page shares: rendering (whole page, htmx partial, one chart's download),
the cache of rendered results per build, and reading a build's rows into named series.

A dashboard module defines `figures(...)`: the charts of the page from its filter values, testable
without a request; and `view(request)`, which parses the filters and calls `render_dashboard`.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dashboards.annotations.notes import annotations_version
from dashboards.catalogue.labels import value_label
from dashboards.models import Indicator, Release, dimensions_of
from dashboards.rebuild import series
from dashboards.suppression import viewers
from dashboards.suppression.marks import SUPPRESSED
from governance.models import Organisation
from ketenportaal.exports import CONTENT_TYPES, Sheet, file_response, xlsx_bytes
from ketenportaal.htmx import wants_partial

#: The template every dashboard extends; it defines the `filters` and `results` partials.
DASHBOARD_TEMPLATE = "dashboards/dashboard.html"


def render_dashboard(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    build: Callable[[], dict[str, Any]],
    cacheable: bool = True,
) -> HttpResponse:
    """Render a dashboard, its htmx partial, or one chart's CSV or XLSX (?csv=slug, ?xlsx=slug).

    `build()` reads the figures and makes the charts. Its result only changes when a rebuild
    switches an indicator's pointer, so the rendered filters and results are cached under the
    current pointers, the path, the query, the language and the version of the duiding (a cache
    hit reads no figures); the
    implementation page, which also shows live milestone counts, is not cached.
    """
    query = request.GET.copy()
    query.pop("csv", None)
    query.pop("xlsx", None)
    context["query"] = query.urlencode()
    if "csv" in request.GET or "xlsx" in request.GET:
        return _download(request, build)
    partial = wants_partial(request)
    if not cacheable:
        context.update(build())
        return render(request, f"{DASHBOARD_TEMPLATE}#results" if partial else template, context)
    pointers = sorted(series.current_rebuild_ids().items())
    signature = (
        request.path,
        context["query"],
        context.get("cache_extra"),
        # Small-number suppression: what this viewer may see of the figures.
        viewers.signature(request.user),
        get_language(),
        pointers,
        annotations_version(),
    )
    key = "dashboard:" + hashlib.sha256(repr(signature).encode()).hexdigest()
    cached = cache.get(key)
    if cached is None:
        context.update(build())
        cached = (
            render_to_string(f"{DASHBOARD_TEMPLATE}#filters", context, request=request),
            render_to_string(f"{DASHBOARD_TEMPLATE}#results", context, request=request),
        )
        cache.set(key, cached, settings.DASHBOARD_CACHE_SECONDS)
    filters_html, results_html = cached
    if partial:
        return HttpResponse(results_html)
    context.update(filters_html=filters_html, results_html=results_html)
    return render(request, template, context)


def _download(request: HttpRequest, build: Callable[[], dict[str, Any]]) -> HttpResponse:
    """One chart's table as CSV or XLSX: exactly the numbers of the chart's data table."""
    slug = request.GET.get("csv") or request.GET.get("xlsx")
    chart = {chart.slug: chart for chart in build()["charts"]}.get(slug)
    if chart is None:
        raise Http404(_("Deze grafiek bestaat niet."))
    if "xlsx" in request.GET:
        content = xlsx_bytes([Sheet(chart.title, chart.export_columns(), chart.export_rows())])
        return file_response(
            content, filename=f"{chart.slug}.xlsx", content_type=CONTENT_TYPES["xlsx"]
        )
    response = HttpResponse(chart.csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{chart.slug}.csv"'
    return response


# ---------------------------------------------------------------- a figure's lineage


def lineage_link(
    indicator: Indicator,
    frequency: str,
    *,
    organisation: Organisation | None = None,
    dimension_key: str = "",
    release: Release | None = None,
) -> Callable[[str], str]:
    """period → the address of that figure's lineage page (`dashboards:lineage`), with the same
    filters as the figure: its indicator, frequency, organisation and dimension values, and the
    release the figure is shown as (its lineage is then that of the frozen figure)."""
    head = urlencode({"indicator": indicator.code, "frequency": frequency})
    tail = {"organisation": organisation.code} if organisation is not None else {}
    if release is not None:
        tail["release"] = str(release.pk)
    tail.update(sorted(dimensions_of(dimension_key).items()))
    rest = f"&{urlencode(tail)}" if tail else ""
    base = reverse("dashboards:lineage")
    return lambda period: f"{base}?{head}&period={quote(period)}{rest}"


def per_series(links: list[Callable[[str], str]]) -> Callable[[int, str], str]:
    """(series index, period) → lineage address, for `charts.series_chart(link=…)`."""
    return lambda index, period: links[index](period)


# ---------------------------------------------------------------- a build's rows as series


def indicators_by_code(codes: list[str]) -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.filter(code__in=codes)}


def split_rows(rows: list[series.PointRow]) -> dict[tuple[int, str], dict[str, series.PointRow]]:
    """(indicator id, dimension key) → {period: row}."""
    result: dict[tuple[int, str], dict[str, series.PointRow]] = defaultdict(dict)
    for row in rows:
        result[(row["indicator_id"], row["dimension_key"])][row["period"]] = row
    return result


def series_keys(indicator: Indicator, selection: dict[str, str]) -> list[tuple[str, str]]:
    """(name, dimension key) of the series a chart shows of an indicator: the chosen values of
    its dimensions (any subset: the others are summed, DESIGN.md), broken down by the dimension
    not chosen with the fewest values (then by name: the stored order of dimensions is not
    kept); every dimension chosen, or none at all: that one series."""
    chosen = {d: v for d, v in selection.items() if d in indicator.dimensions and v}
    open_dimensions = sorted(
        (d for d in indicator.dimensions if d not in chosen),
        key=lambda d: (len(indicator.dimensions[d]), d),
    )
    if not open_dimensions:
        name = " · ".join(value_label(chosen[d]) for d in sorted(chosen))
        return [(name or indicator.display_label, series.dimension_key(chosen))]
    shown = open_dimensions[0]
    return [
        (value_label(value), series.dimension_key({**chosen, shown: value}))
        for value in indicator.dimensions[shown]
    ]


def series_of(
    indicator: Indicator,
    by_key: dict[tuple[int, str], dict[str, series.PointRow]],
    selection: dict[str, str],
) -> tuple[list[tuple[str, dict]], dict[str, bool]]:
    """Named series of an indicator (`series_keys`), from rows split by `split_rows`."""
    result: list[tuple[str, dict]] = []
    complete: dict[str, bool] = {}
    for name, key in series_keys(indicator, selection):
        cells = by_key.get((indicator.pk, key), {})
        result.append(
            (
                name,
                {p: SUPPRESSED if row["suppressed"] else row["value"] for p, row in cells.items()},
            )
        )
        for period, row in cells.items():
            complete[period] = complete.get(period, True) and bool(row["all_complete"])
    return result, complete


def periods_of(*series_dicts: dict) -> list[str]:
    """Every period that any of these series has a figure for, in order."""
    periods: set[str] = set()
    for values in series_dicts:
        periods.update(values)
    return sorted(periods)
