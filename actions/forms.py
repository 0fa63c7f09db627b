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
    class Meta:
        model = Milestone
        fields = ["action", "title", "due_date", "status", "at_risk", "risk_reason"]
        widgets = {"due_date": DateInput(), "risk_reason": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"due_date": DATE_ERRORS}

    def clean(self):
        data = super().clean()
        if data.get("at_risk") and not (data.get("risk_reason") or "").strip():
            self.add_error("risk_reason", _("Geef aan waarom de mijlpaal risico loopt."))
        return data


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
