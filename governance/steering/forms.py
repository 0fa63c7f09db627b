"""Forms for the chain goal, assignments, targets and the signals page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import (
    Assignment,
    ChainGoal,
    Organisation,
    SignalKind,
    SignalStatus,
    Target,
)
from ketenportaal.widgets import DateInput


class ChainGoalForm(forms.ModelForm):
    class Meta:
        model = ChainGoal
        fields = ["text", "valid_from", "source"]
        widgets = {"valid_from": DateInput()}


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["organisation", "year", "goal", "title", "text"]


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = [
            "assignment",
            "indicator",
            "period",
            "target_value",
            "direction",
            "tolerance_percent",
        ]
        help_texts = {"period": _("Een jaar (2026) of een kwartaal (2026-Q3).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = Assignment.objects.select_related("organisation")


class SignalFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Open")), (SignalStatus.CLOSED, _("Gesloten")), ("all", _("Alle"))],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Soort"), choices=[("", _("Alle soorten")), *SignalKind.choices], required=False
    )
    organisation = forms.ModelChoiceField(
        Organisation.objects.all(),
        label=_("Organisatie"),
        required=False,
        empty_label=_("Alle organisaties"),
        to_field_name="code",
    )
