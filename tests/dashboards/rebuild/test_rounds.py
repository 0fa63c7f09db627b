"""Forecast rounds in the rebuild and the series API: a series per round, never summed across
rounds; `&round=` picks one (default the latest); patches after approvals of rounds give the
figures of a full rebuild."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboards.models import Indicator, RebuildStatus, SeriesYear
from dashboards.rebuild.build import rebuild_dashboards
from tests.dashboards.factories import approved_upload, forecast_rounds
from tests.dashboards.rebuild.test_patches import visible

F = "forecast_asylum_inflow"
SERIES = f"/api/v1/series/?indicator={F}&frequency=year"


@pytest.fixture
def rounds(db):
    forecast_rounds()
    return rebuild_dashboards()


def get(client, query: str):
    return client.get(SERIES + query)


def test_every_stored_series_of_a_forecast_is_of_one_round(rounds):
    keys = set(SeriesYear.objects.filter(indicator__code=F).values_list("dimension_key", flat=True))
    assert keys and all(k.startswith("round=") for k in keys)
    assert "round=2025-06;scenario=expected" in keys
    assert "round=2025-06" in keys  # the round's total over its scenarios, never over rounds
    assert "scenario=expected" not in keys and "" not in keys


def test_the_series_of_a_forecast_is_of_the_latest_round_by_default(rounds, client, viewer):
    client.force_login(viewer)
    body = get(client, "&scenario=expected").json()
    assert body["round"] == "2026-06"
    assert body["points"] == [{"period": "2026", "value": 37000, "complete": True}]


def test_the_series_of_a_forecast_is_of_the_round_asked_for(rounds, client, viewer):
    client.force_login(viewer)
    body = get(client, "&scenario=expected&round=2025-06").json()
    assert body["round"] == "2025-06"
    assert body["points"] == [
        {"period": "2025", "value": 40000, "complete": True},
        {"period": "2026", "value": 41000, "complete": True},
    ]
    # Without a scenario: that round's scenarios only (31000 + 41000 + 47000 for 2026), never
    # another round's as well.
    total = get(client, "&round=2025-06").json()["points"]
    assert total[1] == {"period": "2026", "value": 119000, "complete": True}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("&round=2026-13", "JJJJ-MM"),
        ("&round=juni", "JJJJ-MM"),
        ("&round=2023-06", "2024-06, 2025-06, 2026-06"),
    ],
)
def test_an_invalid_round_is_a_400_with_a_message(rounds, client, viewer, query, message):
    client.force_login(viewer)
    response = get(client, query)
    assert response.status_code == 400
    assert message in response.json()["errors"]["round"][0]


def test_a_round_for_an_indicator_that_is_no_forecast_is_a_400(rounds, client, viewer):
    client.force_login(viewer)
    response = client.get(
        "/api/v1/series/?indicator=asylum_applications&frequency=year&round=2026-06"
    )
    assert response.status_code == 400
    assert "round" in response.json()["errors"]
    plain = client.get("/api/v1/series/?indicator=asylum_applications&frequency=year").json()
    assert "round" not in plain
    assert plain["points"][0] == {"period": "2025", "value": 36000, "complete": True}


def test_lineage_of_a_forecast_figure_shows_only_its_rounds_cells(rounds, client, viewer):
    client.force_login(viewer)
    body = client.get(
        f"/api/v1/series/lineage/?indicator={F}&frequency=year&period=2026&scenario=low"
        "&round=2025-06"
    ).json()
    assert [cell["value"] for cell in body["cells"]] == [31000]


# ---------------------------------------------------------------- the patch, as a property

ROUNDS = ["2024-06", "2025-06", "2026-06"]
YEARS = ["2025", "2026", "2027"]
forecast_uploads = st.tuples(
    st.sampled_from(ROUNDS),
    st.dictionaries(
        st.tuples(
            st.just(F),
            st.sampled_from(YEARS),
            st.sampled_from(["scenario=low", "scenario=expected", "scenario=high"]),
        ),
        st.integers(min_value=0, max_value=50),
        min_size=1,
        max_size=6,
    ),
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first=st.lists(forecast_uploads, min_size=1, max_size=3),
    later=st.lists(forecast_uploads, max_size=4),
)
def test_patches_after_approvals_of_rounds_give_the_figures_of_a_full_rebuild(db, first, later):
    assert Indicator.objects.get(code=F).is_forecast
    with transaction.atomic():
        for round_, figures in first:
            approved_upload("JENV", figures, round_=round_)
        rebuild_dashboards()
        for round_, figures in later:
            upload = approved_upload("JENV", figures, round_=round_)
            assert rebuild_dashboards(upload_ids=[upload.pk]).status == RebuildStatus.SUCCEEDED
        patched = visible()
        rebuild_dashboards()
        assert visible() == patched
        transaction.set_rollback(True)
