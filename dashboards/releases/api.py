"""`POST/GET /api/v1/releases/` and `GET /api/v1/releases/{id}/corrections/` (DESIGN.md, second
edition: Releases): regie freezes the figures; everyone with a role reads releases and what has
been corrected since."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from dashboards.models import Release, dimensions_of
from ketenportaal.api import raise_as_api_error
from ketenportaal.http import signed_in_user

from . import services


def _number(value):
    return int(value) if value == value.to_integral_value() else float(value)


class ReleaseSerializer(serializers.ModelSerializer):
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = Release
        fields = ["id", "name", "frozen_at", "created_by"]
        read_only_fields = fields

    def get_created_by(self, release: Release) -> str:
        user = release.created_by
        return user.get_full_name() or user.get_username()


class ReleaseCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=services.NAME_MAX)


class CorrectionSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    organisation = serializers.CharField()
    period = serializers.CharField()
    dimensions = serializers.DictField(child=serializers.CharField())
    old = serializers.FloatField()
    new = serializers.FloatField()
    upload = serializers.IntegerField()
    approved_at = serializers.DateTimeField()


def correction_data(correction: services.Correction) -> dict:
    return {
        "indicator": correction.indicator.code,
        "organisation": correction.organisation.code,
        "period": correction.period,
        "dimensions": dimensions_of(correction.dimension_key),
        "old": _number(correction.old),
        "new": _number(correction.new),
        "upload": correction.upload_id,
        "approved_at": correction.approved_at,
    }


class ReleaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Releases: everyone with a role reads them; regie makes them (`name`)."""

    serializer_class = ReleaseSerializer
    queryset = Release.objects.select_related("created_by").order_by("-frozen_at", "-pk")

    @extend_schema(request=ReleaseCreateSerializer, responses={201: ReleaseSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        data = ReleaseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            release = services.create_release(
                name=data.validated_data["name"], by=signed_in_user(request)
            )
        except services.FiguresNotBuilt as exc:
            conflict = exceptions.APIException(" ".join(exc.messages))
            conflict.status_code = status.HTTP_409_CONFLICT
            raise conflict from exc
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
        return Response(ReleaseSerializer(release).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: CorrectionSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def corrections(self, request: Request, pk=None) -> Response:
        """The cells whose current value differs from the release: `old`, `new`, and the
        correcting `upload`; all of them, in the order the corrections were approved."""
        release = self.get_object()
        return Response([correction_data(c) for c in services.corrections(release)])


def register(router: DefaultRouter) -> None:
    router.register("releases", ReleaseViewSet, basename="release")
