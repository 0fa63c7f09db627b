"""Read endpoints for the review's structure and the boards' work (DESIGN.md, HTTP API contract).

Everything here is chain-wide information that every role reads; a user without a role in the
portal sees nothing. Writes go through the pages (and the services), not through the API.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter

from . import roles
from .models import (
    ActionPerspective,
    AgendaItem,
    Board,
    BoardMember,
    BoardRelation,
    Decision,
    Meeting,
    Recommendation,
    Theme,
)


def visible(queryset: QuerySet, user) -> QuerySet:
    """Governance data is for everyone with a role in the portal, and for no one else."""
    return queryset if roles.role_of(user) is not None else queryset.none()


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "number", "title", "title_en", "aim"]


class PerspectiveSerializer(serializers.ModelSerializer):
    themes = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)

    class Meta:
        model = ActionPerspective
        fields = ["id", "number", "title", "title_en", "themes"]


class RecommendationSerializer(serializers.ModelSerializer):
    perspective = serializers.SlugRelatedField(slug_field="number", read_only=True)
    owner = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Recommendation
        fields = ["id", "code", "perspective", "source", "text", "owner", "phase", "status"]


class BoardMemberSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = BoardMember
        fields = ["organisation", "role", "represented_by", "mandate"]


class BoardRelationSerializer(serializers.ModelSerializer):
    target = serializers.SlugRelatedField(slug_field="code", read_only=True)

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
    decisions = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["order", "title", "description", "signal", "decisions"]


class MeetingSerializer(serializers.ModelSerializer):
    board = serializers.SlugRelatedField(slug_field="code", read_only=True)
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "board", "date", "title", "location", "minutes", "agenda"]


class DecisionSerializer(serializers.ModelSerializer):
    board = serializers.SlugRelatedField(slug_field="code", read_only=True)
    perspectives = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    recommendations = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    actions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

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


class ThemeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ThemeSerializer

    def get_queryset(self):
        return visible(Theme.objects.all(), self.request.user)


class PerspectiveViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PerspectiveSerializer
    filterset_fields = ["number"]

    def get_queryset(self):
        return visible(ActionPerspective.objects.prefetch_related("themes"), self.request.user)


class RecommendationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RecommendationSerializer
    filterset_fields = ["status", "phase", "source"]

    def get_queryset(self):
        return visible(
            Recommendation.objects.select_related("perspective", "owner"), self.request.user
        )


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


class DecisionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DecisionSerializer
    lookup_field = "number"
    filterset_fields = ["board__code", "status", "year", "needs_triangle"]

    def get_queryset(self):
        qs = Decision.objects.select_related("board").prefetch_related(
            "perspectives", "recommendations", "actions"
        )
        return visible(qs.order_by("-date", "-pk"), self.request.user)


def register(router: DefaultRouter) -> None:
    """Register this app's API viewsets."""
    router.register("themes", ThemeViewSet, basename="theme")
    router.register("perspectives", PerspectiveViewSet, basename="perspective")
    router.register("recommendations", RecommendationViewSet, basename="recommendation")
    router.register("boards", BoardViewSet, basename="board")
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("decisions", DecisionViewSet, basename="decision")
