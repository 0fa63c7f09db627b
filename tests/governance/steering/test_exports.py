import pytest

from governance.models import SignalKind
from tests.factories import MilestoneFactory, csv_rows, make_signal, org

pytestmark = pytest.mark.django_db


def test_signals_download_with_their_filters(regie_client):
    milestone = MilestoneFactory(title="Late mijlpaal", overdue=True, action__owner=org("COA"))
    make_signal(
        key="m1", kind=SignalKind.MILESTONE_OVERDUE, organisation=org("COA"), milestone=milestone
    )
    make_signal(
        key="m2",
        kind=SignalKind.MILESTONE_OVERDUE,
        organisation=org("IND"),
        milestone=MilestoneFactory(overdue=True),
    )
    rows = csv_rows(regie_client.get("/signalen/?organisation=COA&format=csv"))
    assert len(rows) == 2
    assert rows[1][4] == "COA"
    assert "Late mijlpaal" in rows[1][2]
