"""API for reporting moments and their progress reports (the same services as the pages)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from dashboards.models import Release
from governance.accounts.permissions import DEFAULT_PERMISSIONS
from governance.models.reports import ProgressReport, ReportingMoment
from ketenportaal.api import raise_as_api_error
from ketenportaal.exports import file_response
from ketenportaal.http import signed_in_user

from . import services as reports
from .views import CONTENT_TYPES

FILES_SCHEMA = {
    "type": "object",
    "description": "Per soort (html, pdf, xlsx): download-URL en SHA-256; leeg tot de rapportage gereed is.",
    "additionalProperties": {
        "type": "object",
        "properties": {"url": {"type": "string"}, "sha256": {"type": "string"}},
        "required": ["url", "sha256"],
    },
}


class GenerateSerializer(serializers.Serializer):
    release = serializers.PrimaryKeyRelatedField(
        queryset=Release.objects.all(),
        required=False,
        allow_null=True,
        help_text="The release whose figures the report cites; omitted: those current then.",
    )


class ProgressReportSerializer(serializers.ModelSerializer):
    files = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "moment",
            "version",
            "release",
            "status",
            "percent",
            "step",
            "error",
            "requested_at",
            "started_at",
            "finished_at",
            "files",
        ]
        read_only_fields = fields

    @extend_schema_field(FILES_SCHEMA)
    def get_files(self, report: ProgressReport) -> dict[str, dict[str, str]]:
        if report.status != "succeeded":
            return {}
        url = reverse("progress-report-download", args=[report.pk])
        return {
            kind: {"url": f"{url}?kind={kind}", "sha256": getattr(report, f"{kind}_sha256")}
            for kind in reports.FILE_KINDS
        }


class ReportingMomentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingMoment
        fields = ["id", "date", "title", "created_at"]
        read_only_fields = ["id", "created_at"]


class ReportingMomentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Reporting moments ("verantwoordingsmomenten"); every role reads, regie creates."""

    queryset = ReportingMoment.objects.order_by("-date")
    serializer_class = ReportingMomentSerializer
    permission_classes = DEFAULT_PERMISSIONS
    filterset_fields = {"date": ["gte", "lte"]}

    @extend_schema(
        responses={
            201: ReportingMomentSerializer,
            400: OpenApiResponse(description="Ongeldige invoer."),
            403: OpenApiResponse(description="Alleen regie."),
        }
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            moment = reports.save_reporting_moment(
                by=signed_in_user(request), **serializer.validated_data
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
        return Response(self.get_serializer(moment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=GenerateSerializer,
        responses={
            202: ProgressReportSerializer,
            403: OpenApiResponse(description="Alleen regie."),
        },
    )
    @action(detail=True, methods=["post"], url_path="generate")
    def generate(self, request: Request, pk: str | None = None) -> Response:
        """Start making (a new version of) the moment's progress report; poll its status."""
        choice = GenerateSerializer(data=request.data)
        choice.is_valid(raise_exception=True)
        report = reports.request_progress_report(
            moment=self.get_object(),
            by=signed_in_user(request),
            release=choice.validated_data.get("release"),
        )
        report.refresh_from_db()
        return Response(ProgressReportSerializer(report).data, status=status.HTTP_202_ACCEPTED)


class PassthroughRenderer(BaseRenderer):
    """Lets a client that asks for the file's own media type through content negotiation."""

    media_type = "*/*"
    format = "file"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class ProgressReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Generated progress reports: status and progress while being made, then their files."""

    queryset = ProgressReport.objects.order_by("-requested_at", "-pk")
    serializer_class = ProgressReportSerializer
    permission_classes = DEFAULT_PERMISSIONS
    filterset_fields = ["moment", "status"]

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=list(reports.FILE_KINDS), required=True),
        ],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
            (200, "text/html"): OpenApiTypes.STR,
            404: OpenApiResponse(description="Geen (gereed) bestand van deze soort."),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="download",
        renderer_classes=[JSONRenderer, PassthroughRenderer],
    )
    def download(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The stored file, unchanged since it was made (checked against its SHA-256)."""
        report = self.get_object()
        kind = request.query_params.get("kind", "")
        try:
            content = reports.read_report_file(report=report, kind=kind)
        except FileNotFoundError as exc:
            raise NotFound("Dit bestand bestaat niet (nog).") from exc
        filename = f"voortgangsrapportage-{report.moment.date:%Y-%m-%d}-v{report.pk}.{kind}"
        response = file_response(content, filename=filename, content_type=CONTENT_TYPES[kind])
        response["X-Content-SHA256"] = getattr(report, f"{kind}_sha256")
        return response


def register(router: DefaultRouter) -> None:
    router.register("reporting-moments", ReportingMomentViewSet, basename="reporting-moment")
    router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
