"""The header row: required, duplicated and unknown columns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dashboards.uploads.tables import Table
from dashboards.uploads.texts import text

from .result import OPTIONAL, REQUIRED, Findings


def check_header(table: Table, known_dimensions: set[str], found: Findings) -> bool:
    """Report the header's errors; True when the rows can be checked (nothing required missing,
    no column twice)."""
    frame = table.frame
    headers = table.headers
    seen: set[str] = set()
    for header in headers:
        if header and header in seen:
            found.error(
                [1],
                header,
                "duplicate_column",
                text(_('De kolom "%(column)s" staat meer dan eens in de kopregel.'), column=header),
            )
        seen.add(header)
    missing = [c for c in REQUIRED if c not in headers]
    for column in missing:
        found.error(
            [1],
            column,
            "missing_column",
            text(_('De verplichte kolom "%(column)s" ontbreekt in de kopregel.'), column=column),
        )
    for index, header in enumerate(headers, start=1):
        if header in REQUIRED or header in OPTIONAL or header in known_dimensions:
            continue
        if not header:
            name = f"#{index}"
            if name in frame.columns and (frame[name] != "").any():
                found.error(
                    [1],
                    f"{index}",
                    "unknown_column",
                    text(
                        _("Kolom %(index)s heeft geen naam in de kopregel maar bevat wel waarden."),
                        index=index,
                    ),
                )
            continue
        found.error(
            [1],
            header,
            "unknown_column",
            text(
                _(
                    'De kolom "%(column)s" is onbekend. Toegestaan zijn: indicator, period, value, organisation en de dimensies van de indicatoren.'
                ),
                column=header,
            ),
        )
    return not missing and len(seen) == len([h for h in headers if h])
