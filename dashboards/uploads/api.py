"""/api/v1/uploads/ and /api/v1/indicators/ (DESIGN.md, "The HTTP API contract").

Querysets are always filtered by what the user may see: another organisation's upload id
answers 404, not 403. Writes go through dashboards.services, like the pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.generics import get_object_or_404  # a malformed id is a 404, not a 500
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from dashboards.models import Upload, UploadIssue
from governance.accounts import roles
from governance.models import Organisation
from ketenportaal.http import signed_in_user

from . import approval, limits, scanning, services

#: Issues listed per upload in the API; the full report is the CSV at `report`.
ISSUES_SHOWN = 1000


class ShownIssues(TypedDict):
    """What `UploadViewSet.get_queryset` prefetches onto each upload: the issues it lists."""

    shown_issues: list[UploadIssue]


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    ShownUpload = WithAnnotations[Upload, ShownIssues]
else:
    ShownUpload = Upload  # drf-spectacular reads the hints of `get_errors` at run time


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class IssueSerializer(serializers.ModelSerializer):
    # In the requester's language (Accept-Language, the language cookie), whoever uploaded.
    message = serializers.CharField(source="text", read_only=True)

    class Meta:
        model = UploadIssue
        fields = ["row", "column", "code", "message"]


class UploadSerializer(serializers.ModelSerializer):
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)
    # DRF's metaclass moves declared fields out of the class, so `Serializer.errors` stays.
    errors = serializers.SerializerMethodField()  # type: ignore[assignment]
    warnings = serializers.SerializerMethodField()
    report = serializers.HyperlinkedIdentityField(view_name="dashboards:upload-report")
    waiting_for_scan = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField()

    class Meta:
        model = Upload
        fields = [
            "id",
            "organisation",
            "status",
            "file_name",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "rows",
            "rows_read",
            "rows_expected",
            "error_count",
            "warning_count",
            "errors",
            "warnings",
            "report",
            "validation_started_at",
            "validation_finished_at",
            "decided_at",
            "rejection_reason",
            "waiting_for_scan",
            "message",
        ]
        read_only_fields = fields

    def get_waiting_for_scan(self, upload: Upload) -> bool:
        return hasattr(upload, "pending_scan")

    def get_message(self, upload: Upload) -> str:
        """Why an upload is still `received`: it waits for the virus scanner."""
        return scanning.waiting_message() if hasattr(upload, "pending_scan") else ""

    def _issues(self, upload: ShownUpload, severity: str) -> list:
        issues = [i for i in upload.shown_issues if i.severity == severity]
        return list(IssueSerializer(issues, many=True).data)

    @extend_schema(responses=IssueSerializer(many=True))
    def get_errors(self, upload: ShownUpload) -> list:
        return self._issues(upload, "error")

    @extend_schema(responses=IssueSerializer(many=True))
    def get_warnings(self, upload: ShownUpload) -> list:
        return self._issues(upload, "warning")


class UploadCreateSerializer(serializers.Serializer):
    file = serializers.FileField()
    organisation = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Organisation.objects.all(),
        required=False,
        help_text="Only for regie: the organisation on whose behalf the file is sent.",
    )


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class UploadViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Uploads: a partner sees and sends only its own organisation's; regie all."""

    serializer_class = UploadSerializer
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["status"]

    def get_throttles(self):
        # Sending files is throttled per user (API_UPLOAD_THROTTLE_RATE), with the web form's
        # counter (limits.UploadThrottle); reading is not.
        return [limits.UploadThrottle()] if self.action == "create" else []

    def get_queryset(self):
        # A list shows the first 100 issues of each upload; the detail up to ISSUES_SHOWN.
        shown = ISSUES_SHOWN if self.action == "retrieve" else 100
        issues = UploadIssue.objects.order_by("severity", "row", "pk")[:shown]
        return (
            Upload.objects.visible_to(self.request.user)
            .select_related("organisation", "uploaded_by", "pending_scan")
            .prefetch_related(Prefetch("issues", queryset=issues, to_attr="shown_issues"))
        )

    @extend_schema(request=UploadCreateSerializer, responses={202: UploadSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        incoming = UploadCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        organisation = incoming.validated_data.get("organisation")
        if organisation is None:
            organisation = roles.organisation_of(request.user)
        if organisation is None:
            raise PermissionDenied("U hoort bij geen organisatie.")
        try:
            upload = services.submit_upload(
                organisation=organisation,
                by=signed_in_user(request),
                file=incoming.validated_data["file"],
            )
        except services.DuplicateUpload as exc:
            return Response(
                {"message": str(exc), "detail": str(exc), "id": exc.earlier.pk},
                status=status.HTTP_409_CONFLICT,
            )
        except scanning.InfectedUpload as exc:
            message = exc.messages[0]
            return Response(
                {"message": message, "errors": {"file": [message]}},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        upload = self.get_queryset().get(pk=upload.pk)
        return Response(
            self.get_serializer(upload).data,
            status=status.HTTP_202_ACCEPTED,
        )

    def _decide(self, request: Request, pk: str, decide) -> Response:
        upload = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            decide(upload)
        except approval.UploadNotPending as exc:
            raise Conflict(str(exc)) from exc
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise ValidationError({"detail": exc.messages}) from exc
        return Response(self.get_serializer(self.get_queryset().get(pk=upload.pk)).data)

    @extend_schema(request=None, responses=UploadSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        """Regie only: the upload's figures become the current ones."""
        return self._decide(
            request,
            pk,
            lambda upload: approval.approve_upload(upload=upload, by=signed_in_user(request)),
        )

    @extend_schema(request=RejectSerializer, responses=UploadSerializer)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, FormParser, MultiPartParser])
    def reject(self, request: Request, pk: str) -> Response:
        """Regie only: refuse the upload with a reason the partner sees."""
        incoming = RejectSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        return self._decide(
            request,
            pk,
            lambda upload: approval.reject_upload(
                upload=upload, by=signed_in_user(request), reason=incoming.validated_data["reason"]
            ),
        )


def register(router: DefaultRouter) -> None:
    """Register the uploads' API viewsets."""
    router.register("uploads", UploadViewSet, basename="upload")
