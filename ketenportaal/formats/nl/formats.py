"""The portal's dates in Dutch, one format per context (issue 13): `1 dec. 2026` in running text
(DATE_FORMAT), `01-12-2026` in tables (SHORT_DATE_FORMAT); exports and the API use ISO 8601.
Templates name these formats (`|date`, `|date:"SHORT_DATE_FORMAT"`), never a pattern of their own.
The month abbreviations ("N": jan., mrt., mei, dec.) come from locale/nl: lowercase, with a dot."""

from django.conf.locale.nl.formats import *  # noqa: F403 (input formats, separators, first day)

DATE_FORMAT = "j N Y"  # 1 dec. 2026
DATETIME_FORMAT = "j N Y H:i"  # 1 dec. 2026 14:05
SHORT_DATE_FORMAT = "d-m-Y"  # 01-12-2026
SHORT_DATETIME_FORMAT = "d-m-Y H:i"  # 01-12-2026 14:05
YEAR_MONTH_FORMAT = "N Y"  # dec. 2026
MONTH_DAY_FORMAT = "j N"  # 1 dec.
TIME_FORMAT = "H:i"
