"""The portal's dates in English, one format per context, as in Dutch (see ../nl/formats.py):
`1 Dec. 2026` in running text, `01-12-2026` in tables (day first, as the chain reads them)."""

from django.conf.locale.en.formats import *  # noqa: F403 (input formats, separators, first day)

DATE_FORMAT = "j N Y"  # 1 Dec. 2026
DATETIME_FORMAT = "j N Y H:i"  # 1 Dec. 2026 14:05
SHORT_DATE_FORMAT = "d-m-Y"  # 01-12-2026
SHORT_DATETIME_FORMAT = "d-m-Y H:i"  # 01-12-2026 14:05
YEAR_MONTH_FORMAT = "N Y"  # Dec. 2026
MONTH_DAY_FORMAT = "j N"  # 1 Dec.
TIME_FORMAT = "H:i"
