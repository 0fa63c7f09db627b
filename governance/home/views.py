"""Mijn werk: one home page, its content chosen by the user's role."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from governance.accounts import roles
from ketenportaal.http import AuthenticatedHttpRequest

from . import content


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's own work first: a partner's, regie's or a reader's (see `content`)."""
    today = timezone.localdate()
    user = request.user
    organisation = roles.organisation_of(user)
    if roles.is_partner(user) and organisation is not None:
        kind, data = "partner", content.partner_home(organisation, today)
    elif roles.is_regie(user):
        kind, data = "regie", content.regie_home(today)
    else:
        kind, data = "viewer", content.viewer_home(today)
    return render(
        request,
        f"home/{kind}.html",
        {
            **data,
            "today": today,
            "organisation": organisation,
            "notify_days": settings.NOTIFY_DELIVERY_DAYS,
        },
    )
