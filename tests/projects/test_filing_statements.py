"""A filing at the deadline sends a bounded number of statements through each door, and
a refused one still says whose project it is.

The bounds are what the filings send today (docs/benchmarks.md): a read that creeps back
into the path (the lead unit read for a refusal never made, a dekad's reports read for a
form never shown) fails here before it shows in the load benchmark.
"""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.projects.test_reports_through_every_door import browser
from vanguard.accounts.tokens import do_create_token
from vanguard.projects.models import DekadReport

# Statements of one filing here: the session or token, the roles, the change log's head
# and entry, and the first read of a content type (a process keeps it), included. Both
# doors sent 20 before the reads above were taken out, and so did a correction.
PAGE_FILING = 16
API_FILING = 16
API_CORRECTION = 16


def _statements(send):
    with CaptureQueriesContext(connection) as queries:
        response = send()
    # A test runs in a transaction, where every atomic block becomes a savepoint.
    sent = [q["sql"] for q in queries.captured_queries]
    return response, [sql for sql in sent if "SAVEPOINT" not in sql]


def test_a_filing_by_page_and_its_revision_by_api_send_a_bounded_number_of_statements(
    fgj_project, fgj_reporter
):
    page = browser(fgj_reporter)
    page.get("/projects/p/XHA-0001/report/")
    response, sent = _statements(
        lambda: page.post(
            "/projects/p/XHA-0001/report/",
            {"progress": "主体施工", "investment_wan": "10", "replaces": ""},
        )
    )
    assert response.status_code == 302, response.content.decode()
    assert len(sent) <= PAGE_FILING, "\n".join(sent)
    waiting = DekadReport.objects.get(project=fgj_project)

    token = {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(fgj_reporter.username)}
    api = Client(**token)
    api.get("/api/v1/projects/XHA-0001/reports")
    response, sent = _statements(
        lambda: api.post(
            "/api/v1/projects/XHA-0001/reports",
            {"progress": "修改", "investment_yuan": 200_000, "replaces": waiting.pk},
            content_type="application/json",
        )
    )
    assert response.status_code == 201, response.content.decode()
    assert len(sent) <= API_FILING, "\n".join(sent)
    assert response.json()["supersedes"] == waiting.pk


def test_a_reader_who_may_not_report_is_told_whose_project_it_is(fgj_project, leader):
    token = {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(leader.username)}
    response = Client(**token).post(
        "/api/v1/projects/XHA-0001/reports",
        {"progress": "越权", "investment_yuan": 0},
        content_type="application/json",
    )
    # The leader sees every project, and is told whose report it is.
    assert response.status_code == 403, response.content.decode()
    assert fgj_project.lead_unit.name in response.json()["message"]
    assert not DekadReport.objects.filter(project=fgj_project).exists()


def test_a_correction_through_the_api_sends_a_bounded_number_of_statements(
    fgj_project, fgj_reporter, projects_member
):
    token = {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(fgj_reporter.username)}
    api = Client(**token)
    filed = api.post(
        "/api/v1/projects/XHA-0001/reports",
        {"progress": "初报", "investment_yuan": 100_000},
        content_type="application/json",
    ).json()
    certifier = {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(projects_member.username)}
    certified = Client(**certifier).post(
        "/api/v1/reports/certify", {"ids": [filed["id"]]}, content_type="application/json"
    )
    assert certified.status_code == 200, certified.content.decode()

    response, sent = _statements(
        lambda: api.post(
            "/api/v1/reports/{}/correction".format(filed["id"]),
            {"reason": "金额填错", "progress": "更正", "investment_yuan": 150_000},
            content_type="application/json",
        )
    )
    assert response.status_code == 201, response.content.decode()
    assert response.json()["supersedes"] == filed["id"]
    assert response.json()["investment_yuan"] == 150_000
    assert len(sent) <= API_CORRECTION, "\n".join(sent)
