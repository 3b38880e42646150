"""A long project list is exported by a background job whose page offers the download."""

import pytest

from tests.exchange.workbooks import read_rows
from vanguard.exchange.xlsx import XLSX_TYPE
from vanguard.projects.views import projects as project_views


@pytest.fixture(autouse=True)
def _media_and_a_short_limit(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(project_views, "EXPORT_IN_REQUEST", 1)


def export_through_job(client, query=""):
    response = client.get("/projects/export.xlsx" + query)
    assert response.status_code == 302 and response.url.startswith("/jobs/")
    return response.url


def test_a_long_list_is_exported_by_a_job_and_downloaded_from_its_page(
    login, leader, fgj_project, hdjd_project
):
    client = login(leader)
    url = export_through_job(client)
    content = client.get(url).content.decode()
    assert "导出已完成：共 2 行" in content and 'id="job-download"' in content
    assert client.get(url + "status.json").json()["counts"] == {"rows": 2}
    response = client.get(url + "download/")
    assert response.status_code == 200 and response["Content-Type"] == XLSX_TYPE
    rows = read_rows(response.content)
    assert rows[0][0].startswith("数据截至 ")
    assert rows[1][:2] == ["项目编号", "项目名称"]
    assert sorted(r[0] for r in rows[2:]) == ["XHA-0001", "XHA-0002"]


def test_the_job_exports_what_its_owner_may_see_and_no_one_else_gets_the_file(
    login, fgj_reporter, hdjd_reporter, fgj_project, hdjd_project, monkeypatch
):
    from django.test import Client

    from tests.conftest import PASSWORD

    client = login(fgj_reporter)
    # The reporter sees one project: the limit is below it, so a job writes it.
    monkeypatch.setattr(project_views, "EXPORT_IN_REQUEST", 0)
    url = export_through_job(client)
    rows = read_rows(client.get(url + "download/").content)
    assert [r[0] for r in rows[2:]] == ["XHA-0001"]
    other = Client()
    other.post("/login/", {"username": hdjd_reporter.username, "password": PASSWORD})
    assert other.get(url + "download/").status_code == 404
    assert other.get(url).status_code == 404


def test_a_short_list_is_still_downloaded_at_once(login, leader, fgj_project, monkeypatch):
    monkeypatch.setattr(project_views, "EXPORT_IN_REQUEST", 5000)
    response = login(leader).get("/projects/export.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX_TYPE


def test_exported_files_are_kept_for_a_day(login, leader, fgj_project, hdjd_project, tmp_path):
    import os
    import time

    client = login(leader)
    export_through_job(client)
    [first] = (tmp_path / "exports").iterdir()
    day_and_more = time.time() - 25 * 3600
    os.utime(first, (day_and_more, day_and_more))
    url = export_through_job(client)
    assert not first.exists()
    assert client.get(url + "download/").status_code == 200
