import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import RequestFactory

from ketenportaal.exports import (
    Column,
    Sheet,
    csv_bytes,
    download_links,
    export_response,
    neutralise_text,
    requested_format,
    safe_value,
    xlsx_bytes,
)

DANGEROUS = ["=SUM(A1:A2)", "+31 6 1234", "-2+3", "@cmd", "\tx", "\rx", '=HYPERLINK("http://x")']
COLUMNS = [Column("Naam", "name"), Column("Waarde", "value")]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_looks_like_a_formula_gets_a_leading_quote(text):
    assert neutralise_text(text) == "'" + text


@pytest.mark.parametrize("text", ["gewoon", "3 mijlpalen", "", "a=b", "IND-2024"])
def test_ordinary_text_is_left_alone(text):
    assert neutralise_text(text) == text


@pytest.mark.parametrize("number", [-5, 0, 12, -1.5, Decimal("-12.50")])
def test_real_numbers_stay_numbers_even_when_negative(number):
    assert safe_value(number) == number
    assert type(safe_value(number)) is type(number)


def test_numbers_inside_text_are_still_text():
    assert safe_value("-5") == "'-5"


def test_csv_neutralises_every_dangerous_cell_and_keeps_numbers():
    rows = [{"name": text, "value": -3} for text in DANGEROUS]
    content = csv_bytes(COLUMNS, rows)
    assert content.startswith("\ufeff".encode())
    read = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert read[0] == ["Naam", "Waarde"]
    assert [r[0] for r in read[1:]] == ["'" + text for text in DANGEROUS]
    assert all(r[1] == "-3" for r in read[1:])


def test_xlsx_never_stores_a_formula_and_keeps_numbers_numeric():
    rows = [{"name": text, "value": Decimal("-2.5")} for text in DANGEROUS]
    rows.append({"name": "datum", "value": datetime.date(2026, 3, 31)})
    content = xlsx_bytes([Sheet("Lijst", COLUMNS, rows)])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("Naam", "Waarde")
    for row, text in zip(values[1:], DANGEROUS, strict=False):
        # XML reads a stored carriage return back as a line feed; the quote is what matters.
        assert row == (("'" + text).replace("\r", "\n"), -2.5)
    assert values[-1][1] == datetime.datetime(2026, 3, 31)
    for row in sheet.iter_rows(min_row=2):
        assert row[0].data_type == "s"


def test_xlsx_sheet_titles_are_made_valid_and_unique():
    content = xlsx_bytes([Sheet("a/b:c", COLUMNS, []), Sheet("a/b:c", COLUMNS, [])])
    assert openpyxl.load_workbook(io.BytesIO(content)).sheetnames == ["a b c", "a b c (2)"]


def test_columns_follow_dotted_paths_and_callables():
    class Owner:
        code = "IND"

    class Row:
        owner = Owner()

    assert Column("x", "owner.code").get(Row()) == "IND"
    assert Column("x", lambda r: r.owner.code.lower()).get(Row()) == "ind"
    assert Column("x", "owner.code").get({"owner": None}) is None


def test_export_response_is_a_named_attachment():
    request = RequestFactory().get("/lijst/?format=xlsx")
    response = export_response(request, [{"name": "a", "value": 1}], COLUMNS, "mijlpalen", "xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="mijlpalen-')
    assert response["Content-Disposition"].endswith('.xlsx"')


def test_requested_format_only_accepts_csv_and_xlsx():
    assert requested_format(RequestFactory().get("/?format=csv")) == "csv"
    assert requested_format(RequestFactory().get("/?format=xlsx")) == "xlsx"
    assert requested_format(RequestFactory().get("/?format=json")) is None
    assert requested_format(RequestFactory().get("/")) is None


def test_download_links_keep_the_filters():
    links = download_links(RequestFactory().get("/uitvoering/?status=done&format=csv"))
    assert [link["url"] for link in links] == [
        "/uitvoering/?status=done&format=csv",
        "/uitvoering/?status=done&format=xlsx",
    ]
