"""The dashboards' filters: carried in the URL (GET), so every view of a dashboard can be shared."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboards.catalogue.labels import DIMENSION_LABELS, value_label
from dashboards.models import Frequency, Release
from governance.models import Organisation
from ketenportaal.widgets import Select

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def year_choices() -> list[tuple[str, StrOrPromise]]:
    this_year = timezone.localdate().year
    return [("", _("Alle jaren")), *[(str(y), str(y)) for y in range(2015, this_year + 7)]]


def year_field(label: StrOrPromise) -> forms.TypedChoiceField:
    """An optional year (an int, None when not chosen). Its choices are a callable, read when
    the form is shown or checked, so the years stay current."""
    return forms.TypedChoiceField(
        label=label,
        choices=year_choices,
        required=False,
        coerce=int,
        empty_value=None,
        widget=Select,
    )


class DashboardFilterForm(forms.Form):
    """Period range and organisation; `dimensions` adds one choice per dimension shown,
    `release` the choice of a release whose figures to show."""

    van = year_field(_("Vanaf jaar"))
    tot = year_field(_("Tot en met jaar"))
    organisation = forms.ModelChoiceField(
        Organisation.objects.all(),
        label=_("Organisatie"),
        required=False,
        empty_label=_("Alle organisaties"),
        to_field_name="code",
        widget=Select,
    )

    def __init__(
        self,
        data=None,
        *,
        dimensions: dict[str, list[str]] | None = None,
        organisation_required: bool = False,
        frequency: bool = False,
        release: bool = False,
    ):
        super().__init__(data)
        if organisation_required:
            organisation = self.fields["organisation"]
            assert isinstance(organisation, forms.ModelChoiceField)
            organisation.empty_label = None
        self.dimension_names = []
        for name, values in (dimensions or {}).items():
            self.dimension_names.append(name)
            self.fields[name] = forms.ChoiceField(
                label=DIMENSION_LABELS.get(name, name),
                required=False,
                choices=[("", _("Alle")), *[(v, value_label(v)) for v in values]],
                widget=Select,
            )
        if frequency:
            self.fields["frequentie"] = forms.ChoiceField(
                label=_("Per"), required=False, choices=Frequency.choices, widget=Select
            )
        if release:
            # The pages that read built series can show a release's figures instead.
            self.fields["release"] = forms.ModelChoiceField(
                Release.objects.all(),
                label=_("Release"),
                required=False,
                empty_label=_("Actuele cijfers"),
                help_text=_("Toon de cijfers zoals ze in een release zijn vastgesteld."),
                widget=Select,
            )

    def clean(self):
        data = super().clean()
        if data.get("van") and data.get("tot") and data["van"] > data["tot"]:
            raise forms.ValidationError(_("'Vanaf jaar' ligt na 'Tot en met jaar'."))
        return data

    @property
    def values(self) -> dict:
        """The valid filters, or none at all: a wrong filter shows everything, with its error."""
        if not self.is_bound:
            return {}
        return self.cleaned_data if self.is_valid() else {}

    def period_range(self) -> tuple[datetime.date | None, datetime.date | None]:
        values = self.values
        start = datetime.date(values["van"], 1, 1) if values.get("van") else None
        end = datetime.date(values["tot"], 12, 31) if values.get("tot") else None
        return start, end

    def selection(self) -> dict[str, str]:
        return {name: self.values[name] for name in self.dimension_names if self.values.get(name)}
