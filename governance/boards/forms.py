"""Forms for boards, meetings, decisions and assessments."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import (
    ActionPerspective,
    AgendaItem,
    Board,
    Decision,
    DecisionStatus,
    ImpactAssessment,
    Meeting,
    Organisation,
    PartnerImpact,
)
from ketenportaal.widgets import DateInput


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["board", "date", "title", "location", "minutes"]
        widgets = {"date": DateInput(), "minutes": forms.Textarea(attrs={"rows": 8})}


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = [
            "board",
            "meeting",
            "agenda_item",
            "date",
            "title",
            "text",
            "needs_triangle",
            "effective_date",
            "perspectives",
            "recommendations",
        ]
        widgets = {
            "date": DateInput(),
            "effective_date": DateInput(),
            "text": forms.Textarea(attrs={"rows": 6}),
            "perspectives": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.select_related("board")
        self.fields["agenda_item"].queryset = AgendaItem.objects.select_related("meeting__board")
        if self.instance.pk:
            self.fields["board"].disabled = True  # the number depends on it
            self.fields["date"].help_text = _(
                "Het nummer %(number)s hoort bij %(year)s: de datum blijft in dat jaar."
            ) % {"number": self.instance.number, "year": self.instance.year}

    def clean(self):
        data = super().clean()
        meeting, board = data.get("meeting"), data.get("board")
        if meeting and board and meeting.board_id != board.pk:
            self.add_error("meeting", _("De vergadering hoort niet bij dit gremium."))
        item = data.get("agenda_item")
        if item and meeting and item.meeting_id != meeting.pk:
            self.add_error("agenda_item", _("Het agendapunt hoort niet bij deze vergadering."))
        return data


class StatusForm(forms.Form):
    to = forms.ChoiceField(label=_("Nieuwe status"), choices=DecisionStatus.choices)
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=500)


class FollowUpForm(forms.Form):
    title = forms.CharField(label=_("Actie"), max_length=300)
    owner = forms.ModelChoiceField(
        Organisation.objects.all(), label=_("Eigenaar"), to_field_name="code"
    )
    responsible_function = forms.CharField(label=_("Verantwoordelijke functie"), max_length=200)
    milestone_title = forms.CharField(
        label=_("Eerste mijlpaal"),
        max_length=300,
        required=False,
        help_text=_("Leeg: gelijk aan de actie."),
    )
    due_date = forms.DateField(label=_("Deadline"), widget=DateInput())


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = ImpactAssessment
        fields = ["kind", "requested_on", "due_date", "outcome", "summary"]
        widgets = {
            "requested_on": DateInput(),
            "due_date": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }


class PartnerImpactForm(forms.ModelForm):
    class Meta:
        model = PartnerImpact
        fields = ["organisation", "capacity_fte", "lead_time_months", "cost_eur", "explanation"]
        widgets = {"explanation": forms.Textarea(attrs={"rows": 2})}


YES_NO = [("", _("Alle")), ("ja", _("Ja")), ("nee", _("Nee"))]


class DecisionFilterForm(forms.Form):
    """The register's search and filters; carried in the URL so that a view can be shared."""

    q = forms.CharField(
        label=_("Zoeken"), required=False, widget=forms.TextInput(attrs={"type": "search"})
    )
    board = forms.ModelChoiceField(
        Board.objects.all(),
        label=_("Gremium"),
        required=False,
        empty_label=_("Alle gremia"),
        to_field_name="code",
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Alle statussen")), *DecisionStatus.choices],
        required=False,
    )
    year = forms.IntegerField(label=_("Jaar"), required=False, min_value=2000, max_value=2100)
    perspective = forms.ModelChoiceField(
        ActionPerspective.objects.all(),
        label=_("Handelingsperspectief"),
        required=False,
        empty_label=_("Alle perspectieven"),
        to_field_name="number",
    )
    driehoek = forms.ChoiceField(label=_("Driehoek nodig"), choices=YES_NO, required=False)
