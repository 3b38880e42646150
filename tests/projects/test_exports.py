"""A dekad report's text pasted from Word, filed through the form, out in the unit's workbook."""

import io
import zipfile

import pytest
from openpyxl import load_workbook

from tests.projects.test_report_sheet_pages import HEADER_ROW
from vanguard.projects.models import DekadReport

FORMULA = '=HYPERLINK("http://example.invalid/","点此查看")'


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def pasted_report(login, fgj_reporter, fgj_project):
    response = login(fgj_reporter).post(
        "/projects/p/XHA-0001/report/",
        {
            "progress": FORMULA + "\x0b主体结构施工",
            "investment_wan": "1350.5",
            "blockers": "施工用电\x0b\x07道路占用",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return DekadReport.objects.get(project=fgj_project)


def test_the_report_is_stored_without_control_characters(pasted_report):
    assert pasted_report.progress == FORMULA + "\n主体结构施工"
    assert sorted(pasted_report.blockers.values_list("title", flat=True)) == [
        "施工用电",
        "道路占用",
    ]


def test_the_units_workbook_shows_the_report_as_text_with_its_amount_formatted(
    login, fgj_reporter, pasted_report
):
    client = login(fgj_reporter)
    response = client.get("/projects/reports/excel/workbook.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[HEADER_ROW]]
    row = sheet[HEADER_ROW + 1]
    progress = row[headers.index("本旬进展")]
    assert progress.value == FORMULA + "\n主体结构施工"
    assert progress.data_type == "s" and progress.quotePrefix
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    investment = row[headers.index("本旬完成投资（万元）")]
    assert investment.number_format == "#,##0.00"
    assert sheet.print_title_rows == "${0}:${0}".format(HEADER_ROW)
    assert sheet.page_setup.orientation == "landscape"


def test_the_project_exports_print_with_formats_and_headers(login, projects_member, fgj_project):
    client = login(projects_member)
    response = client.get("/projects/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value.startswith("数据截至 ")  # the as-of line above the header
    headers = [c.value for c in sheet[2]]
    row = dict(zip(headers, sheet[3], strict=False))
    investment = next(c for h, c in row.items() if "万元" in h)
    assert investment.data_type == "n" and investment.number_format == "#,##0.00"
    dates = [c for c in row.values() if c.is_date]
    assert dates and all(c.number_format == "yyyy-mm-dd" for c in dates)
    assert sheet.freeze_panes == "A3" and sheet.print_title_rows == "$2:$2"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.column_dimensions["B"].width > 13  # the project's name, not Excel's default

    for url in ("/projects/matrix/export.xlsx", "/projects/progress/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert load_workbook(io.BytesIO(response.content)).active.print_title_rows
