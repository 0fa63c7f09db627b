"""Limits a user meets when sending files: the upload throttle, one budget per user for the web
form and the API alike (API_UPLOAD_THROTTLE_RATE), and how a limit's duration reads.

The counters live in Django's cache (shared by all web processes with CACHE_URL); while the cache
is down the throttle fails open (ketenportaal.cache), so an outage never stops a delivery.
"""

from __future__ import annotations

import math

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from rest_framework.throttling import UserRateThrottle

#: DRF's rate periods (`120/hour`), as the message names them.
PERIODS = {
    1: gettext_lazy("seconde"),
    60: gettext_lazy("minuut"),
    3600: gettext_lazy("uur"),
    86400: gettext_lazy("dag"),
}


class UploadThrottle(UserRateThrottle):
    """Files sent per user (scope `uploads`). The API's upload endpoint and the web form share
    the counter: a user cannot double the budget by switching between them."""

    scope = "uploads"

    def allows(self, request: HttpRequest) -> bool:
        """`allow_request` for a page's request: the throttle reads only the user (and, for an
        anonymous one, the address), which a Django request has as a DRF one does."""
        return self.allow_request(request, None)  # type: ignore[arg-type]


def duration_text(seconds: float) -> str:
    """'45 seconden', '1 minuut', '15 minuten': seconds under two minutes, whole minutes above."""
    seconds = max(1, math.ceil(seconds))
    if seconds < 120:
        return ngettext("%(count)s seconde", "%(count)s seconden", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(count)s minuut", "%(count)s minuten", minutes) % {"count": minutes}


def refused_upload(request: HttpRequest) -> HttpResponse | None:
    """None when this user may send a file now (the attempt is counted, as the API counts every
    request); otherwise the 429 page that says when they may, with `Retry-After`. Call it before
    the form is read: a refused attempt stores nothing."""
    throttle = UploadThrottle()
    if throttle.allows(request):
        return None
    count, period = throttle.parse_rate(throttle.rate)
    period = period or 60
    wait = throttle.wait() or period
    message = _(
        "U heeft in korte tijd te veel bestanden aangeleverd: de grens is %(count)s per "
        "%(period)s. Er is niets opgeslagen. Probeer het over %(wait)s opnieuw."
    ) % {
        "count": count,
        "period": PERIODS.get(period) or duration_text(period),
        "wait": duration_text(wait),
    }
    response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(math.ceil(wait))
    return response
