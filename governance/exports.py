"""Columns of the governance app's downloads (see ketenportaal.exports)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ketenportaal.exports import Column


def decision_columns() -> list[Column]:
    """Rows of `views.filter_decisions` (board selected, follow-up counts annotated)."""
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


def signal_columns() -> list[Column]:
    """Rows of `views_loop.signals_with_chain` (their facts selected)."""
    return [
        Column(_("Nummer"), "pk"),
        Column(_("Soort"), "get_kind_display"),
        Column(_("Signaal"), "summary"),
        Column(_("Status"), "get_status_display"),
        Column(_("Organisatie"), "organisation.code"),
        Column(_("Periode"), "period"),
        Column(_("Waarde"), "value"),
        Column(_("Eerst gezien"), "first_seen"),
        Column(_("Laatst gezien"), "last_seen"),
        Column(_("Reden sluiting"), "get_closed_reason_display"),
    ]
