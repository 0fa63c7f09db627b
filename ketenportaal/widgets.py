"""The widgets our forms share: the date widget every form uses (the browser's date picker, ISO
dates, a clear Dutch error) and a select written in Python for long filter forms."""

from __future__ import annotations

import html

from django import forms
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

#: An impossible date (2025-02-30) or a wrong format gets this, in the user's language.
INVALID_DATE = _("Deze datum bestaat niet. Gebruik de vorm jjjj-mm-dd, bijvoorbeeld 2025-02-28.")
DATE_ERRORS = {"invalid": INVALID_DATE}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _text(value) -> str:
    """Escaped as `django.utils.html.escape` does (the same five characters), without its
    lazy-string wrapper per call."""
    return html.escape(str(value))


def _attributes(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: False left out, True bare, the rest as text."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class Select(forms.Select):
    """Django's select with the same HTML, written in Python instead of one template per
    option: a dashboard's filter form holds hundreds of options (every dimension value), and
    rendering them through templates took a third of a page that no cache holds yet."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{_text(widget["name"])}"{_attributes(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_text(group_name)}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{_text(option["value"])}"'
                    f"{_attributes(option['attrs'])}>{_text(option['label'])}</option>"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 — every value in it is escaped
