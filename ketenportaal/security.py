"""Response headers and request checks that hold for the whole portal.

- `Cache-Control: no-store` on every answer to a logged-in user, every API answer and every
  download: nothing personal or partner-confidential stays in a browser's or proxy's cache.
- `Permissions-Policy`: the portal uses no camera, microphone, location or similar.
- A NUL byte in the path or the query string is answered 400 (PostgreSQL cannot store it and
  no legitimate client sends it).
- Under `/api/` every error is JSON with a `message`, also the ones Django answers itself
  (an unknown URL, a server error).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

NUL = "\x00"


def _has_nul(request: HttpRequest) -> bool:
    if NUL in request.path or NUL in unquote(request.META.get("QUERY_STRING", "")):
        return True
    return any(
        NUL in key or NUL in value for key, values in request.GET.lists() for value in [*values]
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path_info.startswith("/api/")
        if _has_nul(request):
            message = _("Het verzoek bevat een ongeldig teken (NUL).")
            response: HttpResponse = (
                JsonResponse({"message": message}, status=400)
                if is_api
                else HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
            )
        else:
            response = self.get_response(request)
        if is_api:
            response = self._json_error(request, response)
        user = getattr(request, "user", None)
        if (
            is_api
            or (user is not None and user.is_authenticated)
            or response.has_header("Content-Disposition")
        ):
            add_never_cache_headers(response)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path_info.startswith("/api/"):
            return None
        logger.exception("Unhandled error in the API")
        return JsonResponse(
            {
                "message": _("Er ging iets mis in het portaal; probeer het later opnieuw."),
                "request_id": getattr(request, "request_id", ""),
            },
            status=500,
        )

    @staticmethod
    def _json_error(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code < 400 or "json" in response.get("Content-Type", ""):
            return response
        messages = {
            400: _("Het verzoek is niet geldig."),
            403: _("U heeft geen toegang."),
            404: _("Niet gevonden."),
            405: _("Deze methode is hier niet toegestaan."),
            413: _("Het verzoek is te groot."),
        }
        message = messages.get(
            response.status_code,
            _("Er ging iets mis in het portaal; probeer het later opnieuw.")
            if response.status_code >= 500
            else _("Het verzoek is niet gelukt."),
        )
        replacement = JsonResponse(
            {"message": message, "request_id": getattr(request, "request_id", "")},
            status=response.status_code,
        )
        for header in ("Retry-After", "Allow", "WWW-Authenticate"):
            if response.has_header(header):
                replacement[header] = response[header]
        return replacement
