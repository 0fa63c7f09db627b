""" "Prognose en realisatie": the rounds of the forecast side by side with the realisation, the
scenarios of one round, and the scorecard of every round (`dashboards.forecasts.accuracy`)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboards.annotations.notes import notes_for
from dashboards.catalogue.labels import unit_label, value_label
from dashboards.forecasts import accuracy
from dashboards.models import Frequency, Indicator, Release, series_key
from dashboards.rebuild import series
from ketenportaal.http import AuthenticatedHttpRequest
from ketenportaal.widgets import Select

from . import charts
from .base import DASHBOARD_TEMPLATE, lineage_link, per_series, periods_of, render_dashboard
from .filters import DashboardFilterForm

FORECAST = "forecast_asylum_inflow"
#: The page's filter that picks the round whose scenarios the second chart shows.
ROUND_FIELD = "ronde"


def round_label(round_: str) -> str:
    """A round as people name it: "MPP jun. 2026" (the named year-month format)."""
    if not round_:
        return _("MPP zonder ronde")
    year, month = int(round_[:4]), int(round_[5:7])
    when = date_format(datetime.date(year, month, 1), "YEAR_MONTH_FORMAT")
    return _("MPP %(month)s") % {"month": when}


def _in_range(year: str, start: datetime.date | None, end: datetime.date | None) -> bool:
    return (start is None or int(year) >= start.year) and (end is None or int(year) <= end.year)


def figures(
    forecast: Indicator,
    *,
    selection: dict[str, str] | None = None,
    round_: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    release: Release | None = None,
) -> dict[str, Any]:
    """The charts and the scorecard of the page, from the forecast's current build (or as a
    release froze it).

    The first chart shows every round's expected scenario (or the scenario chosen) beside the
    realisation; the second the scenarios of one round (`round_`, by default the latest). A
    round is never added to another, nor a scenario to another (`overlapping`).
    """
    card = accuracy.scorecard(forecast, release=release)
    scores = [s for s in card.scores if _in_range(s.year, start, end)]
    realised = {y: v for y, v in card.realised.items() if _in_range(y, start, end)}
    realised_values = {y: value for y, (value, _ok) in realised.items()}
    realised_complete = {y: ok for y, (_value, ok) in realised.items()}
    realised_name = (
        _("Gerealiseerd: %(indicator)s") % {"indicator": card.realised_by.display_label}
        if card.realised_by
        else _("Gerealiseerd")
    )
    chosen = (selection or {}).get(accuracy.SCENARIO, "")
    unit = unit_label(forecast.unit)

    per_round = []
    for r in card.rounds:
        values = {
            s.year: (s.scenarios.get(chosen) if chosen else s.expected)
            for s in scores
            if s.round == r
        }
        per_round.append((round_label(r), {y: v for y, v in values.items() if v is not None}))
    parts = [*per_round, (realised_name, realised_values)]
    # Every point opens its lineage: a round's scenario, or the realisation's total.
    scenario_key = series.dimension_key({accuracy.SCENARIO: chosen or "expected"})
    realised_link = (
        [lineage_link(card.realised_by, Frequency.YEAR, release=release)]
        if card.realised_by is not None
        else []
    )
    round_links = [
        lineage_link(
            forecast, Frequency.YEAR, dimension_key=series_key(scenario_key, r), release=release
        )
        for r in card.rounds
    ]
    notes = notes_for(
        [forecast, *([card.realised_by] if card.realised_by else [])], start=start, end=end
    )
    noted = [forecast.pk, *([card.realised_by.pk] if card.realised_by else [])]
    periods = periods_of(*[v for _n, v in parts])
    scenario_name = value_label(chosen, forecast, accuracy.SCENARIO) if chosen else _("verwacht")
    rounds_chart = charts.series_chart(
        slug="prognoserondes",
        title=_("Prognoserondes (scenario %(scenario)s) naast de realisatie, per jaar")
        % {"scenario": scenario_name.lower()},
        unit=unit,
        periods=periods,
        series=parts,
        complete=realised_complete,
        kind="line",
        period_label=_("Jaar"),
        overlapping=True,  # rounds and the realisation are alternatives, never a sum
        series_complete=[{}] * len(per_round) + [realised_complete],
        link=per_series(round_links + realised_link),
        notes=notes.per_period(noted, periods),
    )

    shown_round = round_ if round_ in card.rounds else (card.rounds[-1] if card.rounds else "")
    scenario_parts = [
        (
            value_label(code, forecast, accuracy.SCENARIO) if code else forecast.display_label,
            {
                s.year: s.scenarios[code]
                for s in scores
                if s.round == shown_round and code in s.scenarios
            },
        )
        for code in accuracy.scenario_codes(forecast)
    ]
    scenario_parts.append((realised_name, realised_values))
    scenario_periods = periods_of(*[v for _n, v in scenario_parts])
    scenario_links = [
        lineage_link(
            forecast,
            Frequency.YEAR,
            dimension_key=series_key(
                series.dimension_key({accuracy.SCENARIO: code} if code else {}), shown_round
            ),
            release=release,
        )
        for code in accuracy.scenario_codes(forecast)
    ]
    scenarios_chart = charts.series_chart(
        slug="prognose",
        title=(
            _("Scenario's van %(round)s en de realisatie, per jaar")
            % {"round": round_label(shown_round)}
            if shown_round
            else _("Scenario's van de prognose en de realisatie, per jaar")
        ),
        unit=unit,
        periods=scenario_periods,
        series=scenario_parts,
        complete=realised_complete,
        kind="line",
        period_label=_("Jaar"),
        overlapping=True,
        series_complete=[{}] * (len(scenario_parts) - 1) + [realised_complete],
        link=per_series(scenario_links + realised_link),
        notes=notes.per_period(noted, scenario_periods),
    )
    return {
        "charts": [rounds_chart, scenarios_chart],
        "scorecard": scorecard_table(forecast, scores),
        "built_at": card.built_at,
        "release": release,
    }


def scorecard_table(forecast: Indicator, scores: list[accuracy.Score]) -> dict[str, Any]:
    """The scorecard as the template shows it: labelled columns, a row per round and year."""
    codes = accuracy.scenario_codes(forecast)
    return {
        "scenarios": [
            value_label(code, forecast, accuracy.SCENARIO) if code else forecast.display_label
            for code in codes
        ],
        "rows": [
            {
                "round": round_label(score.round),
                "year": score.year,
                "values": [charts.number(score.scenarios.get(code)) for code in codes],
                "realised": charts.number(score.realised),
                "complete": score.complete,
                "within_range": score.within_range,
                "error_pct": score.error_pct,
            }
            for score in scores
        ],
    }


class ForecastFilterForm(DashboardFilterForm):
    """The dashboards' period and scenario filters, and the round whose scenarios are shown;
    no organisation: a forecast and its realisation are the chain's."""

    def __init__(self, data=None, *, dimensions=None, rounds: list[str]):
        super().__init__(data, dimensions=dimensions, release=True)
        del self.fields["organisation"]
        self.fields[ROUND_FIELD] = forms.ChoiceField(
            label=gettext_lazy("Ronde van de scenario's"),
            required=False,
            choices=[
                ("", gettext_lazy("Laatste ronde")),
                *[(r, round_label(r)) for r in rounds if r],
            ],
            widget=Select,
        )


@login_required
def view(request: AuthenticatedHttpRequest) -> HttpResponse:
    forecast = get_object_or_404(Indicator.objects.select_related("realised_by"), code=FORECAST)
    form = ForecastFilterForm(
        request.GET or None,
        dimensions=forecast.dimensions,
        rounds=series.rounds(forecast),
    )

    def build() -> dict[str, Any]:
        start, end = form.period_range()
        return figures(
            forecast,
            selection=form.selection(),
            round_=form.values.get(ROUND_FIELD) or "",
            start=start,
            end=end,
            release=form.values.get("release"),
        )

    context = {
        "title": _("Prognose en realisatie"),
        "intro": _(
            "De rondes van de meerjarige productieprognose (MPP) naast de realisatie, en per "
            "ronde hoe goed de prognose was: lag de realisatie binnen de bandbreedte van de "
            "scenario's laag en hoog, en hoeveel week het verwachte scenario af. Een jaar telt "
            "pas mee als de cijfers van het hele jaar binnen zijn."
        ),
        "form": form,
        "page": "forecast",
    }
    return render_dashboard(request, DASHBOARD_TEMPLATE, context, build=build)
