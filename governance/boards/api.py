"""API of the boards' work: boards, meetings and decisions (DESIGN.md, HTTP API contract).

Everything read here is chain-wide information that every role reads; a user without a role in
the portal sees nothing. Decisions are written through the same services as the pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from governance.accounts import roles
from governance.accounts.api import visible
from governance.models import (
    ActionPerspective,
    AgendaItem,
    Board,
    BoardMember,
    BoardRelation,
    Decision,
    DecisionStatus,
    Meeting,
    Organisation,
    Recommendation,
)
from ketenportaal.api import raise_as_api_error
from ketenportaal.http import signed_in_user

from . import services

if TYPE_CHECKING:
    from actions.models import Action


class BoardMemberSerializer(serializers.ModelSerializer):
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = BoardMember
        fields = ["organisation", "role", "represented_by", "mandate"]


class BoardRelationSerializer(serializers.ModelSerializer):
    target: serializers.SlugRelatedField[Board] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = BoardRelation
        fields = ["kind", "target", "note"]


class BoardSerializer(serializers.ModelSerializer):
    members = BoardMemberSerializer(many=True, read_only=True)
    relations = BoardRelationSerializer(source="relations_out", many=True, read_only=True)

    class Meta:
        model = Board
        fields = [
            "code",
            "name",
            "kind",
            "tasks",
            "responsibilities",
            "decides_on",
            "chair",
            "frequency",
            "members",
            "relations",
        ]


class AgendaItemSerializer(serializers.ModelSerializer):
    decisions: serializers.SlugRelatedField[Decision] = serializers.SlugRelatedField(
        slug_field="number", many=True, read_only=True
    )

    class Meta:
        model = AgendaItem
        fields = ["order", "title", "description", "signal", "decisions"]


class MeetingSerializer(serializers.ModelSerializer):
    board: serializers.SlugRelatedField[Board] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "board", "date", "title", "location", "minutes", "agenda"]


class DecisionSerializer(serializers.ModelSerializer):
    board: serializers.SlugRelatedField[Board] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    perspectives: serializers.SlugRelatedField[ActionPerspective] = serializers.SlugRelatedField(
        slug_field="number", many=True, read_only=True
    )
    recommendations: serializers.SlugRelatedField[Recommendation] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    actions: serializers.PrimaryKeyRelatedField[Action] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = Decision
        fields = [
            "number",
            "board",
            "meeting",
            "agenda_item",
            "date",
            "title",
            "text",
            "status",
            "needs_triangle",
            "effective_date",
            "perspectives",
            "recommendations",
            "actions",
        ]


class BoardViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BoardSerializer
    lookup_field = "code"
    filterset_fields = ["kind"]

    def get_queryset(self):
        qs = Board.objects.prefetch_related(
            Prefetch("members", queryset=BoardMember.objects.select_related("organisation")),
            Prefetch("relations_out", queryset=BoardRelation.objects.select_related("target")),
        )
        return visible(qs, self.request.user)


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MeetingSerializer
    filterset_fields = ["board__code", "date"]

    def get_queryset(self):
        qs = Meeting.objects.select_related("board").prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.prefetch_related("decisions"))
        )
        return visible(qs, self.request.user)


class DecisionCreateSerializer(serializers.Serializer):
    """A proposed decision, recorded through `services.record_decision` (regie)."""

    board = serializers.SlugRelatedField(slug_field="code", queryset=Board.objects.all())
    title = serializers.CharField(max_length=300)
    text = serializers.CharField()
    date = serializers.DateField()
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.all(), required=False, allow_null=True, default=None
    )
    agenda_item = serializers.PrimaryKeyRelatedField(
        queryset=AgendaItem.objects.all(), required=False, allow_null=True, default=None
    )
    needs_triangle = serializers.BooleanField(required=False, default=False)
    effective_date = serializers.DateField(required=False, allow_null=True, default=None)
    perspectives = serializers.SlugRelatedField(
        slug_field="number",
        queryset=ActionPerspective.objects.all(),
        many=True,
        required=False,
        default=list,  # type: ignore[arg-type]  # the stubs type `default` as one object, also for many
    )
    recommendations = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Recommendation.objects.all(),
        many=True,
        required=False,
        default=list,  # type: ignore[arg-type]  # the stubs type `default` as one object, also for many
    )


class DecisionUpdateSerializer(serializers.Serializer):
    """A change of a decision's details, through `services.save_decision_details` (regie).
    Its number, board and status are not changed here; its date stays in its number's year."""

    title = serializers.CharField(max_length=300, required=False)
    text = serializers.CharField(required=False)
    date = serializers.DateField(required=False)
    needs_triangle = serializers.BooleanField(required=False)
    effective_date = serializers.DateField(required=False, allow_null=True)
    perspectives = serializers.SlugRelatedField(
        slug_field="number", queryset=ActionPerspective.objects.all(), many=True, required=False
    )
    recommendations = serializers.SlugRelatedField(
        slug_field="code", queryset=Recommendation.objects.all(), many=True, required=False
    )


class DecisionStatusSerializer(serializers.Serializer):
    """A move along the decision's lifecycle (`services.change_decision_status`)."""

    status = serializers.ChoiceField(choices=DecisionStatus.choices)
    on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class DecisionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Decisions ("besluiten") of the boards, by number; regie records them, changes their
    details (PATCH) and moves their status through the same services as the portal's pages."""

    serializer_class = DecisionSerializer
    lookup_field = "number"
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["board__code", "status", "year", "needs_triangle"]

    def get_queryset(self):
        qs = Decision.objects.select_related("board").prefetch_related(
            "perspectives", "recommendations", "actions"
        )
        return visible(qs.order_by("-date", "-pk"), self.request.user)

    def _answer(self, decision: Decision, code: int) -> Response:
        decision = self.get_queryset().get(pk=decision.pk)
        return Response(DecisionSerializer(decision).data, status=code)

    @extend_schema(
        request=DecisionCreateSerializer,
        responses={
            201: DecisionSerializer,
            400: OpenApiResponse(description="Ongeldige invoer; er is niets vastgelegd."),
            403: OpenApiResponse(description="Alleen regie."),
        },
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        roles.require_regie(request.user)
        serializer = DecisionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            decision = services.record_decision(
                by=signed_in_user(request), **serializer.validated_data
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
        return self._answer(decision, status.HTTP_201_CREATED)

    @extend_schema(
        request=DecisionUpdateSerializer,
        responses={
            200: DecisionSerializer,
            400: OpenApiResponse(
                description="Ongeldige invoer, bv. een datum in een ander jaar dan het nummer."
            ),
            403: OpenApiResponse(description="Alleen regie."),
        },
    )
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        """Change a decision's title, text, dates, driehoek flag or links. The year of its number
        is fixed: a date in another year is refused (400) and nothing changes."""
        decision = self.get_object()
        roles.require_regie(request.user)
        serializer = DecisionUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        perspectives = data.pop("perspectives", None)
        recommendations = data.pop("recommendations", None)
        for name, value in data.items():
            setattr(decision, name, value)
        try:
            decision = services.save_decision_details(
                decision=decision,
                by=signed_in_user(request),
                perspectives=perspectives,
                recommendations=recommendations,
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
        return self._answer(decision, status.HTTP_200_OK)

    @extend_schema(
        request=DecisionStatusSerializer,
        responses={
            200: DecisionSerializer,
            400: OpenApiResponse(description="Deze overgang is niet toegestaan."),
            403: OpenApiResponse(description="Alleen regie."),
        },
    )
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request: Request, number: str | None = None) -> Response:
        """Move the decision along its lifecycle (proposed → adopted → confirmed → implemented,
        or withdrawn); refused moves change nothing."""
        decision = self.get_object()
        roles.require_regie(request.user)
        serializer = DecisionStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            decision = services.change_decision_status(
                decision=decision,
                to=serializer.validated_data["status"],
                by=signed_in_user(request),
                on=serializer.validated_data["on"],
                note=serializer.validated_data["note"],
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
        return self._answer(decision, status.HTTP_200_OK)


def register(router: DefaultRouter) -> None:
    """Register the boards' API viewsets."""
    router.register("boards", BoardViewSet, basename="board")
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("decisions", DecisionViewSet, basename="decision")
