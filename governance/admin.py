from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ActionPerspective, Membership, Organisation, Recommendation, Theme


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "is_chain_partner"]
    search_fields = ["code", "name"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["organisation", "role"]
    search_fields = ["user__username"]


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title"]


@admin.register(ActionPerspective)
class ActionPerspectiveAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title"]
    filter_horizontal = ["themes"]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["code", "perspective", "owner", "phase", "status"]
    list_filter = ["perspective", "owner", "phase", "status", "source"]
    search_fields = ["code", "text"]
