"""Tables for spreadsheets: beside every CSV, a CSV for Excel (UTF-8 with a byte-order mark) and
an XLSX workbook, with £ and en dashes intact and no cell ever run as a formula."""

import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from core.csv import CSVTable, write_xlsx

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AREAS = "areas=blackpool,derby"


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def _csv_rows(text: str) -> list[list[str]]:
    import csv

    return list(csv.reader(io.StringIO(text)))


def test_the_compare_table_as_xlsx_keeps_pounds_and_en_dashes_as_the_csv_has_them(client):
    csv_rows = _csv_rows(client.get(f"/compare/data/table.csv?{AREAS}").content.decode())
    sheet = _sheet(client.get(f"/compare/data/table.xlsx?{AREAS}"))
    as_text = [["" if cell is None else str(cell) for cell in row] for row in sheet]
    assert as_text == csv_rows
    cells = {cell for row in sheet for cell in row}
    assert "£1,230,000" in cells and "2018–2021" in cells


def test_the_compare_table_for_excel_is_the_same_csv_with_a_byte_order_mark(client):
    plain = client.get(f"/compare/data/table.csv?{AREAS}").content
    excel = client.get(f"/compare/data/table.csv?{AREAS}&excel=1")
    assert excel["Content-Type"] == "text/csv; charset=utf-8"
    assert excel.content == BOM + plain and not plain.startswith(BOM)
    assert "£1,230,000".encode() in excel.content and "2018–2021".encode() in excel.content


def test_the_search_list_comes_as_xlsx_and_csv_for_excel_with_every_matching_row(client):
    plain = client.get("/api/v1/projects/", {"format": "csv", "area": "derby"})
    rows = _csv_rows(plain.content.decode())
    excel = client.get("/api/v1/projects/", {"format": "csv", "area": "derby", "excel": "1"})
    assert excel.content == BOM + plain.content
    response = client.get("/api/v1/projects/", {"format": "xlsx", "area": "derby"})
    assert response["Content-Disposition"] == 'attachment; filename="projects.xlsx"'
    sheet = _sheet(response)
    assert list(sheet[0]) == rows[0] and len(sheet) == len(rows)
    texts = {cell for row in sheet for cell in row if isinstance(cell, str)}
    assert any("–" in cell for cell in texts) or any("£" in cell for cell in texts)
    assert {cell for row in rows[1:] for cell in row if "–" in cell or "£" in cell} <= texts
    column = rows[0].index("start_year")
    assert all(isinstance(row[column], int) for row in sheet[1:] if row[column] is not None)  # numbers stay numbers


def test_an_area_chart_table_comes_as_xlsx(client):
    sheet = _sheet(client.get("/explore/data/spend_by_area.xlsx"))
    assert sheet[0][:2] == ("area", "slug") and len(sheet) > 2


def test_formula_looking_text_is_stored_as_text_in_xlsx():
    table = CSVTable([{"a": "=HYPERLINK(\"http://x\")", "b": "+44 1234", "c": "@SUM(A1)", "d": "-1+2",
                       "e": 5, "f": Decimal("1.50"), "g": "tab\x0bbed"}], list("abcdefg"))
    body = write_xlsx(table, "t")
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    cells = list(sheet.iter_rows(min_row=2))[0]
    assert [cell.data_type for cell in cells] == ["s", "s", "s", "s", "n", "n", "s"]
    assert [cell.value for cell in cells] == ['=HYPERLINK("http://x")', "+44 1234", "@SUM(A1)", "-1+2", 5, 1.5,
                                              "tabbed"]
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert not re.search(r"<f>|<f ", archive.read("xl/worksheets/sheet1.xml").decode())


def test_a_bad_selection_is_still_a_400_in_every_format(client):
    for url in ("/compare/data/table.xlsx?areas=atlantis,derby", "/compare/data/table.csv?areas=atlantis&excel=1"):
        response = client.get(url)
        assert response.status_code == 400 and b"atlantis" in response.content
    assert client.get("/api/v1/projects/", {"format": "xlsx", "page_size": "abc"}).status_code == 400


def test_pages_link_the_spreadsheet_downloads_beside_each_csv(client):
    pages = {"/projects/?area=derby": 'format=xlsx', f"/compare/?{AREAS}": "table.xlsx", "/explore/": ".xlsx"}
    for page, xlsx_marker in pages.items():
        html = client.get(page).content.decode()
        excel = re.findall(r'<a href="([^"]+)"[^>]*>CSV for Excel</a>', html)
        xlsx = re.findall(r'<a href="([^"]+)"[^>]*>Excel workbook \(XLSX\)</a>', html)
        assert excel and xlsx and any(xlsx_marker in link for link in xlsx), page
        for link in excel[:2] + xlsx[:2]:
            response = client.get(link.replace("&amp;", "&"))
            assert response.status_code == 200, link
        assert client.get(excel[0].replace("&amp;", "&")).content.startswith(BOM)


def test_the_api_schema_documents_xlsx_for_lists_and_their_errors(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    responses = schema["paths"]["/api/v1/projects/"]["get"]["responses"]
    assert XLSX in responses["200"]["content"] and XLSX in responses["400"]["content"]
