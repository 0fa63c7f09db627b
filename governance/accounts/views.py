"""The "API-tokens" page: a user makes, sees and revokes their own API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ketenportaal.http import AuthenticatedHttpRequest

from . import roles, tokens


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET lists the user's tokens; POST `create` shows a new key once, POST `revoke` revokes one."""
    new_key = None
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "create":
            if not roles.role_of(request.user):
                messages.error(request, _("U heeft geen rol in het ketenportaal."))
                return redirect("api-tokens")
            # Rendered, not redirected: the key is in this one answer and stored nowhere.
            _instance, new_key = tokens.create_api_token(user=request.user, request=request)
            status = 201
        elif request.POST.get("action") == "revoke":
            if tokens.revoke_api_token(
                user=request.user, token_key=request.POST.get("token_key", ""), request=request
            ):
                messages.success(request, _("Het token is ingetrokken; het werkt niet meer."))
            else:
                messages.error(request, _("Dit token bestaat niet (meer) of is niet van u."))
            return redirect("api-tokens")
        else:
            messages.error(request, _("Onbekende opdracht."))
            return redirect("api-tokens")
    return render(
        request,
        "governance/api_tokens.html",
        {"tokens": tokens.active_tokens_of(request.user), "new_key": new_key},
        status=status,
    )
