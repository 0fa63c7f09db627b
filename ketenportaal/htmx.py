"""htmx: one view answers both the whole page and its named partial.

A page that pushes its URL (filters, paging) must answer htmx's history-restore request, sent
when the user goes Back and the page is no longer in htmx's history cache, with the whole page:
`wants_partial` says no for it. Every response varies on `HX-Request`
(`ketenportaal.middleware.VaryOnHtmxMiddleware`), so a cache never serves one for the other.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def wants_partial(request: HttpRequest) -> bool:
    """An htmx request for a part of the page (not a history restore, which needs it all)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx and not htmx.history_restore_request)


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str,
    status: int = 200,
) -> HttpResponse:
    """The whole page, or for an htmx request its partial `template#partial`."""
    name = f"{template}#{partial}" if wants_partial(request) else template
    return render(request, name, context, status=status)
