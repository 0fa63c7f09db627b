"""Reading files: encodings, delimiters, XLSX safety, periods. Pure functions, no database."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook

from dashboards.uploads import ingest
from dashboards.uploads.ingest import IngestError, read_table
from ketenportaal.periods import parse_period

LIMITS = {"max_bytes": 10 * 1024 * 1024, "max_rows": 1000}


def read(data: bytes, name: str = "cijfers.csv", **limits):
    return read_table(data, name, **{**LIMITS, **limits})


def refused(data: bytes, name: str = "cijfers.csv", **limits) -> IngestError:
    with pytest.raises(IngestError) as caught:
        read(data, name, **limits)
    return caught.value


def test_windows_1252_semicolon_file_is_read_with_its_accents_and_decimal_commas():
    text = "Indicator;Period;Value;Toelichting\r\nasylum_lead_time;2024-K1;1.234,5;Één cijfer\r\n"
    table = read(text.encode("cp1252"))
    assert table.encoding == "cp1252"
    assert table.delimiter == ";"
    assert table.decimal_comma
    assert table.frame.loc[0, "toelichting"] == "Één cijfer"
    assert table.frame.loc[0, "value"] == "1.234,5"


def test_utf8_bom_header_is_case_insensitive_and_cells_are_trimmed():
    text = "\ufeff Indicator , PERIOD ,Value\n  asylum_pending ,  2024-03 , 7 \n"
    table = read(text.encode("utf-8"))
    assert table.headers == ["indicator", "period", "value"]
    assert table.frame.to_dict("records") == [
        {"indicator": "asylum_pending", "period": "2024-03", "value": "7", "_row": 2}
    ]
    assert table.delimiter == ","


def test_rows_keep_the_number_the_user_sees_in_the_file_even_after_blank_lines():
    table = read(b"indicator,period,value\na,2024-01,1\n\n,,\nb,2024-02,2\n")
    assert table.frame["_row"].tolist() == [2, 5]


def test_a_row_with_more_fields_than_the_header_is_refused_with_its_row_number():
    error = refused(b"indicator,period,value\na,2024-01,1\nb,2024-02,2,3\n")
    assert error.code == "unreadable"
    assert error.row == 3


def test_an_empty_file_is_refused():
    assert refused(b"").code == "empty_file"
    assert refused(b"\xef\xbb\xbf\r\n").code == "empty_file"


def test_a_file_over_the_size_limit_is_refused_before_reading():
    assert (
        refused(b"indicator,period,value\n" + b"x,2024-01,1\n" * 100, max_bytes=100).code
        == "too_large"
    )


def test_a_file_over_the_row_limit_is_refused():
    data = b"indicator,period,value\n" + b"x,2024-01,1\n" * 11
    assert refused(data, max_rows=10).code == "too_many_rows"
    assert len(read(data, max_rows=11).frame) == 11


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"indicator,period,value\n", "cijfers.xlsx"),
        (b"PK\x03\x04rest-of-a-zip", "cijfers.csv"),
        (b"%PDF-1.7 ...", "cijfers.csv"),
        (b"indicator,period,value\n", "cijfers.pdf"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(data, name):
    assert refused(data, name).code == "wrong_file_type"


def xlsx(rows, *, text_period: bool = True) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_first_sheet_is_read_with_numbers_and_excel_dates_as_months():
    data = xlsx(
        [
            ["Indicator", "Period", "Value", "application_type"],
            ["asylum_applications", datetime.datetime(2024, 3, 1), 120, "first"],
            ["asylum_lead_time", "2024-Q1", 12.5, None],
            ["forecast_asylum_inflow", 2027, 40000, "expected"],
        ]
    )
    table = read(data, "cijfers.xlsx")
    assert table.kind == "xlsx"
    assert table.frame[["indicator", "period", "value", "application_type"]].values.tolist() == [
        ["asylum_applications", "2024-03", "120", "first"],
        ["asylum_lead_time", "2024-Q1", "12.5", ""],
        ["forecast_asylum_inflow", "2027", "40000", "expected"],
    ]


def bomb_xlsx(uncompressed_mb: int = 300) -> bytes:
    """A workbook whose sheet would unpack to hundreds of MB (a few hundred KB on disk)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b" " * (1024 * 1024)
            for _i in range(uncompressed_mb):
                sheet.write(block)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return bomb_xlsx()


def test_a_zip_bomb_xlsx_is_refused_from_its_directory_without_unpacking(bomb, monkeypatch):
    assert len(bomb) < 2 * 1024 * 1024

    def no_unpacking(*args, **kwargs):
        raise AssertionError("the archive was opened for decompression")

    # The refusal must come from the central directory alone: decompressing a member or
    # handing the file to calamine fails this test.
    monkeypatch.setattr(zipfile.ZipFile, "open", no_unpacking)
    monkeypatch.setattr("python_calamine.CalamineWorkbook.from_filelike", no_unpacking)
    error = refused(bomb, "cijfers.xlsx")
    assert error.code == "unsafe_file"


def test_an_xlsx_whose_members_are_larger_than_declared_is_refused(monkeypatch):
    data = xlsx([["indicator", "period", "value"], ["asylum_pending", "2024-03", 1]])
    archive = zipfile.ZipFile(io.BytesIO(data))
    real_infolist = archive.infolist

    # Lie about a member's size in the directory: the streaming check must notice.
    def lying_infolist(self):
        infos = real_infolist()
        for info in infos:
            if info.filename.endswith("sheet1.xml"):
                info.file_size = 10
        return infos

    monkeypatch.setattr(zipfile.ZipFile, "infolist", lying_infolist)
    assert refused(data, "cijfers.xlsx").code in {"unsafe_file", "wrong_file_type"}


ENTITY_SHEET = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>"""


def test_an_xlsx_with_an_xml_entity_payload_is_refused():
    source = zipfile.ZipFile(io.BytesIO(xlsx([["indicator", "period", "value"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = ENTITY_SHEET
            target.writestr(info.filename, content)
    error = refused(buffer.getvalue(), "cijfers.xlsx")
    assert error.code == "unsafe_file"
    assert "DOCTYPE" in error.message


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hallo")
    assert refused(buffer.getvalue(), "cijfers.xlsx").code == "wrong_file_type"


@pytest.mark.parametrize(
    ("text", "canonical", "kind", "start", "end"),
    [
        ("2024-02", "2024-02", "month", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
        ("2024-Q4", "2024-Q4", "quarter", datetime.date(2024, 10, 1), datetime.date(2024, 12, 31)),
        ("2024-k2", "2024-Q2", "quarter", datetime.date(2024, 4, 1), datetime.date(2024, 6, 30)),
        ("2023", "2023", "year", datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)),
    ],
)
def test_periods_are_normalised_to_canonical_strings_with_dates(text, canonical, kind, start, end):
    period = parse_period(text)
    assert (period.canonical, period.type, period.start, period.end) == (
        canonical,
        kind,
        start,
        end,
    )


@pytest.mark.parametrize("text", ["2024-13", "2024-Q5", "24-01", "2024/01", "januari 2024", ""])
def test_malformed_periods_are_not_parsed(text):
    assert parse_period(text) is None


def test_previous_period_crosses_year_boundaries():
    assert parse_period("2024-01").previous().canonical == "2023-12"
    assert parse_period("2024-Q1").previous().canonical == "2023-Q4"
    assert parse_period("2024").previous().canonical == "2023"


def test_the_missing_fields_of_a_short_row_read_as_empty():
    table = ingest.read_table(
        b"indicator,period,value,nationality\nx, 2024-01 ,5\ny,2024-02,6,sy\n",
        "f.csv",
        max_bytes=1_000_000,
        max_rows=10,
    )
    assert table.frame["nationality"].tolist() == ["", "sy"]
    assert table.frame["period"].tolist() == ["2024-01", "2024-02"]


def _never(*args, **kwargs):
    raise AssertionError("the file was parsed although its header is over the limits")


def test_a_csv_with_200000_columns_is_refused_from_its_header_before_parsing(monkeypatch):
    monkeypatch.setattr("pandas.read_csv", _never)
    header = ",".join(f"c{n}" for n in range(200_000)) + "\n"
    with pytest.raises(IngestError) as refused:
        read_table((header + "1," * 199_999 + "1\n").encode(), "x.csv", **LIMITS)
    assert refused.value.code == "too_many_columns"
    assert "200.000 kolommen" in refused.value.message


def test_a_csv_with_too_many_cells_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr("pandas.read_csv", _never)
    data = "indicator,period,value\n" + "asylum_pending,2024-01,1\n" * 40
    with pytest.raises(IngestError) as refused:
        read_table(data.encode(), "x.csv", **LIMITS, max_cells=100)
    assert refused.value.code == "too_many_cells"


def test_an_xlsx_declaring_too_many_columns_is_refused_before_it_is_opened(monkeypatch):
    monkeypatch.setattr("python_calamine.CalamineWorkbook.from_filelike", _never)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["indicator", "period", "value"])
    sheet.cell(row=2, column=500, value=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(IngestError) as refused:
        read_table(buffer.getvalue(), "x.xlsx", **LIMITS)
    assert refused.value.code == "too_many_columns"


def test_a_file_within_the_limits_is_read():
    table = read_table(b"indicator,period,value\nasylum_pending,2024-01,1\n", "x.csv", **LIMITS)
    assert len(table.frame) == 1
