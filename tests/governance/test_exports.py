import csv
import io

import pytest
from django.utils import timezone

from governance.models import DecisionStatus, Signal, SignalKind
from tests.factories import DecisionFactory, MilestoneFactory, board, org

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_decision_register_downloads_with_its_filters(regie_client):
    DecisionFactory(title="=Vastgesteld besluit", status=DecisionStatus.ADOPTED, board=board("TB"))
    DecisionFactory(title="Voorstel", status=DecisionStatus.PROPOSED)
    page = regie_client.get("/besluiten/?status=adopted")
    assert b"/besluiten/?status=adopted&amp;format=xlsx" in page.content
    rows = _csv(regie_client.get("/besluiten/?status=adopted&format=csv"))
    assert rows[0][:4] == ["Nummer", "Gremium", "Datum", "Titel"]
    assert [(row[1], row[3]) for row in rows[1:]] == [("TB", "'=Vastgesteld besluit")]


@pytest.mark.parametrize("size", [2, 12])
def test_decision_download_query_count_does_not_grow(
    regie_client, django_assert_max_num_queries, size
):
    for _ in range(size):
        DecisionFactory()
    with django_assert_max_num_queries(8):
        regie_client.get("/besluiten/?format=xlsx")


def _signal(**fields) -> Signal:
    now = timezone.now()
    return Signal.objects.create(first_seen=now, last_seen=now, **fields)


def test_signals_download_with_their_filters(regie_client):
    milestone = MilestoneFactory(title="Late mijlpaal", overdue=True, action__owner=org("COA"))
    _signal(
        key="m1", kind=SignalKind.MILESTONE_OVERDUE, organisation=org("COA"), milestone=milestone
    )
    _signal(
        key="m2",
        kind=SignalKind.MILESTONE_OVERDUE,
        organisation=org("IND"),
        milestone=MilestoneFactory(overdue=True),
    )
    rows = _csv(regie_client.get("/signalen/?organisation=COA&format=csv"))
    assert len(rows) == 2
    assert rows[1][4] == "COA"
    assert "Late mijlpaal" in rows[1][2]
