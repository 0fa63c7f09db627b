"""Release pages: the list, where regie freezes the figures under a name
(`/dashboards/releases/`), and one release with what has been corrected since
(`/dashboards/releases/<id>/`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboards.models import Release
from governance.accounts import roles
from ketenportaal.editing import add_errors
from ketenportaal.http import AuthenticatedHttpRequest

from . import services


class ReleaseForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Naam"),
        max_length=services.NAME_MAX,
        help_text=gettext_lazy("Bijvoorbeeld: Kwartaal 2026-Q3."),
    )


@login_required
def release_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    may_create = roles.is_regie(request.user)
    if request.method == "POST" and not may_create:
        raise PermissionDenied(_("Alleen Regie Migratieketen stelt releases vast."))
    form = ReleaseForm(request.POST or None) if may_create else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            release = services.create_release(name=form.cleaned_data["name"], by=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("Release ‘%(name)s’ is vastgesteld.") % {"name": release.name}
            )
            return redirect("dashboards:release", pk=release.pk)
    context = {
        "form": form,
        "releases": Release.objects.select_related("created_by")[:200],
        "page": "releases",
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "dashboards/releases/list.html", context, status=status)


@login_required
def release_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    release = get_object_or_404(Release.objects.select_related("created_by"), pk=pk)
    shown = services.corrections(release, limit=services.PAGE_LIMIT + 1)
    context = {
        "release": release,
        "corrections": shown[: services.PAGE_LIMIT],
        "more": len(shown) > services.PAGE_LIMIT,
        "page_limit": services.PAGE_LIMIT,
        "page": "releases",
    }
    return render(request, "dashboards/releases/detail.html", context)
