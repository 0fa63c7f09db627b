"""Columns of the actions app's downloads (see ketenportaal.exports)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ketenportaal.exports import Column


def milestone_columns() -> list[Column]:
    """One line per milestone; needs `action__owner` selected and `action__recommendations`
    prefetched so that the export's query count does not grow with the rows."""
    return [
        Column(_("Nummer"), "pk"),
        Column(_("Mijlpaal"), "title"),
        Column(_("Actie"), "action.title"),
        Column(
            _("Aanbevelingen"),
            lambda m: ", ".join(r.code for r in m.action.recommendations.all()),
        ),
        Column(_("Eigenaar"), "action.owner.code"),
        Column(_("Deadline"), "due_date"),
        Column(_("Oorspronkelijke deadline"), "baseline"),
        Column(_("Verschuiving (dagen)"), "slip_days"),
        Column(_("Aantal herplanningen"), "replan_count"),
        Column(_("Status"), "get_status_display"),
        Column(_("RAG"), lambda m: m.rag.label),
        Column(_("Percentage gereed"), "percent_complete"),
        Column(_("Risico"), "at_risk"),
        Column(_("Toelichting risico"), "risk_reason"),
        Column(_("Gereed op"), "completed_on"),
    ]


def progress_columns(kind_label: str) -> list[Column]:
    """Themes or perspectives with their counts (`actions.progress.with_counts`)."""
    return [
        Column(kind_label, str),
        Column(_("Gepland"), "n_planned"),
        Column(_("In uitvoering"), "n_in_progress"),
        Column(_("Gereed"), "n_done"),
        Column(_("Geannuleerd"), "n_cancelled"),
        Column(_("Percentage gereed"), "percent_done"),
        Column(_("Aanbevelingen"), "n_recommendations"),
        Column(_("Mijlpalen"), "total"),
    ]
