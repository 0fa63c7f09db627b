"""Columns of the boards' downloads (see ketenportaal.exports)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ketenportaal.exports import Column


def decision_columns() -> list[Column]:
    """Rows of `decision_views.filter_decisions` (board selected, follow-up counts annotated)."""
    return [
        Column(_("Nummer"), "number"),
        Column(_("Gremium"), "board.code"),
        Column(_("Datum"), "date"),
        Column(_("Titel"), "title"),
        Column(_("Status"), "get_status_display"),
        Column(_("Bevestiging in de driehoek nodig"), "needs_triangle"),
        Column(_("Datum inwerkingtreding"), "effective_date"),
        Column(_("Vervolgacties"), "follow_up_count"),
        Column(_("Mijlpalen over de deadline"), "overdue_count"),
    ]
