import pytest

from dashboards.models import Upload
from tests.factories import csv_rows, org

pytestmark = pytest.mark.django_db


def _upload(code: str, user, name: str) -> Upload:
    return Upload.objects.create(
        organisation=org(code),
        uploaded_by=user,
        file=f"uploads/{name}",
        file_name=name,
        size=10,
        sha256=name.ljust(64, "0")[:64],
    )


def test_a_partner_downloads_only_its_own_uploads(client, ind_partner, regie):
    _upload("IND", ind_partner, "=ind.csv")
    _upload("COA", regie, "coa.csv")
    client.force_login(ind_partner)
    assert b"format=xlsx" in client.get("/aanleveringen/").content
    rows = csv_rows(client.get("/aanleveringen/?format=csv"))
    assert [(row[1], row[2]) for row in rows[1:]] == [("IND", "'=ind.csv")]


def test_regie_downloads_uploads_filtered_by_organisation(regie_client, regie):
    _upload("IND", regie, "ind.csv")
    _upload("COA", regie, "coa.csv")
    rows = csv_rows(regie_client.get("/aanleveringen/?organisatie=COA&format=csv"))
    assert [row[1] for row in rows[1:]] == ["COA"]


@pytest.mark.parametrize("size", [2, 12])
def test_upload_download_query_count_does_not_grow(
    regie_client, regie, django_assert_max_num_queries, size
):
    for n in range(size):
        _upload("IND", regie, f"f{n}.csv")
    with django_assert_max_num_queries(8):
        regie_client.get("/aanleveringen/?format=xlsx")


def test_delivery_overview_downloads_one_line_per_indicator_and_quarter(regie_client):
    rows = csv_rows(regie_client.get("/aanleveringen/tijdigheid/?organisatie=COA&format=csv"))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Indicator", "Naam", "Kwartaal", "Tijdigheid"]
    indicators = {row[0] for row in body}
    assert indicators == {"reception_occupancy", "reception_capacity", "reception_status_holders"}
    assert len(body) % len(indicators) == 0
