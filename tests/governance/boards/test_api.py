import datetime

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from governance.models import Decision, DecisionStatus
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


def test_a_user_without_a_role_sees_nothing(api):
    DecisionFactory()
    api.force_authenticate(get_user_model().objects.create(username="nobody"))
    assert api.get("/api/v1/decisions/").status_code == 403
    assert api.get("/api/v1/boards/").status_code == 403


def test_anonymous_requests_are_refused_with_a_message(api):
    response = api.get("/api/v1/decisions/")
    assert response.status_code in (401, 403)
    assert response.json()["message"]


def test_boards_and_meetings_are_read_only(api, regie):
    api.force_authenticate(regie)
    assert api.post("/api/v1/boards/", {"code": "X"}).status_code == 405
    assert api.post("/api/v1/meetings/", {"title": "X"}).status_code == 405


def test_regie_records_a_decision_through_the_api_with_the_next_number(api, regie):
    api.force_authenticate(regie)
    DecisionFactory(board=board("TB"), date=datetime.date(2026, 3, 1), sequence=1)
    response = api.post(
        "/api/v1/decisions/",
        {
            "board": "TB",
            "title": "Capaciteit opvang verhogen",
            "text": "Het Topberaad besluit…",
            "date": "2026-05-01",
            "perspectives": [3],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == "TB-2026-02"
    assert body["status"] == "proposed"
    assert body["perspectives"] == [3]


def test_a_partner_cannot_record_a_decision(api, ind_partner):
    api.force_authenticate(ind_partner)
    response = api.post(
        "/api/v1/decisions/",
        {"board": "TB", "title": "x", "text": "x", "date": "2026-05-01"},
        format="json",
    )
    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_regie_moves_a_decision_along_its_lifecycle(api, regie):
    api.force_authenticate(regie)
    decision = DecisionFactory(status=DecisionStatus.PROPOSED)
    response = api.post(f"/api/v1/decisions/{decision.number}/status/", {"status": "adopted"})
    assert response.status_code == 200
    assert response.json()["status"] == "adopted"


def test_a_refused_status_move_answers_400_and_changes_nothing(api, regie):
    api.force_authenticate(regie)
    decision = DecisionFactory(status=DecisionStatus.PROPOSED, needs_triangle=True)
    response = api.post(f"/api/v1/decisions/{decision.number}/status/", {"status": "implemented"})
    assert response.status_code == 400
    assert response.json()["message"]
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED


def test_a_long_status_note_is_kept_whole_through_the_api(api, regie):
    api.force_authenticate(regie)
    decision = DecisionFactory(status=DecisionStatus.PROPOSED)
    note = "x" * 480
    response = api.post(
        f"/api/v1/decisions/{decision.number}/status/", {"status": "adopted", "note": note}
    )
    assert response.status_code == 200, response.content
    assert decision.history.first().history_note == note


def test_a_status_note_over_the_limit_answers_json_400_and_changes_nothing(api, regie):
    api.force_authenticate(regie)
    decision = DecisionFactory(status=DecisionStatus.PROPOSED)
    response = api.post(
        f"/api/v1/decisions/{decision.number}/status/", {"status": "adopted", "note": "x" * 501}
    )
    assert response.status_code == 400
    assert "note" in response.json()["errors"]
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED


def test_a_server_error_in_an_api_view_answers_json_and_an_unknown_decision_a_json_404(
    regie, monkeypatch
):
    from django.db import DataError

    from governance.boards import services

    def broken(**kwargs):
        raise DataError("value too long for type character varying(100)")

    monkeypatch.setattr(services, "change_decision_status", broken)
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(regie)
    decision = DecisionFactory(status=DecisionStatus.PROPOSED)
    response = api.post(f"/api/v1/decisions/{decision.number}/status/", {"status": "adopted"})
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["message"] and response.json()["request_id"]
    missing = api.get("/api/v1/decisions/TB-1900-99/")
    assert missing.status_code == 404 and missing.json()["message"]
