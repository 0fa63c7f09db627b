"""Duiding on a chart: drawn as a marker above its period (hovering shows it whole), and a column
"Duiding" in the chart's table and downloads."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

#: A note drawn on a chart is cut at this length; the table has it whole.
NOTE_SHOWN = 40


def note_column() -> str:
    return _("Duiding")


def annotation(text: str, length: int = NOTE_SHOWN, **position: Any) -> dict[str, Any]:
    """A plotly annotation holding `text`, cut at `length`, above the plot at `position`."""
    short = text if len(text) <= length else text[: length - 1].rstrip() + "…"
    return {
        "y": 1,
        "yref": "paper",
        "yanchor": "bottom",
        **position,
        "text": "▼ " + short,
        "hovertext": text,
        "showarrow": False,
        "font": {"size": 11, "color": "#1a1a1a"},
        "bgcolor": "#fff4cc",
        "bordercolor": "#8a6d00",
        "borderpad": 2,
    }


def annotate(layout: dict, notes: dict[str, list[str]]) -> None:
    """Duiding drawn on a chart over categories: a marker with the text above each period that
    has notes, and room for it in the top margin."""
    layout["annotations"] = [
        annotation("; ".join(labels), x=period, xref="x") for period, labels in notes.items()
    ]
    layout["margin"] = {**layout.get("margin", {}), "t": 44}
