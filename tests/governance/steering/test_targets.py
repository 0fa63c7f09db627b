"""Targets evaluated for every aggregation; missing months make a result incomplete, not missed;
a target on an indicator the organisation does not deliver is refused when saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dashboards.models import Indicator
from governance.models import Assignment, ChainGoal, Direction, SignalKind, Target
from governance.steering import services as steering
from governance.steering import signals as loop
from governance.steering.targets import INCOMPLETE, MET, MISSED, Figure, evaluate, target_results
from tests.factories import make_figures, make_target, open_signals, org

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


def result(target):
    return target_results([target], TODAY)[target.pk]


def test_a_mean_target_averages_over_dimensions_instead_of_summing_them():
    # Lead time per application type (a mean indicator with a dimension): 100 and 300 days in
    # each quarter average 200, not 400.
    target = make_target("IND", "asylum_lead_time", "2026-Q1", 210, Direction.AT_MOST, tolerance=0)
    indicator = target.indicator
    figures = [
        Figure(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31), (Decimal(100), Decimal(300)))
    ]
    outcome = evaluate(target, figures, TODAY)
    assert indicator.aggregation == "mean"
    assert (outcome.realised, outcome.status) == (Decimal(200), MET)


def test_a_mean_target_weighs_each_figure_by_the_months_it_covers():
    target = make_target("IND", "asylum_lead_time", "2025", 150, Direction.AT_MOST, tolerance=0)
    year = 2025
    figures = [
        Figure(datetime.date(year, 1, 1), datetime.date(year, 9, 30), (Decimal(100),)),  # 9 months
        Figure(datetime.date(year, 10, 1), datetime.date(year, 12, 31), (Decimal(300),)),  # 3
    ]
    outcome = evaluate(target, figures, TODAY)
    # Weighted: (100 * 9 + 300 * 3) / 12 = 150; unweighted it would be 200, a false miss.
    assert (outcome.realised, outcome.status) == (Decimal(150), MET)


def test_a_missing_month_makes_a_sum_target_incomplete_not_missed():
    target = make_target("IND", "asylum_decisions", "2026", 12000, Direction.AT_LEAST, tolerance=10)
    # Eight months of 1000 = 8000, under the pro-rata limit of 8078: without the gap rule a miss.
    months = {f"2026-{m:02d}": 1000 for m in range(1, 10) if m != 5}  # May is missing
    make_figures("IND", "asylum_decisions", months, {"outcome": "granted"})
    outcome = result(target)
    assert outcome.status == INCOMPLETE
    assert outcome.missing == ["2026-05"]
    loop.compute_signals(today=TODAY)
    assert open_signals(SignalKind.TARGET_MISSED) == []


def test_an_ended_period_without_its_last_months_is_incomplete():
    target = make_target(
        "COA", "reception_occupancy", "2025", 60000, Direction.AT_MOST, tolerance=0
    )
    make_figures("COA", "reception_occupancy", {f"2025-{m:02d}": 70000 for m in range(1, 11)})
    outcome = result(target)
    assert (outcome.status, outcome.missing) == (INCOMPLETE, ["2025-11", "2025-12"])


@pytest.mark.parametrize(
    ("indicator", "organisation", "values", "target_value", "direction", "realised", "status"),
    [
        ("asylum_decisions", "IND", {f"2025-{m:02d}": 1000 for m in range(1, 13)}, 11000,
         Direction.AT_LEAST, Decimal(12000), MET),
        ("asylum_decisions", "IND", {f"2025-{m:02d}": 900 for m in range(1, 13)}, 12000,
         Direction.AT_LEAST, Decimal(10800), MISSED),
        ("reception_occupancy", "COA", {f"2025-{m:02d}": 50000 + m for m in range(1, 13)}, 60000,
         Direction.AT_MOST, Decimal(50012), MET),
        ("reception_occupancy", "COA", {**{f"2025-{m:02d}": 50000 for m in range(1, 12)},
         "2025-12": 61000}, 60000, Direction.AT_MOST, Decimal(61000), MISSED),
        ("asylum_lead_time", "IND", {"2025-Q1": 170, "2025-Q2": 200, "2025-Q3": 230,
         "2025-Q4": 200}, 180, Direction.AT_MOST, Decimal(200), MISSED),
        ("asylum_lead_time", "IND", {"2025-Q1": 170, "2025-Q2": 180, "2025-Q4": 170}, 180,
         Direction.AT_MOST, Decimal("173.3333"), INCOMPLETE),
    ],
    ids=["sum met", "sum missed", "last met", "last missed", "mean missed", "mean incomplete"],
)  # fmt: skip
def test_every_aggregation_is_evaluated_over_a_whole_year(
    indicator, organisation, values, target_value, direction, realised, status
):
    target = make_target(organisation, indicator, "2025", target_value, direction, tolerance=0)
    make_figures(organisation, indicator, values)
    outcome = result(target)
    assert outcome.realised.quantize(Decimal("0.0001")) == realised
    assert outcome.status == status


def _assignment(code: str) -> Assignment:
    assignment, _ = Assignment.objects.get_or_create(
        organisation=org(code),
        year=2026,
        defaults={"goal": ChainGoal.objects.first(), "title": "Jaaropdracht", "text": "Opdracht."},
    )
    return assignment


def test_a_target_on_an_indicator_the_organisation_does_not_deliver_is_refused(regie):
    target = Target(
        assignment=_assignment("COA"),
        indicator=Indicator.objects.get(code="asylum_decisions"),  # delivered by the IND
        period="2026",
        target_value=Decimal(100),
        direction=Direction.AT_LEAST,
    )
    with pytest.raises(ValidationError) as excinfo:
        steering.save_target(target=target, by=regie)
    assert "COA levert" in excinfo.value.message_dict["indicator"][0]
    assert not Target.objects.exists()


def test_the_target_form_shows_the_refusal_and_saves_nothing(regie_client):
    assignment = _assignment("COA")
    response = regie_client.post(
        "/streefwaarden/nieuw/",
        {
            "assignment": assignment.pk,
            "indicator": Indicator.objects.get(code="asylum_decisions").pk,
            "period": "2026",
            "target_value": "100",
            "direction": Direction.AT_LEAST,
            "tolerance_percent": "5",
        },
    )
    assert response.status_code in (200, 422)
    assert "COA levert" in response.content.decode()
    assert not Target.objects.exists()
