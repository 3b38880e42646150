"""The project sheet's upload page: dry run preview, then apply, as the office uses it."""

import io
import re

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from tests.exchange.workbooks import make_workbook, read_rows
from vanguard.core.money import YI
from vanguard.projects.models import Project

HEADERS = ["项目编号", "项目名称", "主责单位", "总投资（亿元）", "立项"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, rows, name="projects.xlsx"):
    file = make_workbook(rows)
    file.name = name
    return client.post("/projects/import/", {"file": file})


def client_for(user):
    """A second browser, for a second person (the ``login`` fixture has one client)."""
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def token_of(response):
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def test_the_office_previews_then_applies_a_sheet(login, office_clerk, plan, fgj, tmp_path):
    client = login(office_clerk)
    assert client.get("/projects/import/").status_code == 200
    response = upload(
        client,
        [
            HEADERS,
            ["XHA-2001", "甲", "区发展和改革局", 2, "2026-04-01"],
            ["XHA-2002", "乙", "区发展和改革局", "3000万", None],
        ],
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-row="2" data-action="create"' in content
    assert 'data-row="3" data-action="create"' in content
    assert not Project.objects.exists()
    assert list((tmp_path / "imports").iterdir())
    response = client.post(
        "/projects/import/apply/", {"token": token_of(response), "campaign": plan.code}
    )
    assert response.status_code == 302
    assert Project.objects.get(code="XHA-2001").investment_yuan == 2 * YI
    assert Project.objects.count() == 2
    # The kept file is gone once applied; applying twice finds nothing.
    assert not list((tmp_path / "imports").iterdir())


def test_errors_are_highlighted_with_their_cells_and_there_is_no_apply_button(
    login, office_clerk, plan, fgj
):
    client = login(office_clerk)
    response = upload(client, [HEADERS, ["XHA-2003", "甲", "区不存在局", 2, "明天"]])
    content = response.content.decode()
    assert 'data-row="2" data-action="error"' in content
    assert 'data-cell="C2"' in content and 'data-cell="E2"' in content
    assert 'id="apply-button"' not in content
    assert 'data-problems="2"' in content


def test_a_token_belongs_to_the_user_who_uploaded(login, office_clerk, projects_member, plan, fgj):
    client = login(office_clerk)
    token = token_of(upload(client, [HEADERS, ["XHA-2004", "甲", "区发展和改革局", 1, None]]))
    other = client_for(projects_member)
    response = other.post("/projects/import/apply/", {"token": token, "campaign": plan.code})
    assert response.status_code == 302 and response.url.endswith("/projects/import/")
    assert not Project.objects.exists()
    response = other.post(
        "/projects/import/apply/", {"token": "../../etc/passwd", "campaign": plan.code}
    )
    assert response.status_code == 302
    assert not Project.objects.exists()


def test_a_file_that_is_not_xlsx_is_refused_on_the_form(login, office_clerk, plan):
    client = login(office_clerk)
    response = upload(client, [HEADERS], name="projects.xls")
    assert response.status_code == 400
    assert client.post("/projects/import/", {}).status_code == 400


def test_a_reporter_cannot_open_the_import(login, fgj_reporter, plan):
    client = login(fgj_reporter)
    assert client.get("/projects/import/").status_code == 403
    assert client.post("/projects/import/apply/", {"token": "x" * 32}).status_code == 403


def test_the_import_needs_a_login(client, plan):
    response = client.get("/projects/import/")
    assert response.status_code == 302 and "/login/" in response.url


def test_the_template_has_the_sheets_headers_and_the_campaigns_nodes(login, office_clerk, plan):
    response = login(office_clerk).get("/projects/import/template.xlsx")
    assert response.status_code == 200
    [headers] = read_rows(response.content)
    assert headers[:3] == ["项目编号", "项目名称", "主责单位"]
    assert headers[-1] == "施工许可"


def test_the_exported_list_with_its_as_of_line_imports_again_unchanged(
    login, office_clerk, fgj_project
):
    client = login(office_clerk)
    exported = client.get("/projects/export.xlsx")
    file = io.BytesIO(exported.content)
    file.name = "重大项目.xlsx"
    preview = client.post("/projects/import/", {"file": file})
    content = preview.content.decode()
    assert preview.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content))
    # The 数据截至 line above the header is not a row: the one project is unchanged.
    assert "未变 1" in text and "有错误的行 0" in text
