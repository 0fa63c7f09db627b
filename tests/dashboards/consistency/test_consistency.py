"""Chain consistency checks (issue 12.4): rules over the built chain quarters, on their page and
as signals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dashboards.consistency import services
from dashboards.consistency.checks import evaluate
from dashboards.models import ConsistencyRule, Indicator
from dashboards.rebuild.build import rebuild_dashboards
from governance.models import Signal, SignalKind, SignalStatus
from governance.steering.signals import compute_signals
from tests.dashboards.factories import approved_upload

pytestmark = pytest.mark.django_db


def months(code: str, quarter_values: dict[str, list[int]], key: str = "") -> dict:
    figures = {}
    for quarter, values in quarter_values.items():
        year, q = int(quarter[:4]), int(quarter[-1])
        for n, value in enumerate(values):
            figures[(code, f"{year}-{3 * q - 2 + n:02d}", key)] = value
    return figures


def test_seeded_rules_come_with_a_dutch_explanation():
    rules = ConsistencyRule.objects.all()
    assert rules.count() == 3
    assert all(rule.explanation and rule.explanation_en for rule in rules)


def test_occupancy_above_capacity_is_found_and_becomes_a_signal_until_corrected():
    rule = ConsistencyRule.objects.get(name="Bezetting binnen de capaciteit")
    approved_upload(
        "COA",
        months("reception_occupancy", {"2024-Q1": [90, 95, 120], "2024-Q2": [100, 100, 99]})
        | months("reception_capacity", {"2024-Q1": [100, 100, 100], "2024-Q2": [100, 100, 100]})
        | {("reception_occupancy", "2024-07", ""): 500},  # 2024-Q3 incomplete: never judged
    )
    rebuild_dashboards()
    findings = evaluate(rule)
    assert [(f.period, f.left, f.right, f.ratio, f.outside) for f in findings] == [
        ("2024-Q1", 120, 100, Decimal("1.200"), True),
        ("2024-Q2", 99, 100, Decimal("0.990"), False),
    ]
    # The latest judged quarter is within the band: no signal.
    compute_signals()
    assert not Signal.objects.filter(kind=SignalKind.INCONSISTENT).exists()
    approved_upload("COA", {("reception_occupancy", "2024-06", ""): 130})
    rebuild_dashboards()
    compute_signals()
    signal = Signal.objects.get(kind=SignalKind.INCONSISTENT, status=SignalStatus.OPEN)
    assert signal.consistency_rule == rule
    assert (signal.period, signal.value, signal.expected_high) == ("2024-Q2", Decimal("1.3"), 1)
    approved_upload("COA", {("reception_occupancy", "2024-06", ""): 98})
    rebuild_dashboards()
    compute_signals()
    signal.refresh_from_db()
    assert signal.status == SignalStatus.CLOSED


def test_a_lagged_rule_compares_with_the_mean_of_the_earlier_quarters():
    rule = ConsistencyRule.objects.get(name="Instroom DT&V volgt de afwijzingen van de IND")
    approved_upload(
        "IND",
        months(
            "asylum_decisions",
            {"2023-Q3": [100, 100, 100], "2023-Q4": [200, 200, 200]},
            "outcome=rejected",
        )
        | months("asylum_decisions", {"2023-Q3": [999, 999, 999]}, "outcome=granted"),
    )
    approved_upload(
        "DTV",
        months("return_intake", {"2024-Q1": [100, 100, 100], "2023-Q4": [1, 1, 1]}, "source=ind")
        | months("return_intake", {"2024-Q1": [500, 500, 500]}, "source=police"),
    )
    rebuild_dashboards()
    by_quarter = {f.period: f for f in evaluate(rule)}
    # 2024-Q1: 300 against the mean of 2023-Q3 (300) and 2023-Q4 (600) rejections.
    assert by_quarter["2024-Q1"].right == 450
    assert by_quarter["2024-Q1"].ratio == Decimal("0.667")
    assert not by_quarter["2024-Q1"].outside
    # 2023-Q4 lacks 2023-Q2's rejections: not judged.
    assert by_quarter["2023-Q4"].ratio is None


def test_a_rule_is_checked_against_the_catalogue_and_only_regie_saves_it(regie, ind_partner):
    left = Indicator.objects.get(code="return_intake")
    right = Indicator.objects.get(code="asylum_decisions")
    fields = {
        "name": "Test", "explanation": "Uitleg", "left": left, "left_key": "source=ind",
        "right": right, "right_key": "outcome=rejected", "lag_min": 0, "lag_max": 1,
        "low": Decimal("0.5"), "high": Decimal("2"),
    }  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.save_rule(by=ind_partner, **fields)
    for wrong, field in [
        ({"left_key": "colour=red"}, "left_key"),
        ({"right_key": "outcome=maybe"}, "right_key"),
        ({"lag_min": 2, "lag_max": 1}, "lag_max"),
        ({"low": None, "high": None}, "low"),
        ({"low": Decimal("3")}, "high"),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.save_rule(by=regie, **(fields | wrong))
        assert field in refused.value.message_dict
    assert not ConsistencyRule.objects.filter(name="Test").exists()
    rule = services.save_rule(by=regie, **fields)
    assert rule.history.count() == 1


def test_the_page_shows_rules_and_findings_and_regie_edits_them(client, regie, viewer):
    approved_upload(
        "COA",
        months("reception_occupancy", {"2024-Q1": [90, 95, 120]})
        | months("reception_capacity", {"2024-Q1": [100, 100, 100]}),
    )
    rebuild_dashboards()
    client.force_login(viewer)
    page = client.get("/dashboards/consistentie/").content.decode()
    assert "Bezetting binnen de capaciteit" in page
    assert "buiten de grenzen" in page
    assert "/dashboards/consistentie/nieuw/" not in page
    assert client.get("/dashboards/consistentie/nieuw/").status_code == 403
    client.force_login(regie)
    rule = ConsistencyRule.objects.get(name="Bezetting binnen de capaciteit")
    answer = client.post(
        f"/dashboards/consistentie/{rule.pk}/",
        {
            "name": rule.name, "explanation": rule.explanation, "left": rule.left_id,
            "right": rule.right_id, "lag_min": 0, "lag_max": 0, "high": "1.25", "active": "on",
        },
    )  # fmt: skip
    assert answer.status_code == 302
    rule.refresh_from_db()
    assert rule.high == Decimal("1.25")
    assert "binnen de grenzen" in client.get("/dashboards/consistentie/").content.decode()
