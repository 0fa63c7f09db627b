"""API of the governance app: organisations, the review's structure, the boards' work, and API
tokens (DESIGN.md, HTTP API contract).

Everything read here is chain-wide information that every role reads; a user without a role in
the portal sees nothing. Decisions are written through the same services as the pages.
"""

from __future__ import annotations

import django_filters
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from ketenportaal.api import DEFAULT_PERMISSIONS, raise_as_api_error

from . import decisions, roles, tokens
from .models import (
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
    Theme,
)


def visible(queryset: QuerySet, user) -> QuerySet:
    """Governance data is for everyone with a role in the portal, and for no one else."""
    return queryset if roles.role_of(user) is not None else queryset.none()


# ---------------------------------------------------------------- serializers


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "code", "name", "name_en", "is_chain_partner"]


class ThemeSerializer(serializers.ModelSerializer):
    perspectives = serializers.SlugRelatedField(many=True, read_only=True, slug_field="number")

    class Meta:
        model = Theme
        fields = ["id", "number", "title", "title_en", "aim", "perspectives"]


class PerspectiveSerializer(serializers.ModelSerializer):
    themes = serializers.SlugRelatedField(many=True, read_only=True, slug_field="number")

    class Meta:
        model = ActionPerspective
        fields = ["id", "number", "title", "title_en", "themes"]


class RecommendationSerializer(serializers.ModelSerializer):
    perspective = serializers.SlugRelatedField(read_only=True, slug_field="number")
    owner = serializers.SlugRelatedField(read_only=True, slug_field="code")

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


# ---------------------------------------------------------------- filters


class RecommendationFilter(django_filters.FilterSet):
    perspective = django_filters.NumberFilter(
        field_name="perspective__number", help_text="Nummer van het handelingsperspectief."
    )
    theme = django_filters.NumberFilter(
        field_name="perspective__themes__number", help_text="Nummer van het thema."
    )
    owner = django_filters.CharFilter(field_name="owner__code", help_text="Organisatiecode.")

    class Meta:
        model = Recommendation
        fields = ["perspective", "theme", "owner", "status", "phase", "source"]


class PerspectiveFilter(django_filters.FilterSet):
    theme = django_filters.NumberFilter(
        field_name="themes__number", help_text="Nummer van het thema."
    )

    class Meta:
        model = ActionPerspective
        fields = ["theme"]


# ---------------------------------------------------------------- viewsets
# The review's structure and the organisations are open to every portal role (DESIGN.md: viewers
# read implementation status); users without a role see nothing (HasPortalRole).


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """The chain partners and the directie Regie Migratieketen, by code."""

    queryset = Organisation.objects.order_by("code")
    serializer_class = OrganisationSerializer
    permission_classes = DEFAULT_PERMISSIONS
    lookup_field = "code"
    filterset_fields = ["is_chain_partner"]


class ThemeViewSet(viewsets.ReadOnlyModelViewSet):
    """The four themes, by number."""

    queryset = Theme.objects.prefetch_related("perspectives").order_by("number")
    serializer_class = ThemeSerializer
    permission_classes = DEFAULT_PERMISSIONS
    lookup_field = "number"


class PerspectiveViewSet(viewsets.ReadOnlyModelViewSet):
    """The nine action perspectives ("handelingsperspectieven"), by number."""

    queryset = ActionPerspective.objects.prefetch_related("themes").order_by("number")
    serializer_class = PerspectiveSerializer
    permission_classes = DEFAULT_PERMISSIONS
    filterset_class = PerspectiveFilter
    lookup_field = "number"


class RecommendationViewSet(viewsets.ReadOnlyModelViewSet):
    """Recommendations ("aanbevelingen") of the review reports."""

    queryset = (
        Recommendation.objects.select_related("perspective", "owner")
        .order_by("perspective__number", "code")
        .distinct()
    )
    serializer_class = RecommendationSerializer
    permission_classes = DEFAULT_PERMISSIONS
    filterset_class = RecommendationFilter


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
    """A proposed decision, recorded through `governance.decisions.record_decision` (regie)."""

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
        default=list,
    )
    recommendations = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Recommendation.objects.all(),
        many=True,
        required=False,
        default=list,
    )


class DecisionStatusSerializer(serializers.Serializer):
    """A move along the decision's lifecycle (`governance.decisions.change_decision_status`)."""

    status = serializers.ChoiceField(choices=DecisionStatus.choices)
    on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Decisions ("besluiten") of the boards, by number; regie records them and moves their
    status through the same services as the portal's pages."""

    serializer_class = DecisionSerializer
    lookup_field = "number"
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
            decision = decisions.record_decision(by=request.user, **serializer.validated_data)
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
        return self._answer(decision, status.HTTP_201_CREATED)

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
            decision = decisions.change_decision_status(
                decision=decision,
                to=serializer.validated_data["status"],
                by=request.user,
                on=serializer.validated_data["on"],
                note=serializer.validated_data["note"],
            )
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
        return self._answer(decision, status.HTTP_200_OK)


# ---------------------------------------------------------------- API tokens

TokenCreated = inline_serializer(
    "TokenCreated",
    fields={
        "token": serializers.CharField(help_text="De sleutel; wordt maar één keer getoond."),
        "token_key": serializers.CharField(
            help_text="De eerste tekens, om het token te herkennen."
        ),
        "expiry": serializers.DateTimeField(allow_null=True),
    },
)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class ObtainTokenView(APIView):
    """Exchange a user name and password for a new API token (throttled per address)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={201: TokenCreated, 400: OpenApiResponse(description="Ongeldige invoer.")},
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise ValidationError(_("Gebruikersnaam of wachtwoord klopt niet."))
        instance, key = tokens.create_api_token(user=user)
        return Response(
            {"token": key, "token_key": instance.token_key, "expiry": instance.expiry},
            status=status.HTTP_201_CREATED,
        )


class RevokeTokenView(APIView):
    """Revoke the token this request was made with."""

    permission_classes = DEFAULT_PERMISSIONS

    @extend_schema(request=None, responses={204: None}, tags=["auth"])
    def post(self, request: Request) -> Response:
        if not isinstance(request.auth, AuthToken):
            raise ValidationError(_("Dit verzoek is niet met een API-token gedaan."))
        tokens.revoke_api_token(user=request.user, token_key=request.auth.token_key)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router: DefaultRouter) -> None:
    """Register this app's API viewsets."""
    router.register("organisations", OrganisationViewSet, basename="organisation")
    router.register("themes", ThemeViewSet, basename="theme")
    router.register("perspectives", PerspectiveViewSet, basename="perspective")
    router.register("recommendations", RecommendationViewSet, basename="recommendation")
    router.register("boards", BoardViewSet, basename="board")
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("decisions", DecisionViewSet, basename="decision")
