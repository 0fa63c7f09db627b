"""A board pack's files, made from the same data: a self-contained HTML document and a tagged,
accessible PDF (WeasyPrint's PDF/UA-1 variant: structure tags, language, title)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

PRINT_CSS = settings.BASE_DIR / "static" / "css" / "report-print.css"


def render_html(data: dict[str, Any]) -> str:
    return render_to_string("packs/document.html", {"p": data, "css": PRINT_CSS.read_text()})


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: it loads pango, which only this needs

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")
