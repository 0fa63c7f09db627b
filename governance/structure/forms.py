"""Forms for the review's structure: a theme's and a perspective's texts."""

from __future__ import annotations

from django import forms

from governance.models import ActionPerspective, Theme


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["title", "title_en", "aim"]
        widgets = {"aim": forms.Textarea(attrs={"rows": 4})}


class PerspectiveForm(forms.ModelForm):
    class Meta:
        model = ActionPerspective
        fields = ["title", "title_en", "themes"]
        widgets = {"themes": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].required = False  # the service says why one is needed
