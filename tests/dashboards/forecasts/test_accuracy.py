"""The scorecard of the forecast rounds, with every number worked out by hand, and its API."""

from __future__ import annotations

from decimal import Decimal

from dashboards.forecasts.accuracy import expected_of, scorecard
from dashboards.models import Indicator

F = "forecast_asylum_inflow"


def by_round_and_year():
    card = scorecard(Indicator.objects.get(code=F))
    return card, {(s.round, s.year): s for s in card.scores}


def test_each_round_keeps_its_own_scenarios_per_year(rounds):
    card, scores = by_round_and_year()
    assert card.rounds == ["2024-06", "2025-06", "2026-06"]
    assert sorted(scores) == [
        ("2024-06", "2025"),
        ("2025-06", "2025"),
        ("2025-06", "2026"),
        ("2026-06", "2026"),
    ]
    assert scores[("2025-06", "2026")].scenarios == {
        "low": Decimal(31000),
        "expected": Decimal(41000),
        "high": Decimal(47000),
    }


def test_a_realisation_inside_the_range_scores_the_error_of_the_expected_scenario(rounds):
    _card, scores = by_round_and_year()
    score = scores[("2025-06", "2025")]
    # 12 × (2000 + 1000) = 36000 realised; 30000 ≤ 36000 ≤ 45000;
    # (40000 − 36000) / 36000 × 100 = 11.11… → 11.1
    assert score.realisation == Decimal(36000)
    assert score.within_range is True
    assert score.error_pct == 11.1


def test_a_realisation_above_the_high_scenario_is_outside_the_range(rounds):
    _card, scores = by_round_and_year()
    score = scores[("2024-06", "2025")]
    # 36000 > 30000 (high); (25000 − 36000) / 36000 × 100 = −30.55… → −30.6
    assert score.within_range is False
    assert score.error_pct == -30.6


def test_a_year_not_yet_complete_has_no_realisation_and_no_score(rounds):
    _card, scores = by_round_and_year()
    score = scores[("2026-06", "2026")]
    assert score.realised == Decimal(7500)  # three months so far
    assert score.complete is False
    assert (score.realisation, score.within_range, score.error_pct) == (None, None, None)


def test_without_an_expected_scenario_the_middle_one_is_taken():
    assert expected_of({"low": Decimal(1), "mid": Decimal(5), "high": Decimal(9)}) == 5


def test_the_api_gives_the_scorecard_per_round_and_year(rounds, client, viewer):
    client.force_login(viewer)
    response = client.get(f"/api/v1/forecast-accuracy/?indicator={F}")
    assert response.status_code == 200
    body = response.json()
    assert body["indicator"] == F
    assert body["realised_by"] == "asylum_applications"
    assert body["rounds"] == ["2024-06", "2025-06", "2026-06"]
    first = body["scores"][0]
    assert first == {
        "round": "2024-06",
        "year": "2025",
        "scenarios": {"low": 20000, "expected": 25000, "high": 30000},
        "expected": 25000,
        "realisation": 36000,
        "complete": True,
        "within_range": False,
        "error_pct": -30.6,
    }
    last = body["scores"][-1]
    assert (last["round"], last["year"], last["realisation"], last["within_range"]) == (
        "2026-06",
        "2026",
        None,
        None,
    )
    assert last["error_pct"] is None


def test_the_api_refuses_an_indicator_that_is_no_forecast(db, client, viewer):
    client.force_login(viewer)
    response = client.get("/api/v1/forecast-accuracy/?indicator=asylum_applications")
    assert response.status_code == 400
    assert "geen prognose-indicator" in response.json()["errors"]["indicator"][0]
    unknown = client.get("/api/v1/forecast-accuracy/?indicator=nonsense")
    assert unknown.status_code == 400


def test_the_api_needs_a_signed_in_user(db, client):
    assert client.get(f"/api/v1/forecast-accuracy/?indicator={F}").status_code in (401, 403)
