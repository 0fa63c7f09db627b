"""Actions and milestones in the Django admin: saved through `actions.services` (so a milestone's
completion date follows its status), never deleted; progress reports are only shown."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ketenportaal.admin import ReadOnlyAdmin, ServiceAdmin

from . import services
from .models import Action, Milestone, MilestoneReplan, ProgressUpdate


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


class MilestoneAdminForm(forms.ModelForm):
    replan_reason = forms.CharField(
        label=_("Reden van de herplanning"),
        help_text=_("Nodig als u de deadline verplaatst; komt in de geschiedenis."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    class Meta:
        model = Milestone
        fields = [
            "action",
            "title",
            "due_date",
            "status",
            "at_risk",
            "risk_reason",
            "percent_complete",
        ]


@admin.register(Milestone)
class MilestoneAdmin(ServiceAdmin):
    form = MilestoneAdminForm
    list_display = ["title", "action", "due_date", "baseline_due_date", "replan_count", "status"]
    list_filter = ["status", "at_risk", "action__owner"]
    search_fields = ["title"]
    # completed_on follows the status, the baseline and the count follow the re-plans
    # (actions.services.save_milestone).
    readonly_fields = ["completed_on", "baseline_due_date", "replan_count"]

    def save_with_service(self, request, obj, form, change) -> None:
        services.save_milestone(
            milestone=obj, by=request.user, replan_reason=form.cleaned_data["replan_reason"]
        )


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyAdmin):
    """Progress is reported through `actions.services.record_progress` only, and never edited."""

    list_display = ["milestone", "author", "date", "new_status", "percent_complete"]


@admin.register(MilestoneReplan)
class MilestoneReplanAdmin(ReadOnlyAdmin):
    """Re-plans are recorded by `actions.services` (with their reason) and never edited."""

    list_display = ["milestone", "previous_due_date", "new_due_date", "by", "at"]
    search_fields = ["milestone__title", "reason"]
