"""Shared API plumbing: JSON errors with a clear `message`, role permissions, token throttling."""

from typing import Any, NoReturn

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .permissions import HasPortalRole

__all__ = ["DEFAULT_PERMISSIONS", "HasPortalRole", "raise_as_api_error"]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and "detail" in data:
        message = str(data["detail"])
        response.data = {"message": message, **data}
    elif isinstance(data, dict):
        response.data = {"message": "De invoer is niet geldig.", "errors": data}
    elif isinstance(data, list):
        response.data = {"message": " ".join(str(item) for item in data), "errors": data}
    return response


DEFAULT_PERMISSIONS = [IsAuthenticated, HasPortalRole]


def raise_as_api_error(exc: DjangoValidationError) -> NoReturn:
    """A service's Django ValidationError as DRF's, so the answer is 400 with field messages."""
    if hasattr(exc, "error_dict"):
        raise ValidationError(exc.message_dict) from exc
    raise ValidationError({"non_field_errors": exc.messages}) from exc


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """Tell the OpenAPI schema how to send the token: `Authorization: Token <key>`."""

    target_class = "ketenportaal.authentication.ThrottledTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <sleutel>`: een API-token uit het portaal (pagina API-tokens).",
        }
