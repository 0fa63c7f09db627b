"""Project-wide middleware: Dutch pages by default, and responses that vary on htmx."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers


class DutchByDefaultMiddleware:
    """Drop the browser's Accept-Language for pages, so the portal is Dutch until the user picks
    English with the switch (a cookie). API clients keep Accept-Language for their messages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class VaryOnHtmxMiddleware:
    """Every view answers an htmx request with a partial and a plain one with the page: caches
    (the browser's included, which the Back button reads) must keep them apart."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_vary_headers(response, ["HX-Request"])
        return response
