"""Actions and milestones in the Django admin: saved through `actions.services` (so a milestone's
completion date follows its status), never deleted; progress reports are only shown."""

from django.contrib import admin

from ketenportaal.admin import ReadOnlyAdmin, ServiceAdmin

from . import services
from .models import Action, Milestone, ProgressUpdate


@admin.register(Action)
class ActionAdmin(ServiceAdmin):
    list_display = ["title", "owner", "start", "end"]
    list_filter = ["owner"]
    search_fields = ["title"]
    filter_horizontal = ["recommendations"]

    def save_with_service(self, request, obj, form, change) -> None:
        services.save_action(
            action=obj, by=request.user, recommendations=form.cleaned_data["recommendations"]
        )


@admin.register(Milestone)
class MilestoneAdmin(ServiceAdmin):
    list_display = ["title", "action", "due_date", "status", "at_risk"]
    list_filter = ["status", "at_risk", "action__owner"]
    search_fields = ["title"]
    readonly_fields = ["completed_on"]  # follows the status (actions.services.save_milestone)

    def save_with_service(self, request, obj, form, change) -> None:
        services.save_milestone(milestone=obj, by=request.user)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyAdmin):
    """Progress is reported through `actions.services.record_progress` only, and never edited."""

    list_display = ["milestone", "author", "date", "new_status", "percent_complete"]
