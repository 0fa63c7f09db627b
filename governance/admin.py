from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ActionPerspective, Membership, Organisation, Recommendation, Theme


class NoDeleteAdmin(SimpleHistoryAdmin):
    """Nothing is hard-deleted from the UI: history must stay complete (cancelled is a status)."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(NoDeleteAdmin):
    list_display = ["code", "name", "is_chain_partner"]
    search_fields = ["code", "name"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["organisation", "role"]
    search_fields = ["user__username"]


@admin.register(Theme)
class ThemeAdmin(NoDeleteAdmin):
    list_display = ["number", "title"]


@admin.register(ActionPerspective)
class ActionPerspectiveAdmin(NoDeleteAdmin):
    list_display = ["number", "title"]
    filter_horizontal = ["themes"]


@admin.register(Recommendation)
class RecommendationAdmin(NoDeleteAdmin):
    list_display = ["code", "perspective", "owner", "phase", "status"]
    list_filter = ["perspective", "owner", "phase", "status", "source"]
    search_fields = ["code", "text"]
