import pytest

from governance.models import DecisionStatus
from tests.factories import DecisionFactory, board, csv_rows

pytestmark = pytest.mark.django_db


def test_decision_register_downloads_with_its_filters(regie_client):
    DecisionFactory(title="=Vastgesteld besluit", status=DecisionStatus.ADOPTED, board=board("TB"))
    DecisionFactory(title="Voorstel", status=DecisionStatus.PROPOSED)
    page = regie_client.get("/besluiten/?status=adopted")
    assert b"/besluiten/?status=adopted&amp;format=xlsx" in page.content
    rows = csv_rows(regie_client.get("/besluiten/?status=adopted&format=csv"))
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
