"""The search page: one box, hits grouped per kind, each kind narrowed by a link."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _

from ketenportaal.htmx import render_page
from ketenportaal.http import AuthenticatedHttpRequest

from . import search


@login_required
def search_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """`?q=…` searches everything the user may see; `&soort=…` one kind only."""
    if not search.visible_kinds(request.user):
        raise PermissionDenied(_("Zoeken kan alleen met een rol in het portaal."))
    text = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("soort", "")
    kinds = [kind] if kind in search.KIND_KEYS else None
    groups = search.search(text=text, user=request.user, kinds=kinds) if text else []
    context = {
        "q": text,
        "kind": kind if kinds else "",
        "kinds": search.KINDS,
        "groups": groups,
        "total": sum(len(g.hits) for g in groups),
        "too_short": bool(text) and len("".join(search.words_of(text))) < search.MIN_LENGTH,
    }
    return render_page(request, "governance/search.html", context, partial="results")
