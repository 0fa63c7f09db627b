"""The calendar feed itself (no login: the secret address is the key) and its management on
the account page (make, make anew, revoke)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from governance.accounts import roles
from ketenportaal.http import AuthenticatedHttpRequest

from . import events, ical, services


@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """`text/calendar` of the token's user; 404 for an unknown, revoked or inactive one (the
    same answer for each, so the address gives nothing away)."""
    feed = services.feed_for_token(token)
    if feed is None:
        raise Http404
    services.note_use(feed)
    user = feed.user
    body = ical.calendar(
        _("Ketenportaal – %(name)s") % {"name": user.get_full_name() or user.username},
        events.events_for(user, absolute=request.build_absolute_uri, host=request.get_host()),
        stamp=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ketenportaal.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def manage_calendar_feed(request: AuthenticatedHttpRequest) -> HttpResponse:
    """`action=create` makes a new address (the old one stops) and shows it once;
    `action=revoke` ends it."""
    if roles.role_of(request.user) is None:
        messages.error(request, _("Een agenda-abonnement kan alleen met een rol in het portaal."))
        return redirect("account")
    action = request.POST.get("action")
    if action == "create":
        token = services.create_calendar_feed(user=request.user, request=request)
        url = request.build_absolute_uri(reverse("calendar-feed", args=[token]))
        return render(request, "accounts/calendar_feed_created.html", {"feed_url": url})
    if action == "revoke":
        if services.revoke_calendar_feed(user=request.user, request=request):
            messages.success(request, _("Uw agenda-adres is ingetrokken; het werkt niet meer."))
        return redirect("account")
    messages.error(request, _("Onbekende opdracht."))
    return redirect("account")
