"""API of the actions app: actions, milestones, and progress reported through record_progress."""

from __future__ import annotations

from typing import TYPE_CHECKING

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from governance.accounts.permissions import DEFAULT_PERMISSIONS
from ketenportaal.api import raise_as_api_error
from ketenportaal.http import signed_in_user

from . import services
from .models import Action, Milestone, MilestoneStatus, ProgressUpdate, Rag

# ---------------------------------------------------------------- serializers

if TYPE_CHECKING:
    from governance.models import Organisation, Recommendation


class ActionSerializer(serializers.ModelSerializer):
    owner: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        read_only=True, slug_field="code"
    )
    recommendations: serializers.SlugRelatedField[Recommendation] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code"
    )

    class Meta:
        model = Action
        fields = [
            "id",
            "title",
            "description",
            "recommendations",
            "owner",
            "responsible_function",
            "start",
            "end",
        ]


class MilestoneSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="action.owner.code", read_only=True)
    baseline_due_date = serializers.DateField(
        source="baseline", read_only=True, help_text="De deadline zoals eerst gepland."
    )
    slip_days = serializers.IntegerField(
        read_only=True, help_text="Dagen dat de deadline is verschoven ten opzichte van de eerste."
    )
    rag = serializers.ChoiceField(
        choices=Rag.choices,
        source="rag.value",
        read_only=True,
        help_text=(
            "Rood/oranje/groen volgens de RAG-regel (actions/rag.py): rood over de deadline of "
            "met risico binnen RAG_AMBER_DAYS dagen, oranje binnen RAG_AMBER_DAYS dagen of met "
            "risico, anders groen."
        ),
    )
    done_late = serializers.BooleanField(
        read_only=True, help_text="Gereed na de deadline (de kleur blijft groen)."
    )

    class Meta:
        model = Milestone
        fields = [
            "id",
            "action",
            "owner",
            "title",
            "due_date",
            "status",
            "rag",
            "at_risk",
            "risk_reason",
            "completed_on",
            "done_late",
            "percent_complete",
            "baseline_due_date",
            "slip_days",
            "replan_count",
        ]


class ProgressUpdateSerializer(serializers.ModelSerializer):
    """A progress report. Writing one goes through `actions.services.record_progress`."""

    author = serializers.CharField(source="author.username", read_only=True)
    milestone = serializers.PrimaryKeyRelatedField(queryset=Milestone.objects.all())
    new_status = serializers.ChoiceField(
        choices=MilestoneStatus.choices, required=False, allow_blank=True, default=""
    )
    percent_complete = serializers.IntegerField(
        min_value=0, max_value=100, required=False, allow_null=True, default=None
    )
    at_risk = serializers.BooleanField(
        write_only=True, required=False, allow_null=True, default=None
    )
    risk_reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, default=""
    )
    date = serializers.DateField(required=False, allow_null=True, default=None)
    submission_id = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Optioneel: dezelfde waarde twee keer legt één rapportage vast.",
    )

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "milestone",
            "author",
            "date",
            "created_at",
            "text",
            "new_status",
            "percent_complete",
            "at_risk",
            "risk_reason",
            "submission_id",
        ]
        read_only_fields = ["created_at"]


# ---------------------------------------------------------------- filters


class ActionFilter(django_filters.FilterSet):
    owner = django_filters.CharFilter(field_name="owner__code", help_text="Organisatiecode.")
    recommendation = django_filters.CharFilter(
        field_name="recommendations__code", help_text="Code van een aanbeveling."
    )
    perspective = django_filters.NumberFilter(field_name="recommendations__perspective__number")
    theme = django_filters.NumberFilter(field_name="recommendations__perspective__themes__number")

    class Meta:
        model = Action
        fields = ["owner", "recommendation", "perspective", "theme"]


class MilestoneFilter(django_filters.FilterSet):
    owner = django_filters.CharFilter(
        field_name="action__owner__code", help_text="Organisatiecode."
    )
    rag = django_filters.ChoiceFilter(choices=Rag.choices, field_name="rag_code")
    due_from = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_to = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    overdue = django_filters.BooleanFilter(method="filter_overdue", help_text="Over de deadline.")
    recommendation = django_filters.CharFilter(field_name="action__recommendations__code")

    class Meta:
        model = Milestone
        fields = [
            "action",
            "owner",
            "status",
            "rag",
            "due_from",
            "due_to",
            "overdue",
            "recommendation",
        ]

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        overdue = Q(due_date__lt=today) & ~Q(
            status__in=[MilestoneStatus.DONE, MilestoneStatus.CANCELLED]
        )
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class ProgressUpdateFilter(django_filters.FilterSet):
    owner = django_filters.CharFilter(field_name="milestone__action__owner__code")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = ProgressUpdate
        fields = ["milestone", "owner", "date_from", "date_to"]


# ---------------------------------------------------------------- viewsets
# Implementation status is open to every portal role (DESIGN.md); partners write progress only
# for their own organisation's milestones, which record_progress enforces.


class ActionViewSet(viewsets.ReadOnlyModelViewSet):
    """Actions ("acties") that carry out recommendations."""

    queryset = (
        Action.objects.select_related("owner")
        .prefetch_related("recommendations")
        .order_by("start", "pk")
        .distinct()
    )
    serializer_class = ActionSerializer
    permission_classes = DEFAULT_PERMISSIONS
    filterset_class = ActionFilter


class MilestoneViewSet(viewsets.ReadOnlyModelViewSet):
    """Milestones ("mijlpalen") with their derived RAG status."""

    serializer_class = MilestoneSerializer
    permission_classes = DEFAULT_PERMISSIONS
    filterset_class = MilestoneFilter

    def get_queryset(self):
        return (
            Milestone.objects.with_rag()
            .select_related("action__owner")
            .order_by("due_date", "pk")
            .distinct()
        )


@extend_schema_view(
    create=extend_schema(
        responses={
            201: ProgressUpdateSerializer,
            200: OpenApiResponse(
                ProgressUpdateSerializer, description="Al vastgelegd (zelfde submission_id)."
            ),
            400: OpenApiResponse(description="Ongeldige invoer; er is niets vastgelegd."),
            403: OpenApiResponse(description="Niet de eigen organisatie."),
        }
    )
)
class ProgressUpdateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Progress reports on milestones; POST reports progress as the portal's form does."""

    serializer_class = ProgressUpdateSerializer
    permission_classes = DEFAULT_PERMISSIONS
    filterset_class = ProgressUpdateFilter

    def get_queryset(self):
        return ProgressUpdate.objects.select_related("author", "milestone").order_by(
            "-date", "-created_at", "-pk"
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        milestone = get_object_or_404(Milestone, pk=data["milestone"].pk)
        try:
            update = services.record_progress(
                milestone=milestone,
                by=signed_in_user(request),
                text=data["text"],
                new_status=data["new_status"],
                percent_complete=data["percent_complete"],
                at_risk=data["at_risk"],
                risk_reason=data["risk_reason"],
                date=data["date"],
                submission_id=data["submission_id"],
            )
        except services.DuplicateSubmission as duplicate:
            return Response(self.get_serializer(duplicate.update).data, status=status.HTTP_200_OK)
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
        return Response(self.get_serializer(update).data, status=status.HTTP_201_CREATED)


def register(router: DefaultRouter) -> None:
    """Register this app's API viewsets."""
    router.register("actions", ActionViewSet, basename="action")
    router.register("milestones", MilestoneViewSet, basename="milestone")
    router.register("progress-updates", ProgressUpdateViewSet, basename="progress-update")
