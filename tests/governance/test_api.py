import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from governance.models import DecisionStatus
from tests.factories import DecisionFactory, MeetingFactory, board

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.parametrize("user", ["viewer", "ind_partner", "regie"])
def test_every_role_reads_boards_meetings_and_decisions(api, user, request):
    api.force_authenticate(request.getfixturevalue(user))
    meeting = MeetingFactory()
    DecisionFactory(meeting=meeting, title="Ketenplan vastgesteld")
    boards = api.get("/api/v1/boards/").json()
    assert {b["code"] for b in boards["results"]} == {"SD", "TB", "DBA", "DBV", "DBI"}
    meetings = api.get("/api/v1/meetings/").json()["results"]
    assert meetings[0]["board"] == "TB"
    decisions = api.get("/api/v1/decisions/").json()["results"]
    assert decisions[0]["title"] == "Ketenplan vastgesteld"


def test_a_board_shows_its_members_with_mandate_and_its_relations(api, viewer):
    api.force_authenticate(viewer)
    tb = api.get("/api/v1/boards/TB/").json()
    assert {k: tb["relations"][0][k] for k in ("kind", "target")} == {
        "kind": "reports_to",
        "target": "SD",
    }
    chair = next(m for m in tb["members"] if m["role"] == "chair")
    assert chair["organisation"] == "JENV" and chair["mandate"]


def test_a_decision_is_found_by_its_number_and_filtered_by_status(api, viewer):
    api.force_authenticate(viewer)
    decision = DecisionFactory(status=DecisionStatus.ADOPTED, board=board("DBA"))
    DecisionFactory(status=DecisionStatus.PROPOSED)
    assert api.get(f"/api/v1/decisions/{decision.number}/").json()["status"] == "adopted"
    adopted = api.get("/api/v1/decisions/?status=adopted").json()["results"]
    assert [d["number"] for d in adopted] == [decision.number]


def test_themes_perspectives_and_recommendations_are_readable(api, viewer):
    api.force_authenticate(viewer)
    assert api.get("/api/v1/themes/").json()["count"] == 4
    perspectives = api.get("/api/v1/perspectives/").json()["results"]
    assert next(p for p in perspectives if p["number"] == 3)["themes"] == [2, 3]
    assert api.get("/api/v1/recommendations/").status_code == 200


def test_a_user_without_a_role_sees_nothing(api):
    DecisionFactory()
    api.force_authenticate(get_user_model().objects.create(username="nobody"))
    assert api.get("/api/v1/decisions/").json()["count"] == 0
    assert api.get("/api/v1/boards/").json()["count"] == 0


def test_anonymous_requests_are_refused_with_a_message(api):
    response = api.get("/api/v1/decisions/")
    assert response.status_code in (401, 403)
    assert response.json()["message"]


def test_the_api_is_read_only(api, regie):
    api.force_authenticate(regie)
    assert api.post("/api/v1/decisions/", {"title": "X"}).status_code == 405
