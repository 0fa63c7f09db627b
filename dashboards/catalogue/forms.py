"""The catalogue's edit form: the indicator's fields, and its dimensions as a formset (one form
per dimension: its code, its Dutch and English label, its values one per line)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboards.models import Indicator
from governance.accounts.user_forms import OrganisationChoiceField

from . import services
from .labels import unit_choices

FIXED_FIELDS = ("code", *services.FIXED_ONCE_USED)
PREFIX = "dimensions"


class DimensionForm(forms.Form):
    name = forms.SlugField(
        label=gettext_lazy("Code van de dimensie"),
        max_length=60,
        help_text=gettext_lazy("Zoals de kolom in het bestand heet, bv. application_type."),
    )
    label_nl = forms.CharField(label=gettext_lazy("Naam (Nederlands)"), max_length=200)
    label_en = forms.CharField(label=gettext_lazy("Naam (Engels)"), max_length=200)
    values = forms.CharField(
        label=gettext_lazy("Waarden"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Eén waarde per regel: code; Nederlands label; Engels label. "
            "Bijvoorbeeld: first; Eerste aanvraag; First application."
        ),
    )

    def clean_values(self) -> list[dict[str, str]]:
        values = []
        for number, line in enumerate(self.cleaned_data["values"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            if len(parts) != 3 or not all(parts):
                raise forms.ValidationError(
                    _(
                        "Regel %(number)s: geef code; Nederlands label; Engels label, "
                        "gescheiden door puntkomma's."
                    )
                    % {"number": number}
                )
            values.append({"code": parts[0], "label_nl": parts[1], "label_en": parts[2]})
        if not values:
            raise forms.ValidationError(_("Geef minstens één waarde."))
        return values


DimensionFormSet = forms.formset_factory(DimensionForm, extra=1, can_delete=True)


def dimension_initial(indicator: Indicator | None) -> list[dict[str, Any]]:
    if indicator is None:
        return []
    labels = indicator.dimension_labels or {}
    initial = []
    for name, values in (indicator.dimensions or {}).items():
        entry = labels.get(name) or {}
        value_labels = entry.get("values") or {}
        lines = [
            "; ".join(
                [
                    value,
                    (value_labels.get(value) or {}).get("label_nl", ""),
                    (value_labels.get(value) or {}).get("label_en", ""),
                ]
            )
            for value in values
        ]
        initial.append(
            {
                "name": name,
                "label_nl": entry.get("label_nl", ""),
                "label_en": entry.get("label_en", ""),
                "values": "\n".join(lines),
            }
        )
    return initial


class IndicatorForm(forms.ModelForm):
    """An indicator with its dimensions. Once it has figures, what the figures mean is shown but
    not editable; the service refuses such a change anyway (the API's 409)."""

    unit = forms.ChoiceField(label=gettext_lazy("eenheid"), choices=unit_choices)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "label",
            "label_en",
            "owner",
            "unit",
            "frequency",
            "aggregation",
            "is_count",
            "is_forecast",
            "realised_by",
            "plausible_min",
            "plausible_max",
            "tolerance_percent",
            "delivery_deadline_days",
            "active",
        ]
        labels = {"label": gettext_lazy("naam (Nederlands)")}
        field_classes = {"owner": OrganisationChoiceField}

    def __init__(self, data=None, *, instance: Indicator | None = None, add_dimension=False):
        super().__init__(data, instance=instance)
        self.in_use = instance is not None and services.has_figures(instance)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ChoiceField)
        if instance is not None and instance.unit not in dict(unit_choices()):
            unit.choices = [*unit_choices(), (instance.unit, instance.unit)]
        realised_by = self.fields["realised_by"]
        assert isinstance(realised_by, forms.ModelChoiceField)
        others = Indicator.objects.filter(is_forecast=False)
        realised_by.queryset = others.exclude(pk=instance.pk) if instance is not None else others
        if self.in_use:
            for name in FIXED_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Deze indicator heeft al cijfers; dit veld kan niet meer wijzigen."
                )
        if data is not None and add_dimension:
            data = data.copy()
            data[f"{PREFIX}-TOTAL_FORMS"] = str(int(data.get(f"{PREFIX}-TOTAL_FORMS") or 0) + 1)
        self.dimension_forms = DimensionFormSet(
            data, initial=dimension_initial(instance), prefix=PREFIX
        )
        existing = set((instance.dimensions or {}) if instance is not None else ())
        for form in self.dimension_forms.forms:
            if self.in_use and form.initial.get("name") in existing:
                form.fields["name"].disabled = True
                form.fields["DELETE"].disabled = True

    def is_valid(self) -> bool:
        return super().is_valid() & self.dimension_forms.is_valid()

    def dimensions(self) -> tuple[dict[str, list[str]], dict[str, Any]]:
        """The formset's dimensions as the model keeps them (codes, and their labels)."""
        given: dict[str, list[dict[str, str]]] = {}
        labels: dict[str, dict[str, str]] = {}
        for form in self.dimension_forms.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("name"):
                continue
            given[data["name"]] = data["values"]
            labels[data["name"]] = {"label_nl": data["label_nl"], "label_en": data["label_en"]}
        return services.normalise_dimensions(given, labels)

    def indicator(self) -> Indicator:
        """The indicator to hand to the service (not saved)."""
        indicator = self.save(commit=False)
        indicator.dimensions, indicator.dimension_labels = self.dimensions()
        return indicator
