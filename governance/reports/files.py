"""The files of a progress report, all made from the same data: an HTML snapshot (the portal's
own template), a PDF rendered from that HTML with WeasyPrint, and an XLSX workbook."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from dashboards.catalogue.labels import unit_label
from ketenportaal.exports import Column, Sheet, xlsx_bytes

PRINT_CSS = settings.BASE_DIR / "static" / "css" / "report-print.css"


def _as_date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _date(key: str):
    """A column getter that turns the stored ISO date back into a date cell."""
    return lambda row: _as_date(row.get(key))


def render_html(data: dict[str, Any]) -> str:
    """A self-contained HTML document (styles embedded, no scripts, no external files)."""
    return render_to_string(
        "governance/reports/document.html", {"r": data, "css": PRINT_CSS.read_text()}
    )


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: it loads pango, which only this needs

    # PDF/UA-1: a tagged PDF (structure, reading order, language) that screen readers can read.
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")


def render_xlsx(data: dict[str, Any]) -> bytes:
    """One sheet per section; numbers stay numbers, text is neutralised (ketenportaal.exports)."""
    summary = [
        (_("Verantwoordingsmoment"), data["moment"]["title"]),
        (_("Peildatum"), _as_date(data["moment"]["date"])),
        (_("Vorig moment"), _as_date(data["previous"]["date"]) if data["previous"] else ""),
        (_("Stand van de gegevens"), data["as_of"]),
        *([(_("Cijfers: release"), data["release"]["name"])] if data.get("release") else []),
        (_("Aanbevelingen"), data["summary"]["recommendations"]),
        *[(_("Aanbevelingen: %s") % s["label"], s["count"]) for s in data["summary"]["by_status"]],
        (_("Statuswijzigingen sinds vorig moment"), data["summary"]["status_changes"]),
        (_("Mijlpalen gereed in de periode"), data["summary"]["milestones_completed"]),
        (_("Mijlpalen over de deadline"), data["summary"]["milestones_overdue"]),
        (_("Waarvan nieuw over de deadline"), data["summary"]["milestones_newly_overdue"]),
        (_("Besluiten in de periode"), data["summary"]["decisions"]),
    ]
    recommendations = [
        {**rec, "theme": theme["number"], "perspective": perspective["number"]}
        for theme in data["themes"]
        for perspective in theme["perspectives"]
        for rec in perspective["recommendations"]
    ]
    return xlsx_bytes(
        [
            Sheet(
                _("Samenvatting"),
                [Column(_("Onderwerp"), lambda r: r[0]), Column(_("Waarde"), lambda r: r[1])],
                summary,
            ),
            Sheet(
                _("Per thema"),
                [
                    Column(_("Thema"), "number"),
                    Column(_("Titel"), "title"),
                    Column(_("Aanbevelingen"), "n_recommendations"),
                    Column(_("Gerealiseerd"), "n_implemented"),
                    Column(_("In uitvoering"), "n_in_progress"),
                    Column(_("Open"), "n_open"),
                    Column(_("Mijlpalen"), "milestones"),
                    Column(_("Mijlpalen gereed"), "milestones_done"),
                    Column(_("Percentage gereed"), "percent_done"),
                ],
                data["themes"],
            ),
            Sheet(
                _("Aanbevelingen"),
                [
                    Column(_("Thema"), "theme"),
                    Column(_("Handelingsperspectief"), "perspective"),
                    Column(_("Code"), "code"),
                    Column(_("Aanbeveling"), "text"),
                    Column(_("Eigenaar"), "owner"),
                    Column(_("Status"), "status_label"),
                    Column(_("Status vorig moment"), "previous_status_label"),
                    Column(_("Gewijzigd"), "changed"),
                    Column(_("Mijlpalen"), "milestones"),
                    Column(_("Mijlpalen gereed"), "milestones_done"),
                ],
                recommendations,
            ),
            Sheet(
                _("Gereed in periode"),
                [
                    Column(_("Mijlpaal"), "title"),
                    Column(_("Actie"), "action"),
                    Column(_("Eigenaar"), "owner"),
                    Column(_("Deadline"), _date("due_date")),
                    Column(_("Gereed op"), _date("completed_on")),
                ],
                data["completed"],
            ),
            Sheet(
                _("Over de deadline"),
                [
                    Column(_("Mijlpaal"), "title"),
                    Column(_("Actie"), "action"),
                    Column(_("Eigenaar"), "owner"),
                    Column(_("Deadline"), _date("due_date")),
                    Column(_("Dagen over"), "days_overdue"),
                    Column(_("Reden"), "reason"),
                    Column(_("Nieuw sinds vorig moment"), "new"),
                ],
                data["overdue"],
            ),
            Sheet(
                _("Besluiten"),
                [
                    Column(_("Nummer"), "number"),
                    Column(_("Besluit"), "title"),
                    Column(_("Gremium"), "board"),
                    Column(_("Datum"), _date("date")),
                    Column(_("Status"), "status_label"),
                ],
                data["decisions"],
            ),
            Sheet(
                _("Kerncijfers"),
                [
                    Column(_("Indicator"), "indicator"),
                    Column(_("Naam"), "label"),
                    Column(_("Eenheid"), lambda row: unit_label(row.get("unit") or "")),
                    Column(_("Periode"), "period"),
                    Column(_("Waarde"), "value"),
                    Column(_("Vorige periode"), "previous_period"),
                    Column(_("Waarde vorige periode"), "previous_value"),
                    Column(_("Verandering (%)"), "change_percent"),
                    Column(_("Trend"), "trend_label"),
                    Column(_("Periode bij vorig moment"), "moment_period"),
                    Column(_("Waarde bij vorig moment"), "moment_value"),
                    Column(_("Duiding"), _figure_notes),
                ],
                data["figures"],
            ),
        ]
    )


def _figure_notes(row: dict[str, Any]) -> str:
    """A key figure's duiding in one cell (reports made before it existed have none)."""
    return "; ".join(
        f"{n['period']}: {n['text']} ({n['organisation']})" for n in row.get("notes") or []
    )
