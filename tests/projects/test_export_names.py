"""Downloads are named in the reader's language, not with codes."""

from urllib.parse import unquote

import pytest


def saved_as(response):
    disposition = response["Content-Disposition"]
    return unquote(disposition.split("filename*=UTF-8''")[1])


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/projects/export.xlsx", "招引开工重大项目.xlsx"),
        ("/projects/matrix/export.xlsx", "关键节点矩阵.xlsx"),
        ("/projects/import/template.xlsx", "项目导入模板.xlsx"),
        ("/org/people/export.xlsx", "通讯录.xlsx"),
    ],
)
def test_a_download_is_named_in_chinese(url, name, login, office_clerk, fgj_project):
    response = login(office_clerk).get(url)
    assert response.status_code == 200
    assert saved_as(response) == name


def test_the_progress_workbook_names_its_month_in_words(login, leader, fgj_project):
    response = login(leader).get("/projects/progress/export.xlsx?month=2026-03")
    assert saved_as(response) == "进度图2026年3月.xlsx"
