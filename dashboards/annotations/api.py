"""`GET/POST /api/v1/annotations/` (issue 12): duiding of an indicator's figures for a period."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from dashboards.models import Annotation, Indicator
from governance.models import Organisation
from ketenportaal.api import raise_as_api_error
from ketenportaal.http import signed_in_user
from ketenportaal.periods import Period

from . import services


class AnnotationSerializer(serializers.ModelSerializer):
    indicator: serializers.SlugRelatedField[Indicator] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    written_by = serializers.SerializerMethodField()

    class Meta:
        model = Annotation
        fields = ["id", "indicator", "period", "text", "organisation", "written_by", "created_at"]
        read_only_fields = fields

    def get_written_by(self, annotation: Annotation) -> str:
        user = annotation.created_by
        return user.get_full_name() or user.get_username()


class AnnotationCreateSerializer(serializers.Serializer):
    indicator: serializers.SlugRelatedField[Indicator] = serializers.SlugRelatedField(
        slug_field="code", queryset=Indicator.objects.filter(active=True)
    )
    period = serializers.CharField(max_length=7)
    text = serializers.CharField(max_length=1000)


class AnnotationViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Duiding: everyone reads it; regie and the organisation delivering the indicator write it."""

    serializer_class = AnnotationSerializer

    def get_queryset(self):
        queryset = Annotation.objects.shown().select_related(
            "indicator", "organisation", "created_by"
        )
        params = self.request.query_params
        if params.get("indicator"):
            queryset = queryset.filter(indicator__code=params["indicator"])
        if params.get("period"):
            period = Period.parse(params["period"])
            if period is None:
                raise exceptions.ValidationError(
                    {"period": [_("Geef een periode als 2024-03, 2024-Q1 of 2024.")]}
                )
            queryset = queryset.filter(period_start__lte=period.end, period_end__gte=period.start)
        return queryset.order_by("indicator__code", "period_start", "created_at")

    @extend_schema(
        parameters=[OpenApiParameter("indicator", str), OpenApiParameter("period", str)],
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=AnnotationCreateSerializer, responses={201: AnnotationSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        data = AnnotationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            annotation = services.add_annotation(by=signed_in_user(request), **data.validated_data)
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
        return Response(AnnotationSerializer(annotation).data, status=status.HTTP_201_CREATED)


def register(router: DefaultRouter) -> None:
    router.register("annotations", AnnotationViewSet, basename="annotation")
