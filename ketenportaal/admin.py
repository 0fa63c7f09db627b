"""What every app's Django admin shares."""

from simple_history.admin import SimpleHistoryAdmin


class NoDeleteAdmin(SimpleHistoryAdmin):
    """Nothing is hard-deleted from the UI: history must stay complete (cancelled is a status)."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
