"""The lineage page: `/dashboards/herkomst/?indicator=…&frequency=…&period=…`, the same query
as the API, opened from a figure on a dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework import exceptions

from dashboards.catalogue.labels import DIMENSION_LABELS, unit_label, value_label
from dashboards.models import Annotation
from dashboards.suppression.marks import SUPPRESSED, legend
from ketenportaal.http import AuthenticatedHttpRequest

from .cells import PAGE_LIMIT, total
from .query import cells_of, parse_lineage_query


def _messages(error: exceptions.ValidationError) -> list[str]:
    detail = error.detail
    if isinstance(detail, dict):
        return [str(message) for messages in detail.values() for message in messages]
    return [str(message) for message in detail]


@login_required
def view(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        query = parse_lineage_query(request.GET)
    except exceptions.ValidationError as error:
        return render(request, "dashboards/lineage.html", {"errors": _messages(error)}, status=400)
    cells = cells_of(query, request.user)
    context = {
        "query": query,
        "unit": unit_label(query.indicator.unit),
        "selection": [
            (str(DIMENSION_LABELS.get(name, name)), value_label(value))
            for name, value in sorted(query.selection.items())
        ],
        "cells": [
            {
                "cell": cell,
                "dimensions": ", ".join(
                    value_label(value) for _name, value in sorted(cell.dimensions.items())
                ),
            }
            for cell in cells[:PAGE_LIMIT]
        ],
        "count": len(cells),
        "shown": min(len(cells), PAGE_LIMIT),
        "total": total(cells) if query.indicator.aggregation == "sum" else None,
        "mark": SUPPRESSED,
        "superseded": sum(len(cell.superseded) for cell in cells),
        "suppression_legend": legend() if any(cell.suppressed for cell in cells) else "",
        "annotations": list(
            Annotation.objects.about(query.indicator, query.period.start, query.period.end)
            .select_related("organisation")
            .order_by("period_start", "created_at")
        ),
        "title": _("Herkomst van een cijfer"),
    }
    if query.release is not None:
        context["corrected"] = sum(cell.corrected is not None for cell in cells)
        now = request.GET.copy()
        now.pop("release")
        context["current_url"] = f"{request.path}?{now.urlencode()}"
    return render(request, "dashboards/lineage.html", context)
