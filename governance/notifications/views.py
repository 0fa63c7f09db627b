"""The notification pages: the list, the bell's count, marking read, the preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from governance.models import Notification
from ketenportaal.htmx import render_page, wants_partial
from ketenportaal.http import AuthenticatedHttpRequest

from . import services, texts
from .forms import PreferenceForm

PAGE_SIZE = 50


def _rows(notifications) -> list[dict]:
    return [
        {"notification": n, "title": texts.title(n), "details": texts.details(n)}
        for n in notifications
    ]


def _list_context(request: AuthenticatedHttpRequest) -> dict:
    mine = Notification.objects.filter(user=request.user)
    page = Paginator(mine, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return {
        "page": page,
        "rows": _rows(page.object_list),
        "unread": mine.unread().count(),
    }


@login_required
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's notifications, newest first, unread ones marked."""
    return render_page(
        request, "notifications/list.html", _list_context(request), partial="results"
    )


@login_required
def bell(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The menu's link with the unread count, loaded by htmx after the page (so no page pays
    a query for it; without JavaScript the plain link remains)."""
    unread = Notification.objects.filter(user=request.user).unread().count()
    htmx = getattr(request, "htmx", None)
    current = (htmx.current_url_abs_path or "").split("?")[0] if htmx else ""
    on_list = current == reverse("notifications:list")
    return render(request, "notifications/_bell.html", {"unread": unread, "on_list": on_list})


@login_required
@require_POST
def mark_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.mark_read(notification=notification, by=request.user)
    if wants_partial(request):
        return render(request, "notifications/list.html#results", _list_context(request))
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = services.mark_all_read(by=request.user)
    if wants_partial(request):
        return render(request, "notifications/list.html#results", _list_context(request))
    if count:
        messages.success(request, _("Alle meldingen zijn gelezen."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """How the user is mailed (immediately, a daily digest, not at all) and in which language."""
    current = services.preference_of(request.user)
    form = PreferenceForm(
        request.POST or None, initial={"mail": current.mail, "language": current.language}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_preference(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("Uw meldingsvoorkeuren zijn opgeslagen."))
                return redirect("notifications:preferences")
        status = 422
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "has_email": bool(request.user.email)},
        status=status,
    )
