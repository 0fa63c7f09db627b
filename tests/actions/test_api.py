import datetime
import uuid

import pytest
from rest_framework.test import APIClient

from actions.models import MilestoneStatus, ProgressUpdate
from tests.factories import ActionFactory, MilestoneFactory, RecommendationFactory, UserFactory, org

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_milestones_list_is_paginated_with_limit_and_offset(viewer):
    for _ in range(3):
        MilestoneFactory()
    body = client_for(viewer).get("/api/v1/milestones/?limit=2").json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"].endswith("limit=2&offset=2")


def test_milestones_filter_on_owner_and_overdue(viewer):
    late = MilestoneFactory(overdue=True, action__owner=org("COA"))
    MilestoneFactory(action__owner=org("COA"))
    MilestoneFactory(overdue=True, action__owner=org("IND"))
    body = client_for(viewer).get("/api/v1/milestones/?owner=COA&overdue=true").json()
    assert [row["id"] for row in body["results"]] == [late.pk]
    assert body["results"][0]["rag"] == "red"
    assert body["results"][0]["owner"] == "COA"


def test_milestone_detail(viewer):
    milestone = MilestoneFactory(title="Werkvoorraad op orde")
    body = client_for(viewer).get(f"/api/v1/milestones/{milestone.pk}/").json()
    assert body["title"] == "Werkvoorraad op orde"
    assert body["status"] == "planned"


def test_actions_filter_on_recommendation(viewer):
    recommendation = RecommendationFactory(code="A-1")
    action = ActionFactory(recommendations=[recommendation])
    ActionFactory()
    body = client_for(viewer).get("/api/v1/actions/?recommendation=A-1").json()
    assert [row["id"] for row in body["results"]] == [action.pk]
    assert body["results"][0]["recommendations"] == ["A-1"]


def test_partner_reports_progress_through_the_api(ind_partner):
    milestone = MilestoneFactory(action__owner=org("IND"))
    response = client_for(ind_partner).post(
        "/api/v1/progress-updates/",
        {"milestone": milestone.pk, "text": "Klaar", "new_status": "done"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["author"] == "ind-test"
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.DONE
    assert milestone.completed_on == datetime.date.today()


def test_partner_cannot_report_progress_for_another_organisation(ind_partner):
    milestone = MilestoneFactory(action__owner=org("COA"))
    response = client_for(ind_partner).post(
        "/api/v1/progress-updates/", {"milestone": milestone.pk, "text": "x"}, format="json"
    )
    assert response.status_code == 403
    assert "COA" in response.json()["message"]
    assert not ProgressUpdate.objects.exists()


def test_progress_with_a_future_date_is_refused_and_changes_nothing(regie):
    milestone = MilestoneFactory()
    response = client_for(regie).post(
        "/api/v1/progress-updates/",
        {"milestone": milestone.pk, "text": "x", "date": "2999-01-01", "new_status": "done"},
        format="json",
    )
    assert response.status_code == 400
    assert "toekomst" in str(response.json()["errors"]["date"])
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.PLANNED


def test_the_same_submission_twice_records_one_update(regie):
    milestone = MilestoneFactory()
    payload = {"milestone": milestone.pk, "text": "Op koers", "submission_id": str(uuid.uuid4())}
    first = client_for(regie).post("/api/v1/progress-updates/", payload, format="json")
    second = client_for(regie).post("/api/v1/progress-updates/", payload, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert ProgressUpdate.objects.count() == 1


def test_a_user_without_a_role_sees_nothing():
    MilestoneFactory()
    response = client_for(UserFactory()).get("/api/v1/milestones/")
    assert response.status_code == 403


def test_anonymous_requests_are_refused_with_a_message():
    response = APIClient().get("/api/v1/milestones/")
    assert response.status_code == 401
    assert response.json()["message"]


@pytest.mark.parametrize("size", [2, 12])
def test_milestone_list_query_count_does_not_grow(viewer, django_assert_max_num_queries, size):
    for _ in range(size):
        MilestoneFactory()
    with django_assert_max_num_queries(6):
        assert client_for(viewer).get("/api/v1/milestones/").status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_action_list_query_count_does_not_grow(viewer, django_assert_max_num_queries, size):
    for _ in range(size):
        ActionFactory()
    with django_assert_max_num_queries(6):
        assert client_for(viewer).get("/api/v1/actions/").status_code == 200


def test_a_huge_limit_is_capped_instead_of_failing(viewer):
    MilestoneFactory()
    response = client_for(viewer).get(f"/api/v1/milestones/?limit={10**30}")
    assert response.status_code == 200
    assert response.json()["count"] == 1
