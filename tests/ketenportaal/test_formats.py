"""One date format per context (issue 13): templates name the formats of ketenportaal/formats,
never a pattern of their own."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from django.conf import settings
from django.utils import formats, translation

#: Django's named formats that ketenportaal/formats defines for every language.
NAMED = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
    "TIME_FORMAT",
}
DATE_FILTER = re.compile(r"""\|date:\s*["']([^"']*)["']""")


def test_templates_name_their_date_formats():
    literal = []
    for template in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        for number, line in enumerate(template.read_text().splitlines(), start=1):
            literal += [
                f"{template.relative_to(settings.BASE_DIR)}:{number}: {pattern}"
                for pattern in DATE_FILTER.findall(line)
                if pattern not in NAMED
            ]
    assert literal == []


def test_text_and_table_dates_in_dutch_and_english():
    day = datetime.date(2026, 12, 1)
    with translation.override("nl"):
        assert formats.date_format(day) == "1 dec. 2026"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "01-12-2026"
    with translation.override("en"):
        assert formats.date_format(day) == "1 Dec. 2026"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "01-12-2026"
