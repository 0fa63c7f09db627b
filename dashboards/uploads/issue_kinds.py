"""The kinds of validation findings by their label: pages, the report and exports show these, the
code stays in the CSV report and the API for machines."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ISSUE_LABELS = {
    "missing_column": _("Ontbrekende kolom"),
    "duplicate_column": _("Dubbele kolom"),
    "unknown_column": _("Onbekende kolom"),
    "no_rows": _("Geen rijen"),
    "unknown_indicator": _("Onbekende indicator"),
    "foreign_indicator": _("Indicator van een andere organisatie"),
    "wrong_organisation": _("Verkeerde organisatie"),
    "unknown_dimension_value": _("Niet toegestane dimensiewaarde"),
    "dimension_not_applicable": _("Dimensie hoort niet bij de indicator"),
    "malformed_period": _("Ongeldige periode"),
    "period_too_fine": _("Periode te fijn"),
    "future_period": _("Periode in de toekomst"),
    "not_a_number": _("Geen getal"),
    "ambiguous_number": _("Getal niet eenduidig"),
    "negative_count": _("Negatief aantal"),
    "fractional_count": _("Geen geheel aantal"),
    "value_too_large": _("Waarde te groot"),
    "duplicate_cell": _("Dubbele cel"),
    "overlap_in_file": _("Overlap binnen het bestand"),
    "overlap_with_current": _("Overlap met huidige cijfers"),
    "empty_file": _("Leeg bestand"),
    "too_large": _("Bestand te groot"),
    "too_many_rows": _("Te veel rijen"),
    "too_many_columns": _("Te veel kolommen"),
    "too_many_cells": _("Te veel cellen"),
    "wrong_file_type": _("Verkeerd bestandstype"),
    "unreadable": _("Onleesbaar bestand"),
    "unsafe_file": _("Onveilig bestand"),
    "infected": _("Bestand met malware"),
    "too_slow": _("Controle duurde te lang"),
    "internal_error": _("Interne fout"),
    "change_vs_previous": _("Grote verandering"),
    "implausible": _("Onwaarschijnlijke waarde"),
    "correction": _("Correctie"),
}


def issue_label(code: str) -> str:
    """The label of a finding's kind in the active language; an unknown code as it is."""
    return str(ISSUE_LABELS.get(code, code))
