"""Shared API plumbing: errors are JSON with a clear, translated `message`."""

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


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
