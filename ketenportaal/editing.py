"""The one create/update page: a form, a service that saves, Dutch errors, one template.

Every edit page of the portal (recommendations, actions, milestones, meetings, decisions,
assessments, goals, assignments, targets, …) is this page with its own form and service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _


def add_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or the form) it concerns."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def edit_page(
    request: HttpRequest,
    *,
    require: Callable[[Any], None],
    form: Any,
    save: Callable[[Any], Any],
    title: str,
    cancel_url: str,
    success_url: Callable[[Any], str],
) -> HttpResponse:
    """The shared create/update page. `require(user)` raises PermissionDenied for a user who may
    not edit (checked before the form is shown); the service `save(form)` does the write, and a
    ValidationError it raises re-renders the form with the errors on their fields (422)."""
    require(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Opgeslagen."))
            return redirect(success_url(obj))
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "title": title, "cancel_url": cancel_url}
    return render(request, "edit.html", context, status=status)
