"""API of the governance app: organisations, the review's structure, and API tokens."""

from __future__ import annotations

import django_filters
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from ketenportaal.api import DEFAULT_PERMISSIONS

from . import tokens
from .models import ActionPerspective, Organisation, Recommendation, Theme

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
