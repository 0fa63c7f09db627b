"""The rules on a file's rows: indicator, organisation, period, value and dimension values, and
the same cell twice. Vectorised: columns of few distinct values are handled as categoricals, so
every string operation and lookup runs once per distinct value, then is taken back to the rows by
code.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from dashboards.uploads.period_columns import parse_periods
from dashboards.uploads.tables import ROW
from ketenportaal.periods import RANK

from .result import (
    MAX_ABS_VALUE,
    NUMBER_PATTERN,
    Context,
    Findings,
    IndicatorSpec,
    fmt,
    frequency_label,
    lower,
)


@dataclass
class Rows:
    """The file's rows as the rules see them: the indicator of each row (by category code), and
    which rows still have a sound cell key."""

    frame: pd.DataFrame
    codes: pd.Series  # the indicator column, lower-cased, categorical
    ind_code: np.ndarray  # per row: its indicator's category code
    categories: list[str]
    spec_per_cat: list[IndicatorSpec | None]
    ok: pd.Series  # rows whose cell key is sound so far
    known: pd.Series | None = None  # rows of an active indicator of the catalogue

    @classmethod
    def of(cls, frame: pd.DataFrame, catalogue: dict[str, IndicatorSpec]) -> Rows:
        codes = lower(frame["indicator"])
        categories = list(codes.cat.categories)
        return cls(
            frame=frame,
            codes=codes,
            ind_code=codes.cat.codes.to_numpy(),
            categories=categories,
            spec_per_cat=[catalogue.get(c) for c in categories],
            ok=pd.Series(True, index=frame.index),
        )

    def per_indicator(self, attribute: str, default: object) -> pd.Series:
        """Per row, an attribute of its indicator's spec (`default` for an unknown one)."""
        values = [getattr(s, attribute) if s is not None else default for s in self.spec_per_cat]
        return pd.Series(
            np.asarray([*values, default], dtype=object)[self.ind_code], index=self.frame.index
        )


@dataclass
class Values:
    values: pd.Series  # the numbers (NaN where not a number)
    raw: pd.Series  # the normalised texts, as stored
    ok: pd.Series  # numbers the indicator accepts


def check_indicators(rows: Rows, context: Context, found: Findings) -> None:
    """Unknown or inactive indicators, and indicators of another organisation."""
    frame = rows.frame
    known = pd.Series(
        np.asarray([s is not None and s.active for s in rows.spec_per_cat] + [False])[
            rows.ind_code
        ],
        index=frame.index,
    )
    bad = frame[~known]
    found.error(
        bad[ROW],
        "indicator",
        "unknown_indicator",
        fmt(
            _('Onbekende indicator "%(code)s": gebruik een code uit de indicatorcatalogus.'),
            bad,
            code="indicator",
        ),
    )
    owner = rows.per_indicator("owner", "")
    foreign = known & (owner != context.organisation)
    bad = frame[foreign].assign(owner=owner[foreign], organisation_=context.organisation)
    found.error(
        bad[ROW],
        "indicator",
        "foreign_indicator",
        fmt(
            _(
                'De indicator "%(code)s" is van %(owner)s; %(organisation)s mag hiervoor geen cijfers aanleveren.'
            ),
            bad,
            code="indicator",
            owner="owner",
            organisation="organisation_",
        ),
    )
    rows.known = known
    rows.ok &= known & ~foreign


def check_organisation(frame: pd.DataFrame, context: Context, found: Findings) -> None:
    """An `organisation` column must name the uploader's own organisation."""
    if "organisation" in frame.columns:
        given = frame["organisation"].astype("category")
        wrong_values = [
            v for v in given.cat.categories if v != "" and v.upper() != context.organisation.upper()
        ]
        wrong = given.isin(wrong_values)
        bad = frame[wrong].assign(own_=context.organisation)
        found.error(
            bad[ROW],
            "organisation",
            "wrong_organisation",
            fmt(
                _(
                    'De organisatie "%(given)s" is niet de organisatie van deze aanlevering (%(own)s).'
                ),
                bad,
                given="organisation",
                own="own_",
            ),
        )


def check_periods(rows: Rows, today: datetime.date, found: Findings) -> pd.DataFrame:
    """Malformed periods, periods finer than the indicator allows, and periods that have not
    ended (running or in the future; forecasts excepted).
    Returns the parsed periods (`period_columns.parse_periods`)."""
    frame = rows.frame
    periods = parse_periods(frame["period"])
    malformed = periods["period"].isna()
    bad = frame[malformed]
    found.error(
        bad[ROW],
        "period",
        "malformed_period",
        fmt(
            _('De periode "%(value)s" is ongeldig: gebruik JJJJ-MM, JJJJ-Qn, JJJJ-Kn of JJJJ.'),
            bad,
            value="period",
        ),
    )
    frequency = rows.per_indicator("frequency", "")
    frequency_rank = np.asarray(
        [RANK.get(s.frequency, 0) if s is not None else 0 for s in rows.spec_per_cat] + [0]
    )[rows.ind_code]
    too_fine = ~malformed & rows.known & (periods["rank"].to_numpy() < frequency_rank)
    bad = frame[too_fine].assign(freq=frequency[too_fine].map(frequency_label))
    found.error(
        bad[ROW],
        "period",
        "period_too_fine",
        fmt(
            _('De periode "%(value)s" is fijner dan de indicator toestaat (per %(freq)s).'),
            bad,
            value="period",
            freq="freq",
        ),
    )
    # The contract's second edition: a period must have ended (`Period.has_ended`), except for
    # forecasts; the message says when it ends, so the partner knows when to send it.
    forecast = rows.per_indicator("is_forecast", False).astype(bool)
    today_ordinal = today.toordinal()
    end_ordinal = _ordinals(periods["period_end"])
    future = ~malformed & ~forecast & (periods["start_ordinal"] > today_ordinal)
    running = ~malformed & ~forecast & ~future & (end_ordinal >= today_ordinal)
    for code, mask, template in (
        (
            "future_period",
            future,
            _(
                'De periode "%(value)s" ligt in de toekomst en eindigt op %(end)s. Alleen '
                "prognoses mogen over een periode gaan die nog niet voorbij is."
            ),
        ),
        (
            "running_period",
            running,
            _(
                'De periode "%(value)s" loopt nog: die eindigt op %(end)s. Lever de cijfers aan '
                "na afloop van de periode; alleen prognoses mogen over een lopende periode gaan."
            ),
        ),
    ):
        bad = frame[mask].assign(end_=periods["period_end"][mask].map(_day_label).astype(object))
        found.error(bad[ROW], "period", code, fmt(template, bad, value="period", end="end_"))
    future |= running
    rows.ok &= ~malformed & ~too_fine & ~future
    return periods


def _ordinals(days: pd.Series) -> np.ndarray:
    """A categorical column of dates as day ordinals (0 where missing), once per distinct day."""
    category = days.astype("category")
    per_code = np.asarray([d.toordinal() for d in category.cat.categories] + [0], dtype=np.int64)
    return per_code[category.cat.codes.to_numpy()]


def _day_label(day: datetime.date) -> str:
    """A period's last day in the message's language: "31 december 2026" (lazy)."""
    return _lazy_date(day, "j F Y")


_lazy_date = lazy(date_format, str)


# 53.120 or 1.234.567: digits in groups of three after the first, separated by points.
GROUPED_THOUSANDS = r"[+-]?\d{1,3}(?:\.\d{3})+"
POINT_DECIMAL = r"[+-]?\d*\.\d+"


def dutch_numbers(texts: pd.Series, grouped: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    """The distinct values of a Dutch file (semicolons, decimal comma) as Python reads numbers,
    and which are ambiguous. "1.234,5" is 1234.5 and "53.120" is 53120: a point separates
    thousands. Unless the file also writes decimals with a point ("2.5"): then a value in groups
    of three could be either, and is refused with an explanation rather than guessed."""
    has_comma = texts.str.contains(",", regex=False).fillna(False).to_numpy(dtype=bool)
    point_decimal = (
        texts.str.fullmatch(POINT_DECIMAL).fillna(False).to_numpy(dtype=bool)
        & ~has_comma
        & ~grouped
    )
    # Only a file that also writes a decimal point makes a group of three ambiguous.
    ambiguous = grouped & ~has_comma & point_decimal.any()
    separated = has_comma | (grouped & ~ambiguous)
    read = texts.where(
        ~separated, texts.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    )
    return read, ambiguous


def check_values(rows: Rows, decimal_comma: bool, found: Findings) -> Values:
    """Values that are not numbers, too large, or not a count where the indicator counts."""
    frame = rows.frame
    raw_cat = frame["value"].astype("category")
    texts = pd.Series(raw_cat.cat.categories, dtype=object)
    grouped = texts.str.fullmatch(GROUPED_THOUSANDS).fillna(False).astype(bool).to_numpy()
    ambiguous = np.zeros(len(texts), dtype=bool)
    if decimal_comma:
        texts, ambiguous = dutch_numbers(texts, grouped)
    is_number = (
        texts.str.fullmatch(NUMBER_PATTERN).fillna(False).astype(bool).to_numpy() & ~ambiguous
    )
    numbers = pd.to_numeric(texts.where(is_number), errors="coerce").to_numpy(dtype=float)
    value_code = raw_cat.cat.codes.to_numpy()
    bad = frame[ambiguous[value_code]]
    found.error(
        bad[ROW],
        "value",
        "ambiguous_number",
        fmt(
            _(
                'De waarde "%(value)s" is niet eenduidig: dit bestand schrijft decimalen ook met '
                "een punt. Schrijf duizendtallen zonder scheidingsteken (53120) en decimalen met "
                "een komma (2,5)."
            ),
            bad,
            value="value",
        ),
    )
    raw_codes, raw_texts = pd.factorize(texts.to_numpy(dtype=object))
    raw = pd.Series(
        pd.Categorical.from_codes(raw_codes[value_code], categories=raw_texts), index=frame.index
    )
    numeric = pd.Series(is_number[value_code], index=frame.index)
    values = pd.Series(numbers[value_code], index=frame.index)
    bad = frame[~numeric & ~pd.Series(ambiguous[value_code], index=frame.index)]
    found.error(
        bad[ROW],
        "value",
        "not_a_number",
        fmt(_('De waarde "%(value)s" is geen getal.'), bad, value="value"),
    )
    too_large = numeric & (values.abs() >= MAX_ABS_VALUE)
    bad = frame[too_large]
    found.error(
        bad[ROW],
        "value",
        "value_too_large",
        fmt(_('De waarde "%(value)s" is te groot.'), bad, value="value"),
    )
    is_count = rows.per_indicator("is_count", False).astype(bool)
    negative = numeric & is_count & (values < 0)
    bad = frame[negative]
    found.error(
        bad[ROW],
        "value",
        "negative_count",
        fmt(
            _("De waarde %(value)s is negatief; deze indicator telt aantallen (0 of meer)."),
            bad,
            value="value",
        ),
    )
    fractional = numeric & is_count & ~too_large & (values != np.floor(values))
    # "53.120" in a file with decimal points: a count is whole, so a thousands separator was meant.
    meant_thousands = fractional & pd.Series(grouped[value_code], index=frame.index)
    bad = frame[meant_thousands]
    found.error(
        bad[ROW],
        "value",
        "ambiguous_number",
        fmt(
            _(
                'De waarde "%(value)s" is geen geheel getal; deze indicator telt aantallen. '
                "Bedoelt u duizendtallen? Schrijf het getal zonder scheidingsteken (53120)."
            ),
            bad,
            value="value",
        ),
    )
    fractional &= ~meant_thousands
    bad = frame[fractional]
    found.error(
        bad[ROW],
        "value",
        "fractional_count",
        fmt(
            _("De waarde %(value)s is geen geheel getal; deze indicator telt aantallen."),
            bad,
            value="value",
        ),
    )
    value_ok = numeric & ~too_large & ~negative & ~fractional
    return Values(values=values, raw=raw, ok=value_ok)
