from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ketenportaal.admin import NoDeleteAdmin

from .models import (
    ActionPerspective,
    AgendaItem,
    Assignment,
    Board,
    BoardMember,
    BoardRelation,
    ChainGoal,
    Decision,
    ImpactAssessment,
    Meeting,
    Membership,
    Organisation,
    PartnerImpact,
    ProgressReport,
    Recommendation,
    ReportingMoment,
    Signal,
    Target,
    Theme,
)


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


# ---------------------------------------------------------------- boards, decisions, steering
# Regie works in the portal's pages (which call the services); the admin is for the functional
# administrator's corrections and keeps the history.


class BoardMemberInline(admin.TabularInline):
    model = BoardMember
    extra = 0


@admin.register(Board)
class BoardAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "order"]
    inlines = [BoardMemberInline]


@admin.register(BoardRelation)
class BoardRelationAdmin(admin.ModelAdmin):
    list_display = ["source", "kind", "target"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    raw_id_fields = ["signal"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "board", "date"]
    list_filter = ["board"]
    inlines = [AgendaItemInline]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "board", "date", "status", "needs_triangle"]
    list_filter = ["board", "status", "needs_triangle", "year"]
    search_fields = ["number", "title", "text"]
    # The status moves only through governance.decisions.change_decision_status.
    readonly_fields = ["number", "year", "sequence", "status"]
    raw_id_fields = ["meeting", "agenda_item"]
    filter_horizontal = ["perspectives", "recommendations"]


class PartnerImpactInline(admin.TabularInline):
    model = PartnerImpact
    extra = 0


@admin.register(ImpactAssessment)
class ImpactAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "outcome", "requested_on", "due_date"]
    list_filter = ["kind", "outcome"]
    raw_id_fields = ["decision", "milestone"]
    inlines = [PartnerImpactInline]


@admin.register(ChainGoal)
class ChainGoalAdmin(SimpleHistoryAdmin):
    list_display = ["valid_from", "source"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "year", "title"]
    list_filter = ["year", "organisation"]
    inlines = [TargetInline]


@admin.register(Signal)
class SignalAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "kind", "status", "organisation", "period", "first_seen", "last_seen"]
    list_filter = ["kind", "status", "organisation"]
    readonly_fields = [f.name for f in Signal._meta.fields]


# Reporting moments are made on the portal's page (reports.save_reporting_moment); a generated
# report's files never change, so the admin only shows them.


@admin.register(ReportingMoment)
class ReportingMomentAdmin(admin.ModelAdmin):
    list_display = ["date", "title", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["pk", "moment", "status", "percent", "requested_by", "finished_at"]
    list_filter = ["status"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
