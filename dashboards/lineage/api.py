"""`GET /api/v1/series/lineage/` (DESIGN.md, second edition: Lineage)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboards.models import Annotation, Frequency

from .cells import Cell, Earlier
from .query import cells_of, parse_lineage_query


def _number(value):
    if value is None:  # suppressed for the user
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _other(value: Earlier) -> dict:
    return {
        "value": _number(value.value),
        "suppressed": value.value is None,
        "upload": value.upload_id,
        "submitted_at": value.submitted_at,
        "approved_at": value.approved_at,
    }


def cell_data(cell: Cell, *, of_release: bool = False) -> dict:
    """A cell of the lineage API; a cell suppressed for the user has `value` null and
    `suppressed` true (and its earlier values are null too). A release's cell also says what
    corrected it since (`corrected`: null when nothing did)."""
    data = {
        "organisation": cell.organisation.code,
        "period": cell.period,
        "dimensions": cell.dimensions,
        "value": _number(cell.value),
        "suppressed": cell.suppressed,
        "counted": cell.counted,
        "upload": cell.upload_id,
        "submitted_at": cell.submitted_at,
        "approved_at": cell.approved_at,
        "superseded": [_other(old) for old in cell.superseded],
    }
    if of_release:
        data["corrected"] = _other(cell.corrected) if cell.corrected is not None else None
    return data


class LineageView(APIView):
    """The current cells behind one figure, each with its upload and the values it superseded.

    Everyone who may read the figures may read their lineage; the upload files themselves stay
    with their organisation and regie (`/api/v1/uploads/{id}/` answers 404 to anyone else)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("indicator", str, required=True),
            OpenApiParameter("frequency", str, required=True, enum=Frequency.values),
            OpenApiParameter("period", str, required=True, description="2024-03, 2024-Q1, 2024"),
            OpenApiParameter("organisation", str),
            OpenApiParameter(
                "release", int, description="the cells behind the figure as a release froze it"
            ),
        ],
        description="Any other parameter DIM=VALUE filters on a dimension value of the indicator.",
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        query = parse_lineage_query(request.query_params)
        cells = cells_of(query, request.user)
        return Response(
            {
                "indicator": query.indicator.code,
                "frequency": query.frequency,
                "period": str(query.period),
                "organisation": query.organisation.code if query.organisation else None,
                "dimensions": query.selection,
                "release": query.release.pk if query.release is not None else None,
                "cells": [cell_data(cell, of_release=query.release is not None) for cell in cells],
                "annotations": [
                    {"period": a.period, "text": a.text, "organisation": a.organisation.code}
                    for a in Annotation.objects.about(
                        query.indicator, query.period.start, query.period.end
                    ).select_related("organisation")
                ],
            }
        )
