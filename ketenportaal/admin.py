"""What every app's Django admin shares: the admin is a second door to the same write paths.

The admin is for the functional administrator's corrections. It never deletes what users made
(history must stay complete; cancelled and inactive are states), and every save goes through
the object's service, which checks the same rules as the portal's pages. A rule the service
refuses is shown as an error message and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin


def _has_simple_history(model: Any) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


class NoDeleteAdmin(SimpleHistoryAdmin):
    """Nothing is hard-deleted from the UI: history must stay complete (cancelled is a status).

    For a model without django-simple-history (uploads, indicators, board relations) the
    "History" page is Django's own log of admin changes: simple-history's view would fail on it.
    """

    def __init__(self, model: Any, admin_site: Any) -> None:
        super().__init__(model, admin_site)
        if not _has_simple_history(model):
            self.object_history_template = None

    def history_view(self, request, object_id, extra_context=None):
        if not _has_simple_history(self.model):
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ServiceAdmin(NoDeleteAdmin):
    """An admin whose saves go through the model's service.

    A subclass implements `save_with_service(request, obj, form, change)`: it calls the service
    (which validates, checks who may, records history) instead of `obj.save()`. Inlines save
    through `save_inline_with_service`, or are read-only. When the service refuses
    (ValidationError), the whole save is rolled back and the page shows why.
    """

    def save_with_service(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        raise NotImplementedError(f"{type(self).__name__} saves through a service")

    def save_inline_with_service(self, request: HttpRequest, obj: Any, parent: Any) -> None:
        raise NotImplementedError(f"{type(self).__name__} has no editable inlines")

    def save_model(self, request, obj, form, change) -> None:
        self.save_with_service(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        # Many-to-many fields are the service's to set (save_with_service); inlines go one by
        # one through save_inline_with_service.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change) -> None:
        for instance in formset.save(commit=False):
            self.save_inline_with_service(request, instance, form.instance)

    def changeform_view(
        self, request, object_id=None, form_url="", extra_context=None
    ) -> HttpResponse:
        try:
            with transaction.atomic():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            self.message_user(
                request,
                " ".join(exc.messages),
                level=messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())


class ReadOnlyAdmin(NoDeleteAdmin):
    """For records the portal makes and nobody edits (computed signals, immutable reports):
    the admin shows them with their history."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class NoDeleteInline(admin.TabularInline):
    """An inline whose rows are saved through the parent admin's service, never deleted."""

    extra = 0
    can_delete = False


class ReadOnlyInline(admin.TabularInline):
    """An inline that only shows its rows (they are made in the portal)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
