"""Columns of the dashboards app's downloads (see ketenportaal.exports)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ketenportaal.exports import Column


def upload_columns() -> list[Column]:
    """Rows of the upload list (organisation and uploader selected)."""
    return [
        Column(_("Nummer"), "pk"),
        Column(_("Organisatie"), "organisation.code"),
        Column(_("Bestand"), "file_name"),
        Column(_("Aangeleverd door"), "uploaded_by.username"),
        Column(_("Aangeleverd op"), "uploaded_at"),
        Column(_("Status"), "get_status_display"),
        Column(_("Rijen"), "rows"),
        Column(_("Fouten"), "error_count"),
        Column(_("Waarschuwingen"), "warning_count"),
        Column(_("Besloten op"), "decided_at"),
        Column(_("Reden afwijzing"), "rejection_reason"),
        Column(_("SHA-256"), "sha256"),
    ]


def delivery_rows(table) -> list[dict]:
    """`deliveries.delivery_overview`'s table, one line per indicator and quarter."""
    return [
        {
            "indicator": indicator.code,
            "label": indicator.display_label,
            "quarter": delivery.quarter,
            "status": delivery.status_label,
            "deadline": delivery.due_on,
            "delivered_at": delivery.first_delivered_on,
            "complete": delivery.complete,
            "cells": delivery.cells,
            "warnings": delivery.warnings,
        }
        for indicator, row in table
        for delivery in row
        if delivery is not None
    ]


def delivery_columns() -> list[Column]:
    return [
        Column(_("Indicator"), "indicator"),
        Column(_("Naam"), "label"),
        Column(_("Kwartaal"), "quarter"),
        Column(_("Tijdigheid"), "status"),
        Column(_("Termijn"), "deadline"),
        Column(_("Aangeleverd op"), "delivered_at"),
        Column(_("Volledig"), "complete"),
        Column(_("Cellen"), "cells"),
        Column(_("Waarschuwingen"), "warnings"),
    ]
