"""The one calendar of the portal: months, quarters and years, as `Period`.

Every part that names, orders, bounds or compares periods uses this module: ingest and validation
(`2024-03`, `2024-Q1`, `2024-K1`, `2024`), the rebuild, targets, signals, deliveries, reports and
the dashboards. A period is canonical as text (`2024-03`, `2024-Q1`, `2024`) and knows its first and
last day; periods sort by start, then by length (a year after its first quarter after its January).
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"

#: Finer periods rank lower: a figure may be given for its indicator's frequency or coarser.
RANK = {MONTH: 1, QUARTER: 2, YEAR: 3}
#: How many months a period of each type spans.
MONTHS = {MONTH: 1, QUARTER: 3, YEAR: 12}

# YYYY, YYYY-MM, YYYY-Qn or YYYY-Kn (Dutch "kwartaal"); the quarter letter in either case.
_PATTERN = re.compile(r"^(\d{4})(?:-(?:(\d{2})|[QqKk]([1-4])))?$")
_FIRST_YEAR = 1900


@functools.total_ordering
@dataclass(frozen=True, eq=True)
class Period:
    """A calendar month, quarter or year."""

    canonical: str  # 2024-03, 2024-Q1 or 2024
    type: str  # month, quarter, year
    start: datetime.date
    end: datetime.date

    # ---------------------------------------------------------------- making one

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = datetime.date(year, month, 1)
        return cls(f"{year:04d}-{month:02d}", MONTH, start, _last_day(year, month))

    @classmethod
    def quarter_of_year(cls, year: int, quarter: int) -> Period:
        start = datetime.date(year, 3 * quarter - 2, 1)
        return cls(f"{year:04d}-Q{quarter}", QUARTER, start, _last_day(year, 3 * quarter))

    @classmethod
    def year_of(cls, year: int) -> Period:
        return cls(f"{year:04d}", YEAR, datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def of(cls, day: datetime.date, type: str) -> Period:
        """The month, quarter or year that `day` lies in."""
        if type == MONTH:
            return cls.month(day.year, day.month)
        if type == QUARTER:
            return cls.quarter_of_year(day.year, (day.month - 1) // 3 + 1)
        return cls.year_of(day.year)

    @classmethod
    def parse(cls, text: str | None) -> Period | None:
        """`YYYY-MM`, `YYYY-Qn`, `YYYY-Kn` or `YYYY` (surrounding space ignored); None if not."""
        match = _PATTERN.match((text or "").strip())
        if not match:
            return None
        year = int(match.group(1))
        if year < _FIRST_YEAR:
            return None
        if match.group(2):
            month = int(match.group(2))
            return cls.month(year, month) if 1 <= month <= 12 else None
        if match.group(3):
            return cls.quarter_of_year(year, int(match.group(3)))
        return cls.year_of(year)

    # ---------------------------------------------------------------- what it is

    def __str__(self) -> str:
        return self.canonical

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return (self.start, self.end) < (other.start, other.end)

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def quarter(self) -> int:
        return (self.start.month - 1) // 3 + 1

    @property
    def rank(self) -> int:
        return RANK[self.type]

    @property
    def months(self) -> int:
        return MONTHS[self.type]

    def contains(self, other: Period | datetime.date) -> bool:
        """Whether a day, or a whole other period, lies within this one."""
        if isinstance(other, Period):
            return self.start <= other.start and other.end <= self.end
        return self.start <= other <= self.end

    def has_ended(self, today: datetime.date) -> bool:
        """Over before `today`: its figures can be complete. A running period has not ended."""
        return self.end < today

    def is_running(self, today: datetime.date) -> bool:
        return self.start <= today <= self.end

    # ---------------------------------------------------------------- neighbours

    def shifted(self, steps: int) -> Period:
        """The period `steps` periods of the same type later (earlier when negative)."""
        if self.type == YEAR:
            return Period.year_of(self.year + steps)
        size = MONTHS[self.type]
        index = self.year * 12 + self.start.month - 1 + steps * size
        year, month0 = divmod(index, 12)
        if self.type == MONTH:
            return Period.month(year, month0 + 1)
        return Period.quarter_of_year(year, month0 // 3 + 1)

    def previous(self) -> Period:
        return self.shifted(-1)

    def next(self) -> Period:
        return self.shifted(1)

    def a_year_earlier(self) -> Period:
        """The same month, quarter or year one year before."""
        return self.shifted(-(12 // MONTHS[self.type]))

    def parts(self, type: str) -> list[Period]:
        """The periods of `type` that make up this one (a quarter's months, a year's quarters)."""
        if RANK[type] > self.rank:
            raise ValueError(f"{self} has no parts of type {type}")
        first = Period.of(self.start, type)
        count = MONTHS[self.type] // MONTHS[type]
        return [first.shifted(n) for n in range(count)]


def _last_day(year: int, month: int) -> datetime.date:
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def parse_period(text: str | None) -> Period | None:
    """`Period.parse`, as a function."""
    return Period.parse(text)


def make_period(year: int, *, month: int | None = None, quarter: int | None = None) -> Period:
    """A month (with `month`), a quarter (with `quarter`) or else the year."""
    if month is not None:
        return Period.month(year, month)
    if quarter is not None:
        return Period.quarter_of_year(year, quarter)
    return Period.year_of(year)


def last_complete(type: str, today: datetime.date) -> Period:
    """The latest period of `type` that has ended before `today`."""
    return Period.of(today, type).previous()


def recent(type: str, today: datetime.date, count: int) -> list[Period]:
    """The `count` most recent periods of `type`, the running one included, oldest first."""
    current = Period.of(today, type)
    return [current.shifted(-n) for n in reversed(range(count))]
