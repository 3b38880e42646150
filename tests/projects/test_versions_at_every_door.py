"""Every door that changes a versioned thing names the version it read, and is refused when stale.

The report form carries the waiting report it shows; so must the API (``replaces`` or
If-Match) and the dekad workbook (its 基于旬报 column), else a report filed through one
door silently replaces one filed through another.
"""

import pytest
from django.test import Client

from tests.exchange.workbooks import make_workbook, read_rows
from tests.projects.test_report_sheet_pages import HEADER_ROW, filled, token_of
from tests.projects.test_reports_through_every_door import browser, file_by_form
from vanguard.accounts.tokens import do_create_token
from vanguard.projects.actions import do_certify_reports
from vanguard.projects.choices import ReportStatus
from vanguard.projects.models import DekadReport


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def api(user):
    return {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(user.username)}


def submit_by_api(user, progress="桩基施工", **extra):
    body = {"progress": progress, "investment_yuan": 2_000_000}
    headers = api(user)
    if "if_match" in extra:
        headers["HTTP_IF_MATCH"] = extra.pop("if_match")
    body.update(extra)
    return Client().post(
        "/api/v1/projects/XHA-0001/reports", body, content_type="application/json", **headers
    )


def waiting():
    return DekadReport.objects.get(status=ReportStatus.SUBMITTED)


def test_an_api_report_that_does_not_name_the_waiting_one_is_refused(fgj_reporter, fgj_project):
    file_by_form(fgj_reporter)
    filed = waiting()

    response = submit_by_api(fgj_reporter)

    assert response.status_code == 409, response.content.decode()
    message = response.json()["message"]
    assert str(filed.pk) in message and "待认定" in message
    assert '"replaces": {}'.format(filed.pk) in message
    assert 'If-Match: "report-{}"'.format(filed.pk) in message
    assert waiting() == filed and waiting().progress == "主体结构施工"
    assert DekadReport.objects.count() == 1


def test_an_api_report_naming_the_waiting_one_revises_it(fgj_reporter, fgj_project):
    file_by_form(fgj_reporter)
    filed = waiting()

    response = submit_by_api(fgj_reporter, replaces=filed.pk)

    assert response.status_code == 201, response.content.decode()
    assert response.json()["supersedes"] == filed.pk
    filed.refresh_from_db()
    assert filed.status == ReportStatus.SUPERSEDED
    assert waiting().progress == "桩基施工"


def test_an_if_match_header_names_the_waiting_report_too(fgj_reporter, fgj_project):
    file_by_form(fgj_reporter)
    filed = waiting()

    response = submit_by_api(fgj_reporter, if_match='"report-{}"'.format(filed.pk))

    assert response.status_code == 201, response.content.decode()
    assert waiting().supersedes_id == filed.pk


def test_an_api_report_naming_a_report_that_no_longer_waits_is_refused(fgj_reporter, fgj_project):
    first = submit_by_api(fgj_reporter, progress="第一次").json()["id"]
    second = submit_by_api(fgj_reporter, progress="第二次", replaces=first)
    assert second.status_code == 201

    stale = submit_by_api(fgj_reporter, progress="第三次", if_match='"report-{}"'.format(first))

    assert stale.status_code == 409
    assert str(second.json()["id"]) in stale.json()["message"]
    assert waiting().progress == "第二次"


def test_the_first_report_of_a_dekad_needs_no_version(fgj_reporter, fgj_project):
    assert submit_by_api(fgj_reporter).status_code == 201


def test_a_correction_names_the_correction_waiting_before_it(
    fgj_reporter, projects_member, fgj_project
):
    certified = DekadReport.objects.get(pk=submit_by_api(fgj_reporter).json()["id"])
    do_certify_reports([certified], actor=projects_member)
    url = "/api/v1/reports/{}/correction".format(certified.pk)

    def correct(progress, **extra):
        body = {"progress": progress, "investment_yuan": 1_000_000, "reason": "投资额填错"}
        return Client().post(
            url, {**body, **extra}, content_type="application/json", **api(fgj_reporter)
        )

    first = correct("更正一")
    assert first.status_code == 201, first.content.decode()
    unnamed = correct("更正二")
    assert unnamed.status_code == 409
    assert str(first.json()["id"]) in unnamed.json()["message"]
    assert waiting().progress == "更正一"
    named = correct("更正二", replaces=first.json()["id"])
    assert named.status_code == 201
    assert waiting().progress == "更正二"


def test_the_openapi_document_says_how_to_name_the_waiting_report(client, fgj_reporter):
    schema = client.get("/api/v1/openapi.json", **api(fgj_reporter)).json()
    field = schema["components"]["schemas"]["SubmissionIn"]["properties"]["replaces"]
    assert "If-Match" in field["description"]
    post = schema["paths"]["/api/v1/projects/{code}/reports"]["post"]
    assert "409" in post["responses"]


def test_a_workbook_filled_before_a_form_report_is_refused_at_its_row(fgj_reporter, fgj_project):
    client = browser(fgj_reporter)
    content = client.get("/projects/reports/excel/workbook.xlsx").content
    file_by_form(fgj_reporter)
    filed = waiting()

    preview = client.post("/projects/reports/excel/", {"file": filled(content)})

    page = preview.content.decode()
    assert "该项目本旬已有待认定旬报" in page and "请重新下载工作簿后填写" in page
    assert "第{}行".format(HEADER_ROW + 1) in page or "!E{}".format(HEADER_ROW + 1) in page
    assert 'name="token"' not in page
    assert list(DekadReport.objects.all()) == [filed]
    assert waiting().progress == "主体结构施工"


def test_a_workbook_downloaded_after_the_form_report_names_it_and_revises_it(
    fgj_reporter, fgj_project
):
    file_by_form(fgj_reporter)
    filed = waiting()
    client = browser(fgj_reporter)
    content = client.get("/projects/reports/excel/workbook.xlsx").content
    rows = read_rows(content)
    assert rows[HEADER_ROW][rows[HEADER_ROW - 1].index("基于旬报")] == str(filed.pk)

    preview = client.post("/projects/reports/excel/", {"file": filled(content, "钢结构吊装")})
    period = filed.period
    applied = client.post(
        "/projects/reports/excel/apply/",
        {"token": token_of(preview), "campaign": "xihaian-2026", "period": period},
    )

    assert applied.status_code == 302
    assert waiting().progress == "钢结构吊装" and waiting().supersedes_id == filed.pk


def test_a_workbook_row_without_its_basis_is_refused_while_a_report_waits(
    fgj_reporter, fgj_project
):
    file_by_form(fgj_reporter)
    client = browser(fgj_reporter)
    rows = read_rows(client.get("/projects/reports/excel/workbook.xlsx").content)
    rows[HEADER_ROW][rows[HEADER_ROW - 1].index("基于旬报")] = None
    rows[HEADER_ROW][rows[HEADER_ROW - 1].index("本旬进展")] = "清空编号后上传"
    file = make_workbook(rows)
    file.name = "旬报.xlsx"

    page = client.post("/projects/reports/excel/", {"file": file}).content.decode()

    assert "该项目本旬已有待认定旬报" in page
    assert waiting().progress == "主体结构施工"


def test_a_stale_if_match_on_the_project_api_is_refused(client, office_clerk, fgj_project, hdjd):
    url = "/api/v1/projects/XHA-0001/supporting-units"
    done = client.put(
        url,
        {"units": ["hdjd"]},
        content_type="application/json",
        HTTP_IF_MATCH='"project-1"',
        **api(office_clerk),
    )
    assert done.status_code == 200, done.content.decode()
    assert done.json()["version"] == 2

    stale = client.put(
        url,
        {"units": []},
        content_type="application/json",
        HTTP_IF_MATCH='"project-1"',
        **api(office_clerk),
    )

    assert stale.status_code == 409 and "XHA-0001" in stale.json()["message"]
    assert client.get("/api/v1/projects/XHA-0001", **api(office_clerk)).json()[
        "supporting_units"
    ] == ["hdjd"]


def test_a_project_change_through_the_api_must_name_a_version(client, office_clerk, fgj_project):
    response = client.put(
        "/api/v1/projects/XHA-0001/supporting-units",
        {"units": []},
        content_type="application/json",
        **api(office_clerk),
    )
    assert response.status_code == 422
    assert "project-1" in response.json()["message"]
