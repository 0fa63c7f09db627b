import pytest
from rest_framework.test import APIClient

from tests.factories import RecommendationFactory, org

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_organisations_are_listed_and_found_by_code(viewer):
    body = client_for(viewer).get("/api/v1/organisations/").json()
    assert {"IND", "COA", "DTV", "POL", "JENV"} <= {row["code"] for row in body["results"]}
    assert client_for(viewer).get("/api/v1/organisations/COA/").json()["code"] == "COA"


def test_themes_list_their_perspectives(viewer):
    body = client_for(viewer).get("/api/v1/themes/").json()
    assert body["count"] == 4
    assert all(row["perspectives"] for row in body["results"])


def test_perspective_three_belongs_to_two_themes(viewer):
    body = client_for(viewer).get("/api/v1/perspectives/3/").json()
    assert len(body["themes"]) == 2


def test_perspectives_filter_on_theme(viewer):
    body = client_for(viewer).get("/api/v1/perspectives/?theme=1").json()
    assert body["count"] >= 1
    assert all(1 in row["themes"] for row in body["results"])


def test_recommendations_filter_on_owner_and_status(viewer):
    RecommendationFactory(code="R-IND", owner=org("IND"), status="implemented")
    RecommendationFactory(code="R-COA", owner=org("COA"), status="implemented")
    body = client_for(viewer).get("/api/v1/recommendations/?owner=IND&status=implemented").json()
    assert [row["code"] for row in body["results"]] == ["R-IND"]


def test_recommendations_filter_on_theme_lists_each_once(viewer):
    RecommendationFactory(code="R-3")  # perspective 3 sits under two themes
    body = client_for(viewer).get("/api/v1/recommendations/?perspective=3").json()
    assert [row["code"] for row in body["results"]].count("R-3") == 1


def test_writes_to_read_only_resources_are_refused(regie):
    response = client_for(regie).post("/api/v1/themes/", {"number": 9, "title": "x"})
    assert response.status_code == 405


def test_themes_perspectives_and_recommendations_are_readable(viewer):
    api = client_for(viewer)
    assert api.get("/api/v1/themes/").json()["count"] == 4
    perspectives = api.get("/api/v1/perspectives/").json()["results"]
    assert next(p for p in perspectives if p["number"] == 3)["themes"] == [2, 3]
    assert api.get("/api/v1/recommendations/").status_code == 200
