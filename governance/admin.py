"""The governance app in the Django admin: the functional administrator's emergency door.

Every save goes through the same service as the portal's pages (`ketenportaal.admin`); nothing is
deleted; a decision's number and status, and computed signals, are never edited here.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from governance.accounts import mfa
from governance.accounts import services as accounts
from governance.boards import assessments
from governance.boards import maintenance as board_maintenance
from governance.boards import services as boards
from governance.reports import services as reports
from governance.steering import services as steering
from governance.structure import services as structure
from ketenportaal.admin import NoDeleteInline, ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin

from .models import (
    ActionPerspective,
    AgendaItem,
    Assignment,
    Board,
    BoardMember,
    BoardRelation,
    ChainGoal,
    Decision,
    DecisionStatus,
    ImpactAssessment,
    Meeting,
    Membership,
    Organisation,
    PartnerImpact,
    ProgressReport,
    Recommendation,
    ReportingMoment,
    Role,
    Signal,
    Target,
    Theme,
)

User = get_user_model()


def _messages_of(exc: Exception) -> list[str]:
    return list(getattr(exc, "messages", None) or [str(exc)])


# ---------------------------------------------------------------- accounts


class PortalUserCreationForm(UserCreationForm):
    """A new user is always made with an organisation and a role (`save_portal_user`)."""

    organisation = forms.ModelChoiceField(Organisation.objects.all(), label=_("Organisatie"))
    role = forms.ChoiceField(choices=Role.choices, label=_("Rol"))

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = ["organisation", "role"]


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """Users with their place in the chain. Admin access follows the role (never set by hand);
    users are deactivated, never deleted (their work stays attributed)."""

    add_form = PortalUserCreationForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "organisation", "role", "password1", "password2"),
            },
        ),
    )
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Persoonlijke gegevens"), {"fields": ("first_name", "last_name", "email")}),
        (_("Toegang"), {"fields": ("is_active", "is_staff", "is_superuser", "last_login")}),
    )
    readonly_fields = ["is_staff", "is_superuser", "last_login", "date_joined"]
    list_display = ["username", "email", "is_active", "is_staff"]
    list_filter = ["is_active", "membership__role", "membership__organisation"]
    inlines = [MembershipInline]
    actions = ["reset_second_factor"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Tweede factor terugzetten (nieuwe telefoon)"))
    def reset_second_factor(self, request, queryset) -> None:
        """Through the service (mfa.reset_second_factor): audited, the user's sessions end."""
        for user in queryset:
            try:
                mfa.reset_second_factor(user=user, by=request.user, request=request)
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, " ".join(_messages_of(exc)), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _(
                        "De tweede factor van %(user)s is teruggezet; bij de volgende login "
                        "stelt %(user)s een nieuwe in."
                    )
                    % {"user": user.get_username()},
                    messages.SUCCESS,
                )

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # a new user's membership is in the form

    def save_model(self, request, obj, form, change) -> None:
        if change:
            # Names, e-mail and deactivation; the role and organisation change on the membership.
            accounts.save_user_details(user=obj, by=request.user)
            return
        user, _created, _token = accounts.save_portal_user(
            username=form.cleaned_data["username"],
            email=form.cleaned_data.get("email") or "",
            organisation=form.cleaned_data["organisation"],
            role=form.cleaned_data["role"],
            password=form.cleaned_data["password1"],
            by=request.user,
        )
        obj.pk = user.pk  # the admin redirects to the user it believes it saved

    def save_related(self, request, form, formsets, change) -> None:
        """The membership inline is read-only; there are no groups or permissions to save."""
        for formset in formsets:
            formset.save(commit=False)  # nothing to save; the change message reads the result


@admin.register(Membership)
class MembershipAdmin(ServiceAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["organisation", "role"]
    search_fields = ["user__username"]
    readonly_fields = ["user"]

    def has_add_permission(self, request) -> bool:
        return False  # a user is added with a membership (the user admin)

    def save_with_service(self, request, obj, form, change) -> None:
        accounts.save_membership(membership=obj, by=request.user)


@admin.register(Organisation)
class OrganisationAdmin(ServiceAdmin):
    list_display = ["code", "name", "is_chain_partner"]
    search_fields = ["code", "name"]

    def save_with_service(self, request, obj, form, change) -> None:
        accounts.save_organisation(organisation=obj, by=request.user)


# ---------------------------------------------------------------- the review's structure


@admin.register(Theme)
class ThemeAdmin(ServiceAdmin):
    list_display = ["number", "title"]

    def has_add_permission(self, request) -> bool:
        return False  # the letter's four themes

    def save_with_service(self, request, obj, form, change) -> None:
        structure.save_theme(theme=obj, by=request.user)


@admin.register(ActionPerspective)
class ActionPerspectiveAdmin(ServiceAdmin):
    list_display = ["number", "title"]
    filter_horizontal = ["themes"]

    def has_add_permission(self, request) -> bool:
        return False  # the letter's nine perspectives

    def save_with_service(self, request, obj, form, change) -> None:
        structure.save_perspective(
            perspective=obj, by=request.user, themes=form.cleaned_data["themes"]
        )


@admin.register(Recommendation)
class RecommendationAdmin(ServiceAdmin):
    list_display = ["code", "perspective", "owner", "phase", "status"]
    list_filter = ["perspective", "owner", "phase", "status", "source"]
    search_fields = ["code", "text"]

    def save_with_service(self, request, obj, form, change) -> None:
        structure.save_recommendation(recommendation=obj, by=request.user)


# ---------------------------------------------------------------- boards and decisions


class BoardMemberInline(NoDeleteInline):
    model = BoardMember


@admin.register(Board)
class BoardAdmin(ServiceAdmin):
    list_display = ["code", "name", "kind", "order"]
    inlines = [BoardMemberInline]

    def save_with_service(self, request, obj, form, change) -> None:
        board_maintenance.save_board(board=obj, by=request.user)

    def save_inline_with_service(self, request, obj, parent) -> None:
        board_maintenance.save_board_member(member=obj, by=request.user)


@admin.register(BoardRelation)
class BoardRelationAdmin(ServiceAdmin):
    list_display = ["source", "kind", "target"]

    def save_with_service(self, request, obj, form, change) -> None:
        board_maintenance.save_board_relation(relation=obj, by=request.user)


class AgendaItemInline(ReadOnlyInline):
    """Agenda items are put on the agenda in the portal (numbered there; signals link to them)."""

    model = AgendaItem
    fields = ["order", "title", "description", "signal"]


@admin.register(Meeting)
class MeetingAdmin(ServiceAdmin):
    list_display = ["__str__", "board", "date"]
    list_filter = ["board"]
    inlines = [AgendaItemInline]

    def save_with_service(self, request, obj, form, change) -> None:
        boards.save_meeting(meeting=obj, by=request.user)


@admin.register(Decision)
class DecisionAdmin(ServiceAdmin):
    list_display = ["number", "title", "board", "date", "status", "needs_triangle"]
    list_filter = ["board", "status", "needs_triangle", "year"]
    search_fields = ["number", "title", "text"]
    # Numbered when recorded; the status moves only along the lifecycle (the portal's page).
    readonly_fields = ["number", "board", "year", "sequence", "status"]
    raw_id_fields = ["meeting", "agenda_item"]
    filter_horizontal = ["perspectives", "recommendations"]

    def has_add_permission(self, request) -> bool:
        return False  # decisions are recorded in the portal, with the next number

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status in (DecisionStatus.CONFIRMED, DecisionStatus.IMPLEMENTED):
            fields.append("needs_triangle")
        return fields

    def save_with_service(self, request, obj, form, change) -> None:
        boards.save_decision_details(
            decision=obj,
            by=request.user,
            perspectives=form.cleaned_data.get("perspectives"),
            recommendations=form.cleaned_data.get("recommendations"),
        )


class PartnerImpactInline(NoDeleteInline):
    model = PartnerImpact


@admin.register(ImpactAssessment)
class ImpactAssessmentAdmin(ServiceAdmin):
    list_display = ["__str__", "kind", "outcome", "requested_on", "due_date"]
    list_filter = ["kind", "outcome"]
    raw_id_fields = ["decision", "milestone"]
    inlines = [PartnerImpactInline]

    def save_with_service(self, request, obj, form, change) -> None:
        assessments.save_assessment(assessment=obj, by=request.user)

    def save_inline_with_service(self, request, obj, parent) -> None:
        assessments.save_partner_impact(impact=obj, by=request.user)


# ---------------------------------------------------------------- the steering loop


@admin.register(ChainGoal)
class ChainGoalAdmin(ServiceAdmin):
    list_display = ["valid_from", "source"]

    def save_with_service(self, request, obj, form, change) -> None:
        steering.save_chain_goal(goal=obj, by=request.user)


class TargetInline(NoDeleteInline):
    model = Target


@admin.register(Assignment)
class AssignmentAdmin(ServiceAdmin):
    list_display = ["organisation", "year", "title"]
    list_filter = ["year", "organisation"]
    inlines = [TargetInline]

    def save_with_service(self, request, obj, form, change) -> None:
        steering.save_assignment(assignment=obj, by=request.user)

    def save_inline_with_service(self, request, obj, parent) -> None:
        steering.save_target(target=obj, by=request.user)


@admin.register(Signal)
class SignalAdmin(ReadOnlyAdmin):
    """Signals are computed after every rebuild, and closed in the portal."""

    list_display = ["pk", "kind", "status", "organisation", "period", "first_seen", "last_seen"]
    list_filter = ["kind", "status", "organisation"]


# ---------------------------------------------------------------- reports


@admin.register(ReportingMoment)
class ReportingMomentAdmin(ServiceAdmin):
    """Moments are defined on the portal's page; the admin corrects a title or date."""

    list_display = ["date", "title", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def save_with_service(self, request, obj, form, change) -> None:
        reports.save_reporting_moment(by=request.user, date=obj.date, title=obj.title, moment=obj)


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    """A generated report's files never change."""

    list_display = ["pk", "moment", "status", "percent", "requested_by", "finished_at"]
    list_filter = ["status"]


# The audit trail: read-only in the admin (the database refuses changes anyway). A plain
# ModelAdmin: it has no simple-history records of its own.
from .models import AuditEvent  # noqa: E402


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "organisation", "action", "object_repr", "ip", "outcome"]
    list_filter = ["action", "outcome", "organisation"]
    search_fields = ["actor_name", "object_repr", "request_id", "ip"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# django-otp registers its devices in the admin, with inlines that delete recovery codes. Users
# manage their own second factor on their account page; the admin keeps no such write path.
from django_otp.plugins.otp_static.models import StaticDevice  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

for _model in (StaticDevice, TOTPDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
