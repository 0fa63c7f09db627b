"""Dutch by default: pages follow the user's own choice (the language switch), not the browser."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class DutchByDefaultMiddleware:
    """Drop the browser's Accept-Language for pages, so the portal is Dutch until the user picks
    English with the switch (a cookie). API clients keep Accept-Language for their messages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
