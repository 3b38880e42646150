"""The statistics table checked as a background job: the preview on the job's page, then apply.

Jobs run in place in tests (HUEY_IMMEDIATE); a small threshold sends a short table
through the job, as a table above VANGUARD_IMPORT_CHECK_IN_REQUEST_ROWS rows would be.
"""

import re
from decimal import Decimal

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from tests.indicators.conftest import OCTOBER, TODAY
from tests.indicators.workbooks import OCTOBER_ROWS, statistics_table
from vanguard.exchange.models import Job, JobState
from vanguard.indicators.actions import do_submit_observation
from vanguard.indicators.models import Observation

pytestmark = pytest.mark.django_db

JOB_URL = re.compile(r"^/jobs/([0-9a-f-]{36})/$")


@pytest.fixture(autouse=True)
def _media_today_and_threshold(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    settings.VANGUARD_IMPORT_CHECK_IN_REQUEST_ROWS = 5
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def check(client, rows=None):
    """Upload the table; follow the check job to its page; return (page content, job)."""
    file = statistics_table(rows) if rows is not None else statistics_table()
    file.name = "2026年1-10月主要经济指标.xlsx"
    response = client.post("/indicators/import/", {"file": file})
    assert response.status_code == 302 and JOB_URL.match(response.url), response
    job = Job.objects.get(pk=JOB_URL.match(response.url).group(1))
    return client.get(response.url).content.decode(), job


def hidden_fields(content):
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', content))


def test_a_big_table_is_checked_in_a_job_then_applied_from_its_page(login, plan, tjj_reporter):
    client = login(tjj_reporter)
    content, job = check(client)
    assert job.state == JobState.CHECKED and not Observation.objects.exists()
    assert "导入统计表：核对后再保存" in content
    assert 'data-sheet="10月" data-row="8" data-action="create"' in content
    assert "2026年1-10月" in content and "2026年1-10月主要经济指标.xlsx" in content
    assert 'id="apply-button"' in content
    form = hidden_fields(content)
    assert set(form) >= {"token", "campaign", "versions", "filename"}
    response = client.post("/indicators/import/apply/", form)
    applied = client.get(response["Location"]).content.decode()
    assert 'data-state="applied"' in applied and 'data-count="create">新增 5<' in applied
    assert 'href="/indicators/?month=2026-10" id="job-next"' in applied
    assert Observation.objects.current().count() == 15


def test_a_figure_revised_after_the_check_job_stops_the_apply(
    login, plan, tjj_reporter, indicators_member, indicator, area
):
    do_submit_observation(
        indicator("retail_sales"), area("district"), OCTOBER, actor=tjj_reporter,
        level=800, growth_pct="4.9", today=TODAY,
    )  # fmt: skip
    client = login(tjj_reporter)
    content, _job = check(client)
    form = hidden_fields(content)
    assert "retail_sales|district|2026-10=1" in form["versions"]
    do_submit_observation(
        indicator("retail_sales"), area("district"), OCTOBER, actor=indicators_member,
        level=805, growth_pct="5.0", revises=1, today=TODAY,
    )  # fmt: skip
    response = client.post("/indicators/import/apply/", form)
    job = client.get(response["Location"]).content.decode()
    assert 'data-state="failed"' in job and "第 2 版" in job
    current = Observation.objects.current().get(
        indicator__code="retail_sales", area__level="district"
    )
    assert current.level == Decimal("805.00")


def test_a_table_with_errors_shows_them_located_and_offers_no_apply(login, plan, tjj_reporter):
    rows = [list(r) for r in OCTOBER_ROWS]
    rows[4][2] = "5.1%"
    content, job = check(login(tjj_reporter), rows)
    assert job.state == JobState.CHECKED
    assert 'data-cell="C8"' in content and "百分数" in content and "第8行" in content
    assert 'id="apply-button"' not in content and "上传更正后的文件" in content


def test_only_the_owner_sees_the_check_job(login, plan, tjj_reporter, indicators_member):
    content, job = check(login(tjj_reporter))
    other = Client()
    assert (
        other.post(
            "/login/", {"username": indicators_member.username, "password": PASSWORD}
        ).status_code
        == 302
    )
    url = "/jobs/{}/".format(job.pk)
    for address in (url, url + "status.json", url + "progress/"):
        assert other.get(address).status_code == 404
    response = other.post("/indicators/import/apply/", hidden_fields(content))
    assert response.status_code == 302 and response.url == "/indicators/import/"
    assert not Observation.objects.exists()
