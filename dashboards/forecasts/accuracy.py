"""The scorecard of a forecast: per round and forecast year, the scenario values, the realisation
and whether it fell inside the range, with the error of the expected scenario.

Everything comes from the current build (`dashboards.rebuild.series`), chain-wide and per year:
a forecast's series are per round (`round=YYYY-MM;scenario=…`), never summed across rounds. The
realisation is the total (over every dimension value) of the indicator `realised_by` names, and
only counts for a year whose figures are complete; before that a score has no realisation,
`within_range` and `error_pct` are None.

- range: from the lowest to the highest scenario value of that round and year (the low and high
  scenarios);
- expected: the scenario named `expected`, or else the middle one (the median of the values);
- `error_pct`: (expected − realisation) / realisation × 100, rounded to one decimal: positive
  when the round forecast too much, negative when too little; None for a realisation of 0.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass
from decimal import Decimal

from dashboards.models import Frequency, Indicator, Release, series_key
from dashboards.rebuild import series

#: The dimension of a forecast that holds its scenarios (DESIGN.md's catalogue).
SCENARIO = "scenario"
EXPECTED = "expected"


@dataclass(frozen=True)
class Score:
    """One round's forecast for one year, against what happened."""

    round: str
    year: str
    #: scenario code → value, in the indicator's order of scenarios ("" without scenarios)
    scenarios: dict[str, Decimal]
    expected: Decimal
    low: Decimal
    high: Decimal
    #: the realisation's figure, also of a year still running (then `complete` is False)
    realised: Decimal | None
    complete: bool

    @property
    def realisation(self) -> Decimal | None:
        """The realisation that counts: only of a complete year."""
        return self.realised if self.complete else None

    @property
    def within_range(self) -> bool | None:
        if self.realisation is None:
            return None
        return self.low <= self.realisation <= self.high

    @property
    def error_pct(self) -> float | None:
        if self.realisation is None or self.realisation == 0:
            return None
        return round(float((self.expected - self.realisation) / self.realisation * 100), 1)


@dataclass(frozen=True)
class Scorecard:
    indicator: Indicator
    realised_by: Indicator | None
    rounds: list[str]
    scores: list[Score]
    #: per year: the realisation's figure and whether its year is complete
    realised: dict[str, tuple[Decimal, bool]]
    built_at: datetime.datetime | None

    def of_round(self, round_: str) -> list[Score]:
        return [s for s in self.scores if s.round == round_]


def scenario_codes(indicator: Indicator) -> list[str]:
    """The forecast's scenarios in catalogue order; [""] for a forecast without them."""
    return list((indicator.dimensions or {}).get(SCENARIO) or [""])


def expected_of(values: dict[str, Decimal]) -> Decimal:
    """The expected scenario's value, or the middle one (the median) when there is none."""
    if EXPECTED in values:
        return values[EXPECTED]
    return Decimal(statistics.median(values.values()))


def scorecard(indicator: Indicator, *, release: Release | None = None) -> Scorecard:
    """The scorecard of a forecast indicator from its current build, or as a release froze it
    (five queries at most)."""
    realised_by = indicator.realised_by
    rounds = series.rounds(indicator, release=release)
    scenarios = scenario_codes(indicator)
    keys = {
        series_key(series.dimension_key({SCENARIO: s} if s else {}), r): (r, s)
        for r in rounds
        for s in scenarios
    }
    # A forecast and a total over all dimension values are never suppressed: the strictest
    # view (viewer None) reads them whole, and the scorecard is the same for everyone.
    rows = series.point_rows(
        indicators=[indicator],
        frequency=Frequency.YEAR,
        viewer=None,
        dimension_keys=sorted(keys),
        release=release,
    )
    figures: dict[tuple[str, str], dict[str, Decimal]] = {}
    for row in rows:
        if row["value"] is None:
            continue  # suppressed: never a forecast's, but a score needs the value itself
        round_, scenario = keys[row["dimension_key"]]
        figures.setdefault((round_, row["period"]), {})[scenario] = Decimal(row["value"])
    realised: dict[str, tuple[Decimal, bool]] = {}
    if realised_by is not None:
        realised = {
            row["period"]: (Decimal(row["value"]), bool(row["all_complete"]))
            for row in series.point_rows(
                indicators=[realised_by],
                frequency=Frequency.YEAR,
                viewer=None,
                dimension_keys=[""],
                release=release,
            )
            if row["value"] is not None
        }
    scores = []
    for (round_, year), values in sorted(figures.items()):
        ordered = {s: values[s] for s in scenarios if s in values}
        figure, complete = realised.get(year, (None, False))
        scores.append(
            Score(
                round=round_,
                year=year,
                scenarios=ordered,
                expected=expected_of(ordered),
                low=min(ordered.values()),
                high=max(ordered.values()),
                realised=figure,
                complete=complete,
            )
        )
    built = [indicator, *([realised_by] if realised_by else [])]
    return Scorecard(
        indicator=indicator,
        realised_by=realised_by,
        rounds=rounds,
        scores=scores,
        realised=realised,
        built_at=series.built_at(built, release=release),
    )
