"""Columns of the steering loop's downloads (see ketenportaal.exports)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ketenportaal.exports import Column


def signal_columns() -> list[Column]:
    """Rows of `views.signals_with_chain` (their facts selected)."""
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
