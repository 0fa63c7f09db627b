"""The form of a reporting moment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from ketenportaal.widgets import DateInput


class MomentForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Titel"),
        max_length=200,
        error_messages={"required": gettext_lazy("Geef het verantwoordingsmoment een titel.")},
    )
    date = forms.DateField(
        label=gettext_lazy("Peildatum"),
        widget=DateInput(),
        error_messages={
            "required": gettext_lazy("Geef een peildatum."),
            "invalid": gettext_lazy("Geef een geldige datum (jjjj-mm-dd)."),
        },
    )
