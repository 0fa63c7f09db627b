"""The shared widgets: the select written in Python gives the HTML of Django's own."""

from __future__ import annotations

import pytest
from django import forms
from django.test.html import parse_html

from ketenportaal.widgets import Select

CHOICES = [
    ("", "Alle"),
    ("a&b", 'Tom & "Jerry" <b>'),
    ("Groep <1>", [("x", "X'en"), ("y", "Y")]),
    (3, "drie"),
]


@pytest.mark.parametrize("value", [None, "", "a&b", "y", "3", ["x", "y"]])
@pytest.mark.parametrize(
    "attrs",
    [None, {"id": "id_f", "aria-describedby": "f_help", "required": True, "disabled": False}],
)
def test_the_select_renders_as_djangos_own(value, attrs):
    ours = Select(choices=CHOICES).render("f<", value, attrs=attrs)
    theirs = forms.Select(choices=CHOICES).render("f<", value, attrs=attrs)
    assert parse_html(ours) == parse_html(theirs)  # the same HTML, whitespace aside
    assert "<b>" not in ours and "&lt;b&gt;" in ours


def test_a_form_field_with_it_renders_as_with_djangos_own():
    class Ours(forms.Form):
        f = forms.ChoiceField(choices=CHOICES, required=False, help_text="hulp", widget=Select)

    class Theirs(forms.Form):
        f = forms.ChoiceField(choices=CHOICES, required=False, help_text="hulp")

    for data in ({"f": "y"}, {"f": "nonsense"}):  # the second with an error, aria-invalid
        ours, theirs = Ours(data), Theirs(data)
        ours.is_valid(), theirs.is_valid()
        assert parse_html(str(ours["f"])) == parse_html(str(theirs["f"]))
        assert ('aria-invalid="true"' in str(ours["f"])) == bool(data["f"] == "nonsense")
