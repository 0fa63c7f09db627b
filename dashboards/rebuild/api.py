"""The dashboards' API (registered by dashboards.api): rebuilds (regie) and the aggregated series (everyone, approved only)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from dashboards.models import (
    Frequency,
    Indicator,
    IndicatorBuild,
    Rebuild,
    RebuildTrigger,
    Release,
    ReleaseBuild,
)
from governance.accounts import roles
from governance.models import Organisation
from ketenportaal.http import signed_in_user

from . import series
from .queue import queue_rebuild


class RebuildSerializer(serializers.ModelSerializer):
    indicators = serializers.SerializerMethodField()

    class Meta:
        model = Rebuild
        fields = [
            "id", "status", "scope", "indicators", "trigger", "queued_at", "started_at",
            "finished_at", "duration", "rows", "progress", "step", "error",
        ]  # fmt: skip
        read_only_fields = fields

    def get_indicators(self, rebuild: Rebuild) -> list[str]:
        codes = dict(Indicator.objects.values_list("pk", "code"))
        return [codes[pk] for pk in rebuild.indicator_ids if pk in codes]


class RebuildRequestSerializer(serializers.Serializer):
    indicators = serializers.ListField(
        child=serializers.SlugRelatedField(slug_field="code", queryset=Indicator.objects.all()),
        required=False,
        help_text="Codes of the indicators to rebuild; omitted: a full rebuild.",
    )


class RebuildViewSet(viewsets.ReadOnlyModelViewSet):
    """The rebuild log (regie only); POST starts a rebuild, answered 202 with its id."""

    serializer_class = RebuildSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Rebuild.objects.none()
        if not roles.is_regie(self.request.user):
            raise exceptions.PermissionDenied(
                _(
                    "Alleen medewerkers van Regie Migratieketen mogen herberekeningen bekijken en starten."
                )
            )
        return Rebuild.objects.all()

    @extend_schema(request=RebuildRequestSerializer, responses={202: RebuildSerializer})
    def create(self, request: Request) -> Response:
        self.get_queryset()  # the permission check
        data = RebuildRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        indicators = data.validated_data.get("indicators") or []
        try:
            rebuild = queue_rebuild(
                indicator_ids=[i.pk for i in indicators],
                trigger=RebuildTrigger.API,
                triggered_by=signed_in_user(request),
            )
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        rebuild.refresh_from_db()
        return Response(RebuildSerializer(rebuild).data, status=status.HTTP_202_ACCEPTED)


class PointSerializer(serializers.Serializer):
    period = serializers.CharField()
    value = serializers.FloatField()
    complete = serializers.BooleanField()


class SeriesSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    unit = serializers.CharField()
    frequency = serializers.CharField()
    built_at = serializers.DateTimeField(allow_null=True)
    release = serializers.IntegerField(allow_null=True)
    points = PointSerializer(many=True)


RESERVED = {"indicator", "frequency", "organisation", "format", "release"}


def parse_series_query(params) -> tuple[Indicator, str, Organisation | None, str]:
    """Validate ?indicator=…&frequency=…[&organisation=…][&DIM=VALUE]; Dutch messages on error."""
    code = params.get("indicator", "")
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise exceptions.ValidationError(
            {"indicator": [_("Onbekende indicator: '%(code)s'.") % {"code": code}]}
        )
    frequency = params.get("frequency", "")
    if frequency not in Frequency.values:
        raise exceptions.ValidationError(
            {"frequency": [_("Kies als frequentie month, quarter of year.")]}
        )
    organisation = None
    if params.get("organisation"):
        organisation = Organisation.objects.filter(code=params["organisation"]).first()
        if organisation is None:
            raise exceptions.ValidationError(
                {
                    "organisation": [
                        _("Onbekende organisatie: '%(code)s'.") % {"code": params["organisation"]}
                    ]
                }
            )
    selection = {}
    for name in params:
        if name in RESERVED:
            continue
        allowed = indicator.dimensions.get(name)
        if allowed is None:
            raise exceptions.ValidationError(
                {name: [_("'%(name)s' is geen dimensie van deze indicator.") % {"name": name}]}
            )
        if params[name] not in allowed:
            raise exceptions.ValidationError(
                {name: [_("Toegestane waarden: %(values)s.") % {"values": ", ".join(allowed)}]}
            )
        selection[name] = params[name]
    return indicator, frequency, organisation, series.dimension_key(selection)


def parse_release(params) -> Release | None:
    """?release=ID: a release, or a Dutch message when there is none of that id."""
    value = params.get("release", "")
    if not value:
        return None
    release = Release.objects.filter(pk=int(value)).first() if value.isdigit() else None
    if release is None:
        raise exceptions.ValidationError(
            {"release": [_("Onbekende release: '%(id)s'.") % {"id": value}]}
        )
    return release


class SeriesViewSet(viewsets.ViewSet):
    """Aggregated series of an indicator, from its last successful rebuild."""

    @extend_schema(
        parameters=[
            OpenApiParameter("indicator", str, required=True),
            OpenApiParameter("frequency", str, required=True, enum=Frequency.values),
            OpenApiParameter("organisation", str),
            OpenApiParameter("release", int, description="the figures as frozen in a release"),
        ],
        responses=SeriesSerializer,
        description="Any other parameter DIM=VALUE filters on a dimension value of the indicator.",
    )
    def list(self, request: Request) -> Response:
        indicator, frequency, organisation, key = parse_series_query(request.query_params)
        release = parse_release(request.query_params)
        pointers = (
            ReleaseBuild.objects.filter(release=release)
            if release is not None
            else IndicatorBuild.objects.all()
        )
        pointer = pointers.filter(indicator=indicator).select_related("rebuild").first()
        points = series.points(
            indicator=indicator,
            frequency=frequency,
            organisation_id=organisation.pk if organisation else None,
            key=key,
            release=release,
        )
        return Response(
            {
                "indicator": indicator.code,
                "unit": indicator.unit,
                "frequency": frequency,
                "built_at": pointer.rebuild.finished_at if pointer else None,
                "release": release.pk if release is not None else None,
                "points": [
                    {
                        "period": p.period,
                        "value": int(p.value)
                        if p.value == p.value.to_integral_value()
                        else float(p.value),
                        "complete": p.complete,
                    }
                    for p in points
                ],
            }
        )


def register(router: DefaultRouter) -> None:
    """Register the rebuild and series viewsets."""
    router.register("rebuilds", RebuildViewSet, basename="rebuild")
    router.register("series", SeriesViewSet, basename="series")
