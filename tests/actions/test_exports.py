import io

import openpyxl
import pytest

from actions.models import MilestoneStatus
from tests.factories import MilestoneFactory, csv_rows, org

pytestmark = pytest.mark.django_db


def test_tree_download_as_csv_has_only_the_filtered_milestones(regie_client):
    MilestoneFactory(title="=gevaarlijk", status=MilestoneStatus.DONE)
    MilestoneFactory(title="Nog te doen", status=MilestoneStatus.PLANNED)
    response = regie_client.get("/uitvoering/?status=done&format=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="mijlpalen-')
    rows = csv_rows(response)
    assert rows[0][:2] == ["Nummer", "Mijlpaal"]
    assert [row[1] for row in rows[1:]] == ["'=gevaarlijk"]


def test_tree_download_as_xlsx_keeps_numbers_numeric(regie_client):
    MilestoneFactory(title="Half", percent_complete=50, status=MilestoneStatus.IN_PROGRESS)
    response = regie_client.get("/uitvoering/?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, row = list(sheet.iter_rows(values_only=True))
    assert row[header.index("Percentage gereed")] == 50
    assert row[header.index("Mijlpaal")] == "Half"


def test_tree_page_offers_downloads_with_its_filters(regie_client):
    response = regie_client.get("/uitvoering/?status=done")
    assert b"/uitvoering/?status=done&amp;format=csv" in response.content
    assert b"/uitvoering/?status=done&amp;format=xlsx" in response.content


@pytest.mark.parametrize("size", [2, 12])
def test_tree_download_query_count_does_not_grow_with_the_rows(
    regie_client, django_assert_max_num_queries, size
):
    for _ in range(size):
        MilestoneFactory()
    with django_assert_max_num_queries(8):
        response = regie_client.get("/uitvoering/?format=xlsx")
    assert response.status_code == 200


def test_home_download_of_overdue_milestones(regie_client):
    MilestoneFactory(title="Te laat", overdue=True, action__owner=org("COA"))
    MilestoneFactory(title="Op tijd")
    rows = csv_rows(regie_client.get("/overzicht/?list=overdue&format=csv"))
    assert [row[1] for row in rows[1:]] == ["Te laat"]
    assert rows[1][4] == "COA"


def test_home_download_of_progress_per_theme_has_a_row_per_theme(regie_client):
    MilestoneFactory(status=MilestoneStatus.DONE)
    rows = csv_rows(regie_client.get("/overzicht/?list=themes&format=csv"))
    assert len(rows) == 1 + 4
    assert sum(int(row[3]) for row in rows[1:]) >= 1


def test_action_page_downloads_its_milestones(regie_client):
    milestone = MilestoneFactory(title="+31 bellen")
    MilestoneFactory(title="Andere actie")
    response = regie_client.get(f"/acties/{milestone.action.pk}/")
    assert b"format=xlsx" in response.content
    rows = csv_rows(regie_client.get(f"/acties/{milestone.action.pk}/?format=csv"))
    assert [row[1] for row in rows[1:]] == ["'+31 bellen"]
