"""/api/v1/series/ and /api/v1/rebuilds/."""

from __future__ import annotations

import pytest

from dashboards.models import Rebuild, RebuildStatus
from dashboards.rebuild.build import rebuild_dashboards
from tests.dashboards.factories import approved_upload

# Small figures for convenience; suppression is tested in tests/dashboards/suppression/.
pytestmark = pytest.mark.usefixtures("no_suppression")


@pytest.fixture
def built(db):
    approved_upload(
        "IND",
        {
            ("asylum_applications", "2024-01", "application_type=first"): 10,
            ("asylum_applications", "2024-02", "application_type=first"): 20,
            ("asylum_applications", "2024-03", "application_type=first"): 30,
            ("asylum_applications", "2024-04", "application_type=first"): 5,
            ("asylum_applications", "2024-01", "application_type=follow_up"): 1,
        },
    )
    return rebuild_dashboards()


def test_series_gives_quarterly_points_with_completeness(built, client, viewer):
    client.force_login(viewer)
    response = client.get("/api/v1/series/?indicator=asylum_applications&frequency=quarter")
    assert response.status_code == 200
    body = response.json()
    assert body["indicator"] == "asylum_applications"
    assert body["unit"] == "persons"
    assert body["frequency"] == "quarter"
    assert body["built_at"]
    assert body["points"] == [
        {"period": "2024-Q1", "value": 61, "complete": True},
        {"period": "2024-Q2", "value": 5, "complete": False},
    ]


def test_series_filters_on_a_dimension_value_and_organisation(built, client, viewer):
    client.force_login(viewer)
    response = client.get(
        "/api/v1/series/?indicator=asylum_applications&frequency=month"
        "&organisation=IND&application_type=follow_up"
    )
    assert response.json()["points"] == [{"period": "2024-01", "value": 1, "complete": True}]
    other = client.get(
        "/api/v1/series/?indicator=asylum_applications&frequency=month&organisation=COA"
    )
    assert other.json()["points"] == []


def test_series_serves_the_last_successful_build_only(built, client, viewer):
    approved_upload("IND", {("asylum_applications", "2024-05", "application_type=first"): 7})
    client.force_login(viewer)
    response = client.get("/api/v1/series/?indicator=asylum_applications&frequency=year")
    assert response.json()["points"] == [{"period": "2024", "value": 66, "complete": False}]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("indicator=nope&frequency=month", "indicator"),
        ("indicator=asylum_applications&frequency=week", "frequency"),
        ("indicator=asylum_applications&frequency=month&organisation=XXX", "organisation"),
        ("indicator=asylum_applications&frequency=month&colour=red", "colour"),
        (
            "indicator=asylum_applications&frequency=month&application_type=other",
            "application_type",
        ),
    ],
)
def test_series_rejects_bad_parameters_with_a_clear_message(built, client, viewer, query, field):
    client.force_login(viewer)
    response = client.get(f"/api/v1/series/?{query}")
    assert response.status_code == 400
    assert response.json()["message"]
    assert field in response.json()["errors"]


def test_regie_starts_a_rebuild_and_reads_its_status(
    regie_client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = regie_client.post("/api/v1/rebuilds/", {}, content_type="application/json")
    assert response.status_code == 202
    rebuild_id = response.json()["id"]
    # Tasks run eagerly in the test process: the rebuild ran once the request committed.
    status = regie_client.get(f"/api/v1/rebuilds/{rebuild_id}/").json()["status"]
    assert status == RebuildStatus.SUCCEEDED


def test_regie_can_rebuild_chosen_indicators(regie_client, db):
    response = regie_client.post(
        "/api/v1/rebuilds/", {"indicators": ["asylum_pending"]}, content_type="application/json"
    )
    assert response.status_code == 202
    assert response.json()["scope"] == "incremental"
    assert response.json()["indicators"] == ["asylum_pending"]


@pytest.mark.parametrize("user", ["viewer", "ind_partner"])
def test_only_regie_may_start_or_read_rebuilds(db, client, user, request):
    client.force_login(request.getfixturevalue(user))
    assert client.post("/api/v1/rebuilds/", {}, content_type="application/json").status_code == 403
    assert client.get("/api/v1/rebuilds/").status_code == 403
    assert not Rebuild.objects.exists()


@pytest.fixture
def by_nationality(db):
    """asylum_applications broken down by nationality and type (issue 11: any dimensions)."""
    from dashboards.models import Indicator

    Indicator.objects.filter(code="asylum_applications").update(
        dimensions={
            "application_type": ["first", "follow_up"],
            "nationality": ["SY", "ER"],
        }
    )
    approved_upload(
        "IND",
        {
            ("asylum_applications", "2024-01", "application_type=first;nationality=SY"): 10,
            ("asylum_applications", "2024-01", "application_type=follow_up;nationality=SY"): 3,
            ("asylum_applications", "2024-01", "application_type=first;nationality=ER"): 7,
        },
    )
    return rebuild_dashboards()


@pytest.mark.parametrize(
    ("query", "value"),
    [
        ("&nationality=SY", 13),  # "from Syria, all types"
        ("&application_type=first", 17),
        ("&nationality=SY&application_type=follow_up", 3),
        ("", 20),
    ],
)
def test_series_filters_on_any_subset_of_the_dimensions(
    by_nationality, client, viewer, query, value
):
    client.force_login(viewer)
    response = client.get(f"/api/v1/series/?indicator=asylum_applications&frequency=month{query}")
    assert response.status_code == 200
    assert response.json()["points"] == [{"period": "2024-01", "value": value, "complete": True}]
