"""`GET /api/v1/forecast-accuracy/?indicator=CODE` (DESIGN.md, second edition: Forecast
accuracy): per round and forecast year the scenario values, the realisation when its year is
complete, `within_range` and `error_pct` (`accuracy`)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboards.models import Indicator

from .accuracy import Score, scorecard


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def score_data(score: Score) -> dict:
    return {
        "round": score.round,
        "year": score.year,
        "scenarios": {name: _number(value) for name, value in score.scenarios.items()},
        "expected": _number(score.expected),
        "realisation": _number(score.realisation),
        "complete": score.complete,
        "within_range": score.within_range,
        "error_pct": score.error_pct,
    }


class ForecastAccuracyView(APIView):
    """How good each round of a forecast was, from the last successful rebuild (approved
    figures only, chain-wide: everyone who may read the dashboards may read this)."""

    @extend_schema(
        parameters=[OpenApiParameter("indicator", str, required=True)],
        responses={200: dict},
        description=(
            "error_pct = (expected − realisation) / realisation × 100: positive when the round "
            "forecast too much. realisation, within_range and error_pct are null until the "
            "year's figures are complete."
        ),
    )
    def get(self, request: Request) -> Response:
        code = request.query_params.get("indicator", "")
        indicator = Indicator.objects.select_related("realised_by").filter(code=code).first()
        if indicator is None:
            raise exceptions.ValidationError(
                {"indicator": [_("Onbekende indicator: '%(code)s'.") % {"code": code}]}
            )
        if not indicator.is_forecast:
            raise exceptions.ValidationError(
                {"indicator": [_("'%(code)s' is geen prognose-indicator.") % {"code": code}]}
            )
        card = scorecard(indicator)
        return Response(
            {
                "indicator": indicator.code,
                "realised_by": card.realised_by.code if card.realised_by else None,
                "unit": indicator.unit,
                "built_at": card.built_at,
                "rounds": card.rounds,
                "scores": [score_data(score) for score in card.scores],
            }
        )
