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


def delivery_status_label(status: str) -> str:
    return {
        "on_time": _("op tijd"),
        "late": _("te laat"),
        "missing": _("ontbreekt"),
    }.get(status, _("nog open"))


def delivery_rows(table) -> list[dict]:
    """`deliveries.delivery_overview`'s table, one line per indicator and quarter."""
    return [
        {
            "indicator": indicator.code,
            "label": indicator.display_label,
            "quarter": cell.quarter,
            "status": delivery_status_label(cell.status),
            "deadline": cell.deadline,
            "delivered_at": cell.delivered_at,
            "cells": cell.cells,
            "warnings": cell.warnings,
        }
        for indicator, cells in table
        for cell in cells
    ]


def delivery_columns() -> list[Column]:
    return [
        Column(_("Indicator"), "indicator"),
        Column(_("Naam"), "label"),
        Column(_("Kwartaal"), "quarter"),
        Column(_("Tijdigheid"), "status"),
        Column(_("Termijn"), "deadline"),
        Column(_("Eerst aangeleverd op"), "delivered_at"),
        Column(_("Cellen"), "cells"),
        Column(_("Waarschuwingen"), "warnings"),
    ]
