from django.contrib import admin

from ketenportaal.admin import NoDeleteAdmin

from .models import Action, Milestone, ProgressUpdate


@admin.register(Action)
class ActionAdmin(NoDeleteAdmin):
    list_display = ["title", "owner", "start", "end"]
    list_filter = ["owner"]
    search_fields = ["title"]
    filter_horizontal = ["recommendations"]


@admin.register(Milestone)
class MilestoneAdmin(NoDeleteAdmin):
    list_display = ["title", "action", "due_date", "status", "at_risk"]
    list_filter = ["status", "at_risk", "action__owner"]
    search_fields = ["title"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ["milestone", "author", "date", "new_status", "percent_complete"]
    readonly_fields = ["milestone", "author", "date", "text", "new_status", "percent_complete"]

    # Progress is reported through actions.services.record_progress only, and never edited.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # progress reports are a record; they are never removed
