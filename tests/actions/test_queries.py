"""Query discipline: the overview and the tree run as many SQL queries for 1,000 milestones as
for 10."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import Milestone, MilestoneStatus
from governance.models import ActionPerspective
from tests.factories import ActionFactory, RecommendationFactory, org

pytestmark = pytest.mark.django_db

STATUSES = list(MilestoneStatus.values)
OWNERS = ["IND", "COA", "DTV", "POL", "JENV"]


@pytest.fixture
def actions():
    """Ten actions spread over the perspectives and organisations, one recommendation each."""
    result = []
    for i in range(10):
        perspective = ActionPerspective.objects.get(number=i % 9 + 1)
        recommendation = RecommendationFactory(perspective=perspective)
        result.append(ActionFactory(owner=org(OWNERS[i % 5]), recommendations=[recommendation]))
    return result


def add_milestones(actions, count: int) -> None:
    today = timezone.localdate()
    Milestone.objects.bulk_create(
        Milestone(
            action=actions[i % len(actions)],
            title=f"Mijlpaal {i}",
            # Due dates from 40 days ago to 40 days ahead: overdue, upcoming and later.
            due_date=today + datetime.timedelta(days=i % 81 - 40),
            status=STATUSES[i % len(STATUSES)],
        )
        for i in range(Milestone.objects.count(), Milestone.objects.count() + count)
    )


def count_queries(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("overview", None),
        ("actions:tree", None),
        ("actions:tree", {"rag": "red", "organisation": "IND"}),
        ("actions:tree", {"theme": "2", "status": "in_progress", "due_from": "2020-01-01"}),
    ],
    ids=["overview", "tree", "tree filtered by RAG", "tree filtered by theme"],
)
def test_page_runs_the_same_number_of_queries_for_10_and_1000_milestones(
    client, ind_partner, actions, url_name, params
):
    client.force_login(ind_partner)
    url = reverse(url_name)
    add_milestones(actions, 10)
    client.get(url, params or {})  # warm up caches (content types, session) outside the count
    small = count_queries(client, url, params)

    add_milestones(actions, 990)
    assert Milestone.objects.count() == 1000
    large = count_queries(client, url, params)

    assert small == large, f"{small} queries for 10 milestones, {large} for 1,000"


def test_overview_lists_milestones_from_the_large_set(client, ind_partner, actions):
    """The 1,000-milestone page really renders the data, so the equal count means something."""
    client.force_login(ind_partner)
    add_milestones(actions, 1000)
    response = client.get(reverse("overview"))
    assert response.context["overdue_count"] > 50
    assert len(response.context["overdue"]) == 50
    assert response.context["upcoming_count"] > 0
