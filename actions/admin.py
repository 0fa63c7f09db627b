from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Action, Milestone, ProgressUpdate


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "owner", "start", "end"]
    list_filter = ["owner"]
    search_fields = ["title"]
    filter_horizontal = ["recommendations"]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["title", "action", "due_date", "status", "at_risk"]
    list_filter = ["status", "at_risk", "action__owner"]
    search_fields = ["title"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ["milestone", "author", "date", "new_status", "percent_complete"]
    readonly_fields = ["milestone", "author", "date", "text", "new_status", "percent_complete"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # progress reports are a record; they are never removed
