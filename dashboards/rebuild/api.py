"""The dashboards' API (registered by dashboards.api): rebuilds (regie) and the aggregated series (everyone, approved only)."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from dashboards.models import (
    ROUND,
    Frequency,
    Indicator,
    IndicatorBuild,
    Rebuild,
    RebuildTrigger,
    Release,
    ReleaseBuild,
    series_key,
    split_series_key,
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
    value = serializers.FloatField(allow_null=True, help_text="null when suppressed.")
    complete = serializers.BooleanField()
    suppressed = serializers.BooleanField(
        required=False,
        help_text="Present (true) only on a small breakdown figure of persons hidden from you "
        "(small-number suppression); its value is null.",
    )


class SeriesSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    unit = serializers.CharField()
    frequency = serializers.CharField()
    round = serializers.CharField(required=False, allow_null=True, help_text="Forecasts only.")
    built_at = serializers.DateTimeField(allow_null=True)
    release = serializers.IntegerField(allow_null=True)
    points = PointSerializer(many=True)


RESERVED = {"indicator", "frequency", "organisation", "format", ROUND, "release"}


def round_of(indicator: Indicator, given: str | None) -> str:
    """The forecast round a query asks for (`&round=YYYY-MM`), by default the latest round of
    the current build; "" for an indicator that is no forecast. A ValidationError (400) for a
    malformed or unknown round, or a round for an indicator that has none."""
    given = (given or "").strip()
    if not indicator.is_forecast:
        if given:
            raise exceptions.ValidationError(
                {ROUND: [_("Alleen prognose-indicatoren hebben rondes; laat 'round' weg.")]}
            )
        return ""
    available = series.rounds(indicator)
    if not given:
        return available[-1] if available else ""
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", given):
        raise exceptions.ValidationError(
            {ROUND: [_("Geef de ronde als JJJJ-MM, bijvoorbeeld 2026-06.")]}
        )
    if given not in available:
        raise exceptions.ValidationError(
            {
                ROUND: [
                    _("Van deze prognose is er geen ronde %(round)s. Rondes: %(rounds)s.")
                    % {"round": given, "rounds": ", ".join(r for r in available if r) or "—"}
                ]
            }
        )
    return given


def parse_series_query(params) -> tuple[Indicator, str, Organisation | None, str]:
    """Validate ?indicator=…&frequency=…[&organisation=…][&DIM=VALUE][&round=YYYY-MM]; Dutch
    messages on error. The key is the series key: for a forecast with its round in it."""
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
    round_ = round_of(indicator, params.get(ROUND))
    return indicator, frequency, organisation, series_key(series.dimension_key(selection), round_)


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
            OpenApiParameter(
                ROUND, str, description="Forecasts: the round (YYYY-MM); default the latest."
            ),
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
            viewer=request.user,
            release=release,
        )
        round_, _key = split_series_key(key)
        return Response(
            {
                "indicator": indicator.code,
                "unit": indicator.unit,
                "frequency": frequency,
                **({ROUND: round_ or None} if indicator.is_forecast else {}),
                "built_at": pointer.rebuild.finished_at if pointer else None,
                "release": release.pk if release is not None else None,
                "points": [point_data(p) for p in points],
            }
        )


def point_data(point: series.Point) -> dict:
    """A point of the series API: `{period, value, complete}`, and for a suppressed figure
    `{period, value: null, complete, suppressed: true}` (DESIGN.md, second edition)."""
    if point.value is None:
        return {"period": point.period, "value": None, "complete": point.complete,
                "suppressed": True}  # fmt: skip
    value = point.value
    number = int(value) if value == value.to_integral_value() else float(value)
    return {"period": point.period, "value": number, "complete": point.complete}


def register(router: DefaultRouter) -> None:
    """Register the rebuild and series viewsets."""
    router.register("rebuilds", RebuildViewSet, basename="rebuild")
    router.register("series", SeriesViewSet, basename="series")
