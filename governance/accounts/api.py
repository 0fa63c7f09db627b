"""API of accounts: organisations, and API tokens for systems (DESIGN.md, HTTP API contract).

Organisations are chain-wide information that every role reads; a user without a role in the
portal sees nothing (HasPortalRole).
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
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

from governance.models import Organisation
from ketenportaal.http import signed_in_user

from . import mfa, roles, tokens
from .permissions import DEFAULT_PERMISSIONS


def visible(queryset: QuerySet, user) -> QuerySet:
    """Governance data is for everyone with a role in the portal, and for no one else."""
    return queryset if roles.role_of(user) is not None else queryset.none()


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "code", "name", "name_en", "is_chain_partner"]


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """The chain partners and the directie Regie Migratieketen, by code."""

    queryset = Organisation.objects.order_by("code")
    serializer_class = OrganisationSerializer
    permission_classes = DEFAULT_PERMISSIONS
    lookup_field = "code"
    filterset_fields = ["is_chain_partner"]


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
    otp = serializers.CharField(
        required=False,
        max_length=20,
        help_text="Code uit de authenticator-app (of een herstelcode), voor wie met een tweede "
        "factor inlogt.",
    )


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
        # A user who logs in with a second factor sends its code too (`otp`): the token must not
        # be a way around it (issue 15).
        if mfa.applies_to(user):
            code = serializer.validated_data.get("otp", "")
            request._request.user = user
            if not mfa.api_code_is_valid(request=request._request, user=user, code=code):
                raise ValidationError(
                    {"otp": [_("Geef de code uit uw authenticator-app mee in het veld otp.")]}
                )
        instance, key = tokens.create_api_token(user=user, request=request._request)
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
        tokens.revoke_api_token(
            user=signed_in_user(request), token_key=request.auth.token_key, request=request._request
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """Tell the OpenAPI schema how to send the token: `Authorization: Token <key>`."""

    target_class = "governance.accounts.authentication.ThrottledTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <sleutel>`: een API-token uit het portaal (pagina API-tokens).",
        }


def register(router: DefaultRouter) -> None:
    """Register the accounts' API viewsets."""
    router.register("organisations", OrganisationViewSet, basename="organisation")
