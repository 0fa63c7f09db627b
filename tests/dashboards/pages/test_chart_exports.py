"""A dashboard chart's table downloads as CSV (neutralised) and as XLSX (numbers stay numbers)."""

import io

import openpyxl
import pytest

from dashboards.pages.charts import Chart
from dashboards.rebuild.build import rebuild_dashboards
from tests.dashboards.factories import approved_upload

pytestmark = pytest.mark.django_db


def test_a_chart_downloads_as_xlsx_with_numbers_as_numbers(client, viewer):
    approved_upload(
        "IND",
        {
            ("asylum_applications", f"2024-{m:02d}", "application_type=first"): m
            for m in range(1, 4)
        },
    )
    rebuild_dashboards()
    client.force_login(viewer)
    page = client.get("/dashboards/?application_type=first").content.decode()
    assert "xlsx=aanvragen" in page
    response = client.get("/dashboards/?application_type=first&xlsx=aanvragen")
    assert response["Content-Disposition"] == 'attachment; filename="aanvragen.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Kwartaal", "Eerste aanvraag", "Volledig")
    assert rows[1] == ("2024-Q1", 6, "ja")


def test_chart_csv_neutralises_text_that_looks_like_a_formula():
    chart = Chart(
        slug="x",
        title="x",
        summary="",
        caption="",
        columns=["=A1", "Waarde"],
        rows=[["@cmd", -3], ["2024-Q1", None]],
    )
    assert chart.csv().splitlines() == ["'=A1;Waarde", "'@cmd;-3", "2024-Q1;"]
