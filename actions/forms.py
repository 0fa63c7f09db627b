from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import ActionPerspective, Organisation, Recommendation, Theme
from ketenportaal.widgets import DATE_ERRORS, DateInput

from .models import Action, Milestone, MilestoneStatus, Rag


class ProgressForm(forms.Form):
    text = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Geef een toelichting bij de voortgang.")},
    )
    new_status = forms.ChoiceField(
        label=_("Nieuwe status"),
        choices=[("", _("— status ongewijzigd —")), *MilestoneStatus.choices],
        required=False,
    )
    percent_complete = forms.IntegerField(
        label=_("Percentage gereed"), min_value=0, max_value=100, required=False
    )
    at_risk = forms.BooleanField(label=_("Deze mijlpaal loopt risico"), required=False)
    risk_reason = forms.CharField(
        label=_("Toelichting risico"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    date = forms.DateField(
        label=_("Datum"), widget=DateInput(), required=False, error_messages=DATE_ERRORS
    )
    submission_id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean(self):
        data = super().clean()
        if data.get("at_risk") and not (data.get("risk_reason") or "").strip():
            self.add_error("risk_reason", _("Geef aan waarom de mijlpaal risico loopt."))
        return data


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["perspective", "source", "code", "text", "owner", "phase", "status"]


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = [
            "title",
            "description",
            "recommendations",
            "owner",
            "responsible_function",
            "start",
            "end",
        ]
        widgets = {"start": DateInput(), "end": DateInput()}
        error_messages = {"start": DATE_ERRORS, "end": DATE_ERRORS}

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Het einde ligt voor de start."))
        return data


class MilestoneForm(forms.ModelForm):
    replan_reason = forms.CharField(
        label=_("Reden van de herplanning"),
        help_text=_("Nodig als u de deadline verplaatst; komt in de geschiedenis."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    class Meta:
        model = Milestone
        fields = ["action", "title", "due_date", "status", "at_risk", "risk_reason"]
        widgets = {"due_date": DateInput(), "risk_reason": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"due_date": DATE_ERRORS}

    def clean(self):
        data = super().clean()
        if data.get("at_risk") and not (data.get("risk_reason") or "").strip():
            self.add_error("risk_reason", _("Geef aan waarom de mijlpaal risico loopt."))
        moved = self.instance.pk and "due_date" in self.changed_data
        if moved and not (data.get("replan_reason") or "").strip():
            self.add_error(
                "replan_reason", _("Geef een reden voor het verplaatsen van de deadline.")
            )
        return data


class ReplanForm(forms.Form):
    """Move one milestone's due date (regie, or a partner for its own milestones)."""

    due_date = forms.DateField(
        label=_("Nieuwe deadline"), widget=DateInput(), error_messages=DATE_ERRORS
    )
    replan_reason = forms.CharField(
        label=_("Reden van de herplanning"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Geef een reden voor het verplaatsen van de deadline.")},
    )


class BulkUpdateForm(forms.Form):
    """One change for the selected milestones: a status (with a note) and/or a due date (with a
    reason). `milestones` offers only what the user may change."""

    milestones = forms.ModelMultipleChoiceField(
        Milestone.objects.none(),
        label=_("Mijlpalen"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Kies ten minste één mijlpaal."),
            "invalid_choice": _("U kunt een of meer gekozen mijlpalen niet bijwerken."),
            "invalid_pk_value": _("U kunt een of meer gekozen mijlpalen niet bijwerken."),
        },
    )
    new_status = forms.ChoiceField(
        label=_("Nieuwe status"),
        choices=[("", _("— status ongewijzigd —")), *MilestoneStatus.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Toelichting bij de status"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    due_date = forms.DateField(
        label=_("Nieuwe deadline"),
        widget=DateInput(),
        required=False,
        error_messages=DATE_ERRORS,
    )
    reason = forms.CharField(
        label=_("Reden van de herplanning"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, choices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestones"].queryset = choices  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean()
        if (
            not data.get("new_status")
            and not data.get("due_date")
            and not self.has_error("due_date")
        ):
            self.add_error(None, _("Kies een nieuwe status of een nieuwe deadline."))
        if data.get("new_status") and not (data.get("note") or "").strip():
            self.add_error("note", _("Geef een toelichting bij de nieuwe status."))
        if data.get("due_date") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Geef een reden voor het verplaatsen van de deadline."))
        return data


class StaleFilterForm(forms.Form):
    """The "no update for N weeks" list's filters."""

    weeks = forms.IntegerField(label=_("Geen update sinds (weken)"), min_value=1, max_value=104)
    organisation = forms.ModelChoiceField(
        Organisation.objects.all(),
        label=_("Organisatie"),
        required=False,
        empty_label=_("Alle organisaties"),
        to_field_name="code",
    )


class TreeFilterForm(forms.Form):
    """The tree's filters; carried in the URL so that a view can be shared."""

    theme = forms.ModelChoiceField(
        Theme.objects.all(), label=_("Thema"), required=False, empty_label=_("Alle thema's")
    )
    perspective = forms.ModelChoiceField(
        ActionPerspective.objects.all(),
        label=_("Handelingsperspectief"),
        required=False,
        empty_label=_("Alle perspectieven"),
    )
    organisation = forms.ModelChoiceField(
        Organisation.objects.all(),
        label=_("Organisatie"),
        required=False,
        empty_label=_("Alle organisaties"),
        to_field_name="code",
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Alle statussen")), *MilestoneStatus.choices],
        required=False,
    )
    rag = forms.ChoiceField(label=_("RAG"), choices=[("", _("Alle")), *Rag.choices], required=False)
    due_from = forms.DateField(
        label=_("Deadline vanaf"), widget=DateInput(), required=False, error_messages=DATE_ERRORS
    )
    due_to = forms.DateField(
        label=_("Deadline tot en met"),
        widget=DateInput(),
        required=False,
        error_messages=DATE_ERRORS,
    )

    def clean(self):
        data = super().clean()
        if data.get("due_from") and data.get("due_to") and data["due_to"] < data["due_from"]:
            self.add_error("due_to", _("De einddatum ligt voor de begindatum."))
        return data
