"""The date widget every form uses: the browser's date picker, ISO dates, a clear Dutch error."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

#: An impossible date (2025-02-30) or a wrong format gets this, in the user's language.
INVALID_DATE = _("Deze datum bestaat niet. Gebruik de vorm jjjj-mm-dd, bijvoorbeeld 2025-02-28.")
DATE_ERRORS = {"invalid": INVALID_DATE}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
