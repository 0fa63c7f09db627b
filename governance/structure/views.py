"""The maintenance page (regie and the functional administrator): the review's themes and
action perspectives with their texts, and the way to the other things maintained in the
portal (users, indicators, boards). Writes go through `governance.structure.services`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from governance.accounts import roles
from governance.models import ActionPerspective, Theme
from ketenportaal.editing import edit_page
from ketenportaal.http import AuthenticatedHttpRequest

from . import services
from .forms import PerspectiveForm, ThemeForm


@login_required
def maintenance(request: AuthenticatedHttpRequest) -> HttpResponse:
    roles.require_maintainer(request.user)
    themes = Theme.objects.prefetch_related("perspectives")
    perspectives = ActionPerspective.objects.prefetch_related("themes")
    return render(
        request,
        "governance/maintenance.html",
        {
            "themes": themes,
            "perspectives": perspectives,
            "is_admin": roles.is_admin(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def theme_edit(request: AuthenticatedHttpRequest, number: int) -> HttpResponse:
    theme = get_object_or_404(Theme, number=number)
    form = ThemeForm(request.POST or None, instance=theme)
    return edit_page(
        request,
        require=roles.require_maintainer,
        form=form,
        save=lambda f: services.save_theme(theme=f.save(commit=False), by=request.user),
        title=_("Thema %(number)s wijzigen") % {"number": number},
        cancel_url=reverse("governance:maintenance"),
        success_url=lambda t: reverse("governance:maintenance") + f"#thema-{t.number}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def perspective_edit(request: AuthenticatedHttpRequest, number: int) -> HttpResponse:
    perspective = get_object_or_404(ActionPerspective, number=number)
    form = PerspectiveForm(request.POST or None, instance=perspective)
    return edit_page(
        request,
        require=roles.require_maintainer,
        form=form,
        save=lambda f: services.save_perspective(
            perspective=f.save(commit=False), themes=f.cleaned_data["themes"], by=request.user
        ),
        title=_("Handelingsperspectief %(number)s wijzigen") % {"number": number},
        cancel_url=reverse("governance:maintenance"),
        success_url=lambda p: reverse("governance:maintenance") + f"#hp-{p.number}",
    )
