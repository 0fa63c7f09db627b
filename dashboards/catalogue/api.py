"""API of the indicator catalogue (DESIGN.md: `GET /api/v1/indicators/`; second edition:
`POST /api/v1/indicators/` and `PATCH /api/v1/indicators/{code}/`, regie only).

Reading keeps the first edition's fields (`label`, `tolerance_percent`,
`delivery_deadline_days`, `dimensions` as `{name: [value, …]}`) and adds the second edition's
(`label_nl`, `tolerance_pct`, `deadline_days`, `realised_by`) and `dimension_labels`. Writing
takes the second edition's names; a value in `dimensions` may be its code or
`{"code", "label_nl", "label_en"}`. A change the indicator's figures forbid answers 409.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from dashboards.models import Indicator
from governance.accounts import roles
from governance.models import Organisation
from ketenportaal.api import raise_as_api_error

from . import services
from .labels import unit_label

if TYPE_CHECKING:
    from django.db.models import QuerySet


@extend_schema_field({"type": "object", "additionalProperties": {"type": "array"}})
class DimensionsField(serializers.JSONField):
    """`{name: [value, …]}`; on writing a value may also be `{code, label_nl, label_en}`."""


class IndicatorSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    label_nl = serializers.CharField(source="label", max_length=200)
    unit_label = serializers.SerializerMethodField()
    dimensions = DimensionsField(required=False)
    dimension_labels = serializers.JSONField(required=False)
    tolerance_pct = serializers.IntegerField(
        source="tolerance_percent", min_value=0, max_value=1000, required=False
    )
    tolerance_percent = serializers.IntegerField(read_only=True)
    deadline_days = serializers.IntegerField(
        source="delivery_deadline_days",
        min_value=0,
        max_value=366,
        allow_null=True,
        required=False,
        help_text="Own delivery term in days after the quarter; null: the portal's default.",
    )
    delivery_deadline_days = serializers.IntegerField(read_only=True, allow_null=True)
    effective_deadline_days = serializers.IntegerField(source="deadline_days", read_only=True)
    realised_by = serializers.SlugRelatedField(
        slug_field="code", queryset=Indicator.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "label",
            "label_nl",
            "label_en",
            "owner",
            "unit",
            "unit_label",
            "frequency",
            "aggregation",
            "dimensions",
            "dimension_labels",
            "is_count",
            "is_forecast",
            "tolerance_percent",
            "tolerance_pct",
            "plausible_min",
            "plausible_max",
            "delivery_deadline_days",
            "deadline_days",
            "effective_deadline_days",
            "realised_by",
            "active",
        ]
        # The code's uniqueness and form are the service's (a clear message, a 409 in use).
        extra_kwargs: dict[str, dict[str, Any]] = {
            "code": {"validators": []},
            "label": {"read_only": True},
        }

    def get_unit_label(self, indicator: Indicator) -> str:
        return unit_label(indicator.unit)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Dimensions and their labels as the model keeps them (codes beside labels); labels
        not given are kept from what was stored."""
        if "dimensions" in attrs or "dimension_labels" in attrs:
            stored = self.instance
            dimensions, labels = services.normalise_dimensions(
                attrs.pop("dimensions", stored.dimensions if stored else {}),
                attrs.pop("dimension_labels", None),
                stored_labels=stored.dimension_labels if stored else None,
            )
            attrs["dimensions"], attrs["dimension_labels"] = dimensions, labels
        return attrs


ERROR = OpenApiResponse(description="`message`, and `errors` per field.")
CONFLICT = OpenApiResponse(
    description="The indicator has figures: its code, owner, frequency, aggregation and "
    "existing dimensions and values cannot change. `message`, and the refused fields."
)


class IndicatorViewSet(viewsets.ModelViewSet):
    """The indicator catalogue: everyone reads it; regie adds and changes indicators."""

    serializer_class = IndicatorSerializer
    lookup_field = "code"
    filterset_fields = ["active", "frequency"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Indicator]:
        return Indicator.objects.select_related("owner", "realised_by").order_by("code")

    @extend_schema(responses={201: IndicatorSerializer, 400: ERROR, 403: ERROR})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        roles.require_regie(request.user)
        return super().create(request, *args, **kwargs)

    @extend_schema(responses={200: IndicatorSerializer, 400: ERROR, 403: ERROR, 409: CONFLICT})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        roles.require_regie(request.user)
        return super().partial_update(request, *args, **kwargs)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        self._save(serializer, Indicator(**serializer.validated_data))

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        indicator = serializer.instance
        assert isinstance(indicator, Indicator)
        for name, value in serializer.validated_data.items():
            setattr(indicator, name, value)
        self._save(serializer, indicator)

    def _save(self, serializer: serializers.BaseSerializer, indicator: Indicator) -> None:
        try:
            serializer.instance = services.save_indicator(
                indicator=indicator,
                by=self.request.user,  # type: ignore[arg-type]  # authenticated: require_regie
            )
        except services.IndicatorInUse as exc:
            raise Conflict(exc) from exc
        except DjangoValidationError as exc:
            raise_as_api_error(exc)


class Conflict(serializers.ValidationError):
    """409: the indicator's figures forbid the change (with the fields and why)."""

    status_code = status.HTTP_409_CONFLICT

    def __init__(self, exc: DjangoValidationError) -> None:
        super().__init__({"detail": " ".join(exc.messages), **exc.message_dict})


def register(router: DefaultRouter) -> None:
    """Register the catalogue's API viewsets."""
    router.register("indicators", IndicatorViewSet, basename="indicator")
