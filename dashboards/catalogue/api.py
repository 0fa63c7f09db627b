"""API of the indicator catalogue (DESIGN.md: `GET /api/v1/indicators/`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter

from dashboards.models import Indicator

if TYPE_CHECKING:
    from governance.models import Organisation


class IndicatorSerializer(serializers.ModelSerializer):
    owner: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "label",
            "label_en",
            "owner",
            "unit",
            "frequency",
            "aggregation",
            "dimensions",
            "is_count",
            "is_forecast",
            "tolerance_percent",
            "plausible_min",
            "plausible_max",
            "delivery_deadline_days",
            "active",
        ]


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """The indicator catalogue (read only; regie edits it in the admin)."""

    queryset = Indicator.objects.select_related("owner").order_by("code")
    serializer_class = IndicatorSerializer
    lookup_field = "code"
    filterset_fields = ["active", "frequency"]


def register(router: DefaultRouter) -> None:
    """Register the catalogue's API viewsets."""
    router.register("indicators", IndicatorViewSet, basename="indicator")
