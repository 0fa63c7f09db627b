"""Shared API plumbing: JSON errors with a clear `message`, and service errors as API errors."""

from typing import Any, NoReturn

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

__all__ = ["exception_handler", "raise_as_api_error"]


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


def raise_as_api_error(exc: DjangoValidationError) -> NoReturn:
    """A service's Django ValidationError as DRF's, so the answer is 400 with field messages."""
    if hasattr(exc, "error_dict"):
        raise ValidationError(exc.message_dict) from exc
    raise ValidationError({"non_field_errors": exc.messages}) from exc
