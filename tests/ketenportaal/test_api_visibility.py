"""Per role: every list endpoint of /api/v1/ returns exactly what that role may see.

The expectations below name every list endpoint; an endpoint added to the router without an
expectation here fails `test_every_list_endpoint_has_a_visibility_rule`.
"""

from collections.abc import Callable

import pytest
from django.db.models import QuerySet
from rest_framework.test import APIClient

from actions.models import Action, Milestone, ProgressUpdate
from dashboards.models import Annotation, Indicator, Rebuild, Release, Upload
from governance.models import (
    ActionPerspective,
    Board,
    Decision,
    Meeting,
    Organisation,
    ProgressReport,
    Recommendation,
    ReportingMoment,
    Role,
    Theme,
)
from ketenportaal.api_urls import router
from tests.factories import (
    DecisionFactory,
    MeetingFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
    UserFactory,
    org,
)

pytestmark = pytest.mark.django_db

#: endpoint → (the rows this user may see, the field that identifies a row in the answer).
#: Implementation status, the review's structure and the organisations are open to every role.
VISIBLE: dict[str, tuple[Callable[..., QuerySet], str, str]] = {
    "organisations": (lambda user: Organisation.objects.all(), "code", "code"),
    "themes": (lambda user: Theme.objects.all(), "number", "number"),
    "perspectives": (lambda user: ActionPerspective.objects.all(), "number", "number"),
    "recommendations": (lambda user: Recommendation.objects.all(), "id", "pk"),
    "actions": (lambda user: Action.objects.all(), "id", "pk"),
    "milestones": (lambda user: Milestone.objects.all(), "id", "pk"),
    "progress-updates": (lambda user: ProgressUpdate.objects.all(), "id", "pk"),
    "boards": (lambda user: Board.objects.all(), "code", "code"),
    "meetings": (lambda user: Meeting.objects.all(), "id", "pk"),
    "decisions": (lambda user: Decision.objects.all(), "number", "number"),
    # Uploads: regie all; a partner only its own organisation's; a viewer none (DESIGN.md).
    "uploads": (
        lambda user: {
            Role.REGIE: Upload.objects.all(),
            Role.PARTNER: Upload.objects.filter(organisation=user.membership.organisation),
        }.get(user.membership.role, Upload.objects.none()),
        "id",
        "pk",
    ),
    "indicators": (lambda user: Indicator.objects.all(), "code", "code"),
    # The rebuild log is regie's; anyone else is refused (None: expect 403).
    "rebuilds": (
        lambda user: Rebuild.objects.all() if user.membership.role == Role.REGIE else None,
        "id",
        "pk",
    ),
    # Accountability reports go to parliament: every role reads them.
    "reporting-moments": (lambda user: ReportingMoment.objects.all(), "id", "pk"),
    "progress-reports": (lambda user: ProgressReport.objects.all(), "id", "pk"),
    # Duiding explains the shared figures: every role reads it (withdrawn ones are gone).
    "annotations": (lambda user: Annotation.objects.shown(), "id", "pk"),
    # Releases are what the Topberaad saw: every role reads them (only regie makes one).
    "releases": (lambda user: Release.objects.all(), "id", "pk"),
    # The audit trail is the functional administrator's; every other role is refused.
    "audit-events": (lambda user: None, "id", "pk"),
}


#: Router entries that are not lists of rows: the series endpoint answers one aggregated series of
#: approved figures, the same for every role (tests/dashboards/test_api.py covers it); deliveries
#: answer for the one organisation asked (a partner: only its own; a user without a role: 403;
#: tests/dashboards/uploads/test_deliveries_api.py covers it).
NOT_LISTS = {"series", "deliveries"}


def list_endpoints() -> list[str]:
    return sorted(
        prefix
        for prefix, viewset, _basename in router.registry
        if hasattr(viewset, "list") and prefix not in NOT_LISTS
    )


def _all(client: APIClient, url: str) -> list[dict]:
    rows, page = [], client.get(url, {"limit": 1000})
    assert page.status_code == 200, (url, page.content)
    body = page.json()
    rows.extend(body["results"] if isinstance(body, dict) and "results" in body else body)
    assert not (isinstance(body, dict) and body.get("next")), "raise the limit"
    return rows


@pytest.fixture
def chain(regie):
    for owner in ("IND", "COA", "DTV"):
        ProgressUpdateFactory(milestone=MilestoneFactory(action__owner=org(owner)))
    moment = ReportingMoment.objects.create(date="2026-06-30", title="Brief", created_by=regie)
    ProgressReport.objects.create(moment=moment, requested_by=regie)
    DecisionFactory(meeting=MeetingFactory())
    Rebuild.objects.create()
    for name in ("Kwartaal 2026-Q2", "Kwartaal 2026-Q3"):
        Release.objects.create(name=name, frozen_at="2026-10-01T12:00:00Z", created_by=regie)
    for text, withdrawn in (("Ter Apel overvol", False), ("Ingetrokken", True)):
        Annotation.objects.create(
            indicator=Indicator.objects.get(code="reception_occupancy"), period="2024-03",
            period_start="2024-03-01", period_end="2024-03-31", text=text, organisation=org("COA"),
            created_by=regie, withdrawn=withdrawn,
        )  # fmt: skip
    for code in ("IND", "IND", "COA"):
        Upload.objects.create(
            organisation=org(code),
            uploaded_by=regie,
            file=f"uploads/{code}.csv",
            file_name=f"{code}.csv",
            size=10,
            sha256=code.lower() * 16,
        )


def test_every_list_endpoint_has_a_visibility_rule():
    assert set(list_endpoints()) <= set(VISIBLE), set(list_endpoints()) - set(VISIBLE)


@pytest.mark.parametrize("role_fixture", ["regie", "ind_partner", "viewer"])
@pytest.mark.parametrize("endpoint", list_endpoints())
def test_list_endpoint_returns_exactly_what_the_role_may_see(
    request, chain, role_fixture, endpoint
):
    user = request.getfixturevalue(role_fixture)
    expected_rows, answer_key, model_key = VISIBLE[endpoint]
    client = APIClient()
    client.force_authenticate(user)
    expected_qs = expected_rows(user)
    if expected_qs is None:
        assert client.get(f"/api/v1/{endpoint}/").status_code == 403
        return
    seen = sorted(str(row[answer_key]) for row in _all(client, f"/api/v1/{endpoint}/"))
    expected = sorted(str(value) for value in expected_qs.values_list(model_key, flat=True))
    assert seen == expected


@pytest.mark.parametrize("endpoint", list_endpoints())
def test_a_user_without_a_role_sees_no_list(chain, endpoint):
    client = APIClient()
    client.force_authenticate(UserFactory(username="zonder-rol"))
    assert client.get(f"/api/v1/{endpoint}/").status_code == 403
