"""The project sheet applied as a background job: progress, result page, all or nothing.

Jobs run in place in tests (HUEY_IMMEDIATE), inside the apply request; the job's page
is then already finished. The page's states before that (waiting, checking) are
opened on jobs stopped at those states.
"""

import re
import threading

import pytest
from django.db import connections
from django.test import Client

from tests.conftest import PASSWORD
from tests.exchange.workbooks import make_workbook
from vanguard.audit.models import ChangeEntry
from vanguard.core.money import YI
from vanguard.exchange import jobs
from vanguard.exchange.importing import Phase
from vanguard.exchange.models import Job, JobState
from vanguard.projects import actions
from vanguard.projects.actions import bulk
from vanguard.projects.models import DekadReport, Milestone, Project
from vanguard.projects.sheets.project_import import ProjectImporter

HEADERS = ["项目编号", "项目名称", "主责单位", "总投资（亿元）", "立项"]
JOB_URL = re.compile(r"^/jobs/([0-9a-f-]{36})/$")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def client_for(user):
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def preview(client, rows):
    file = make_workbook(rows)
    file.name = "项目表.xlsx"
    response = client.post("/projects/import/", {"file": file})
    assert response.status_code == 200
    content = response.content.decode()
    return {
        name: re.search(r'name="{}" value="([^"]*)"'.format(name), content).group(1)
        for name in ("token", "campaign", "filename")
    }


def apply(client, rows):
    """Preview then apply a sheet; return the job's page address."""
    response = client.post("/projects/import/apply/", preview(client, rows))
    assert response.status_code == 302
    assert JOB_URL.match(response.url), response.url
    return response.url


def changed_sheet():
    return [
        HEADERS,
        ["XHA-3001", "新建项目", "区发展和改革局", 2, "2026-05-01"],
        ["XHA-0001", "海洋装备产业园（二期）", "区发展和改革局", 15, "2026-02-20"],
        ["XHA-0002", "黄岛老城区更新", "黄岛街道", 4, None],
    ]


def test_the_office_applies_a_sheet_as_a_job_and_reads_the_counts_in_chinese(
    login, office_clerk, fgj_project, hdjd_project, plan
):
    client = login(office_clerk)
    url = apply(client, changed_sheet())
    assert Project.objects.get(code="XHA-3001").investment_yuan == 2 * YI
    project = Project.objects.get(code="XHA-0001")
    assert project.name == "海洋装备产业园（二期）" and project.version == 2
    node = Milestone.objects.get(project=project, node__code="project_approval")
    assert node.planned_date.isoformat() == "2026-02-20"
    content = client.get(url).content.decode()
    assert 'data-state="applied"' in content
    assert "导入已完成" in content and "项目表.xlsx" in content
    assert 'data-count="create">新增 1<' in content
    assert 'data-count="update">修改 2<' in content
    assert 'id="job-next"' in content
    status = client.get(url + "status.json").json()
    assert status["state"] == "applied" and status["percent"] == 100
    assert status["counts"]["update"] == 2 and status["applied"]
    # The polled bar tells the page to reload once the job is over.
    assert client.get(url + "progress/")["HX-Refresh"] == "true"


def test_someone_else_cannot_see_a_job(
    login, office_clerk, projects_member, fgj_reporter, fgj_project, plan
):
    url = apply(login(office_clerk), changed_sheet()[:2])
    for user in (projects_member, fgj_reporter):
        other = client_for(user)
        for address in (url, url + "status.json", url + "progress/"):
            assert other.get(address).status_code == 404
    anonymous = Client().get(url + "status.json")
    assert anonymous.status_code == 302 and "/login/" in anonymous.url


def test_the_page_shows_the_waiting_and_checking_states(login, office_clerk, plan):
    client = login(office_clerk)
    job = Job.objects.create(kind="projects", owner=office_clerk, token="t" * 32)
    url = "/jobs/{}/".format(job.pk)
    content = client.get(url).content.decode()
    assert 'data-state="queued"' in content and "等待后台" in content
    assert 'hx-trigger="every 1s"' in content
    assert client.get(url + "status.json").json()["percent"] == 0
    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, phase=Phase.CHECKING, done=500, total=1000
    )
    fragment = client.get(url + "progress/")
    assert "HX-Refresh" not in fragment
    assert "正在核对：第 500 行，共 1000 行" in fragment.content.decode()
    status = client.get(url + "status.json").json()
    assert (status["state"], status["done"], status["total"]) == ("running", 500, 1000)
    assert 0 < status["percent"] < 100


def test_problems_found_on_apply_are_listed_in_chinese_and_nothing_is_saved(
    login, office_clerk, fgj_project, plan, fgj
):
    client = login(office_clerk)
    form = preview(client, changed_sheet()[:3])
    # Between the preview and the apply the unit is renamed: the sheet no longer fits.
    type(fgj).objects.filter(pk=fgj.pk).update(name="区发改局")
    response = client.post("/projects/import/apply/", form)
    content = client.get(response.url).content.decode()
    assert 'data-state="failed"' in content
    assert "未保存任何内容" in content and "发现 2 个问题" in content
    assert "没有名为“区发展和改革局”的单位，是否为“区发改局”？" in content and "第2行" in content
    assert not Project.objects.filter(code="XHA-3001").exists()
    assert Project.objects.get(code="XHA-0001").name == "海洋装备产业园"


def test_a_project_changed_while_the_sheet_is_checked_is_refused_at_its_row(
    login, office_clerk, fgj_project, plan, monkeypatch
):
    real_reporter = jobs._reporter

    def reporter(job):
        report = real_reporter(job)

        def with_an_edit(phase, done, total):
            report(phase, done, total)
            if phase == Phase.WRITING:
                # Planned already, not yet written: someone else edits the project.
                actions.do_update_project(fgj_project, actor=office_clerk, name="别人改的")

        return with_an_edit

    monkeypatch.setattr(jobs, "_reporter", reporter)
    client = login(office_clerk)
    content = client.get(apply(client, changed_sheet()[:3])).content.decode()
    assert 'data-state="failed"' in content
    assert "已被他人修改" in content and "第3行" in content
    assert not Project.objects.filter(code="XHA-3001").exists()
    assert Project.objects.get(code="XHA-0001").name == "别人改的"


@pytest.mark.django_db(transaction=True)
def test_a_failure_mid_apply_leaves_nothing_written(
    login, office_clerk, fgj_project, hdjd_project, plan, monkeypatch
):
    real = bulk._write_project_updates

    def fail_after_writing(*args, **kwargs):
        real(*args, **kwargs)  # the new project and the changes are written, then:
        raise RuntimeError("disk full")

    monkeypatch.setattr(bulk, "_write_project_updates", fail_after_writing)
    entries = ChangeEntry.objects.count()
    client = login(office_clerk)
    url = apply(client, changed_sheet())
    assert not Project.objects.filter(code="XHA-3001").exists()
    assert Project.objects.get(code="XHA-0001").name == "海洋装备产业园"
    assert Project.objects.get(code="XHA-0001").version == 1
    assert ChangeEntry.objects.count() == entries
    job = Job.objects.get(pk=JOB_URL.match(url).group(1))
    assert job.state == JobState.FAILED
    content = client.get(url).content.decode()
    assert "未保存任何内容" in content and "未能保存" in content and "disk full" in content
    # The upload is kept, so the same file can be applied again once the fault is gone.
    monkeypatch.setattr(bulk, "_write_project_updates", real)
    assert client.post("/projects/import/apply/", {**job.params, "token": job.token}).status_code
    assert Project.objects.filter(code="XHA-3001").exists()


@pytest.mark.django_db(transaction=True)
def test_another_person_logs_in_and_saves_while_a_sheet_is_applied(
    login, office_clerk, fgj_reporter, fgj_project, hdjd_project, plan, monkeypatch
):
    """On SQLite: planning holds no lock, and writing holds it so briefly that others wait."""
    outcomes = {}

    # Each person's save is a dekad report on a project of their own unit.
    codes = {"核对": "XHA-0001", "写入": "XHA-0005"}
    actions.do_create_project(
        campaign=plan,
        code="XHA-0005",
        name="港区物流中心",
        lead_unit=fgj_project.lead_unit,
        investment_yuan=YI,
        actor=office_clerk,
    )

    def report_and_login(name):
        try:
            other = Client()
            response = other.post(
                "/login/", {"username": fgj_reporter.username, "password": PASSWORD}
            )
            outcomes[name + " login"] = response.status_code
            response = other.post(
                "/projects/p/{}/report/".format(codes[name]),
                {"progress": "{}时填报".format(name), "investment_wan": "10"},
            )
            outcomes[name + " report"] = response.status_code
        finally:
            connections.close_all()

    real_prepare = ProjectImporter.prepare
    threads = []

    def prepare_with_someone_else(importer, rows):
        # While the sheet is checked: the other person's requests finish before the
        # import goes on, so they cannot have waited for it to let go of a lock.
        thread = threading.Thread(target=report_and_login, args=("核对",))
        thread.start()
        thread.join()
        return real_prepare(importer, rows)

    real_write = bulk._write_project_updates

    def write_with_someone_else(*args, **kwargs):
        # Inside the import's transaction: the other person's writes wait for it.
        thread = threading.Thread(target=report_and_login, args=("写入",))
        thread.start()
        threads.append(thread)
        return real_write(*args, **kwargs)

    client = login(office_clerk)
    form = preview(client, changed_sheet())
    monkeypatch.setattr(ProjectImporter, "prepare", prepare_with_someone_else)
    monkeypatch.setattr(bulk, "_write_project_updates", write_with_someone_else)
    url = client.post("/projects/import/apply/", form).url
    for thread in threads:
        thread.join()
    assert outcomes == {
        "核对 login": 302,
        "核对 report": 302,
        "写入 login": 302,
        "写入 report": 302,
    }
    assert DekadReport.objects.filter(progress="核对时填报", project=fgj_project).exists()
    assert DekadReport.objects.filter(progress="写入时填报", project__code="XHA-0005").exists()
    assert Project.objects.filter(code="XHA-3001").exists()
    assert 'data-state="applied"' in client.get(url).content.decode()


def test_a_job_whose_upload_is_gone_or_that_breaks_says_nothing_was_saved(
    login, office_clerk, fgj_project, plan, monkeypatch
):
    client = login(office_clerk)
    gone = Job.objects.create(
        kind="projects", owner=office_clerk, token="x" * 32, params={"campaign": plan.code}
    )
    jobs.run_job(gone.pk)
    content = client.get("/jobs/{}/".format(gone.pk)).content.decode()
    assert 'data-state="failed"' in content and "上传的文件已不存在" in content

    def broken(importer, source):
        raise RuntimeError("cannot read")

    form = preview(client, changed_sheet()[:2])
    monkeypatch.setattr(ProjectImporter, "read", broken)
    content = client.get(client.post("/projects/import/apply/", form).url).content.decode()
    assert "导入时发生意外错误，未保存任何内容" in content
    assert "cannot read" not in content
    assert not Project.objects.filter(code="XHA-3001").exists()
    # A job runs once: a second delivery of the same job finds it finished.
    assert jobs.run_job(gone.pk) is None


# --- a big sheet is checked in a job too -------------------------------------------------


def hidden_fields(content):
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', content))


def upload(client, rows):
    file = make_workbook(rows)
    file.name = "项目表.xlsx"
    return client.post("/projects/import/", {"file": file})


def test_a_big_sheet_is_checked_in_a_job_whose_page_previews_it_and_applies_it(
    login, office_clerk, fgj_project, hdjd_project, plan, settings
):
    settings.VANGUARD_IMPORT_CHECK_IN_REQUEST_ROWS = 2
    client = login(office_clerk)
    response = upload(client, changed_sheet())
    assert response.status_code == 302 and JOB_URL.match(response.url), response
    check_url = response.url
    job = Job.objects.get(pk=JOB_URL.match(check_url).group(1))
    assert job.state == JobState.CHECKED and job.params["check"]
    # Checked only: nothing is written yet.
    assert not Project.objects.filter(code="XHA-3001").exists()
    content = client.get(check_url).content.decode()
    assert "导入项目：应用前核对" in content and "项目表.xlsx" in content
    assert 'data-count="create">新增 1<' in content
    assert 'data-count="update">修改 2<' in content
    assert 'data-row="2" data-action="create"' in content
    assert "海洋装备产业园（二期）" in content and "<del>海洋装备产业园</del>" in content
    assert 'id="apply-button"' in content and "应用 3 行" in content
    status = client.get(check_url + "status.json").json()
    assert status["checked"] and not status["applied"] and status["percent"] == 100
    assert client.get(check_url + "progress/")["HX-Refresh"] == "true"
    form = hidden_fields(content)
    assert form["token"] == job.token and form["filename"] == "项目表.xlsx"
    response = client.post("/projects/import/apply/", form)
    assert response.status_code == 302 and JOB_URL.match(response.url)
    assert response.url != check_url
    applied = client.get(response.url).content.decode()
    assert 'data-state="applied"' in applied and "导入已完成" in applied
    assert Project.objects.get(code="XHA-3001").investment_yuan == 2 * YI
    assert Project.objects.get(code="XHA-0001").name == "海洋装备产业园（二期）"
    # Applied: the check's page still reads, but offers no second apply.
    again = client.get(check_url).content.decode()
    assert 'id="apply-button"' not in again and "上传的文件已失效" in again


def test_a_small_sheet_is_still_previewed_in_the_request(
    login, office_clerk, fgj_project, plan, settings
):
    settings.VANGUARD_IMPORT_CHECK_IN_REQUEST_ROWS = 5
    client = login(office_clerk)
    response = upload(client, changed_sheet()[:3])
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="apply-button"' in content and 'data-count="create">新增 1<' in content
    assert not Job.objects.exists()


def test_someone_else_cannot_see_or_apply_a_check_job(
    login, office_clerk, projects_member, fgj_project, plan, settings
):
    settings.VANGUARD_IMPORT_CHECK_IN_REQUEST_ROWS = 2
    owner = login(office_clerk)
    url = upload(owner, changed_sheet()).url
    form = hidden_fields(owner.get(url).content.decode())
    other = client_for(projects_member)
    for address in (url, url + "status.json", url + "progress/"):
        assert other.get(address).status_code == 404
    # Nor does the token serve anyone else: the upload is the owner's.
    response = other.post("/projects/import/apply/", form)
    assert response.status_code == 302 and response.url == "/projects/import/"
    assert not Project.objects.filter(code="XHA-3001").exists()
    assert Job.objects.count() == 1


def test_a_big_sheet_with_errors_shows_them_located_and_offers_no_apply(
    login, office_clerk, fgj_project, plan, settings
):
    settings.VANGUARD_IMPORT_CHECK_IN_REQUEST_ROWS = 2
    client = login(office_clerk)
    rows = changed_sheet()[:3]
    rows[1] = ["XHA-3001", "新建项目", "没有这个单位", "很多", "2026-05-01"]
    response = upload(client, rows)
    assert response.status_code == 302
    content = client.get(response.url).content.decode()
    assert 'id="import-problems"' in content and 'data-count="error">有错误的行 1<' in content
    assert 'data-cell="C2"' in content and 'data-cell="D2"' in content
    assert "第2行" in content and "C列" in content
    assert 'id="apply-button"' not in content and "上传更正后的文件" in content
    assert not Project.objects.filter(code="XHA-3001").exists()


def test_a_check_job_whose_upload_is_gone_says_so(login, office_clerk, fgj_project, plan, settings):
    settings.VANGUARD_IMPORT_CHECK_IN_REQUEST_ROWS = 2
    client = login(office_clerk)
    job = Job.objects.create(
        kind="projects",
        owner=office_clerk,
        token="t" * 32,
        params={"check": True},
    )
    jobs.run_job(str(job.pk))
    content = client.get("/jobs/{}/".format(job.pk)).content.decode()
    assert 'data-state="failed"' in content and "上传的文件已不存在" in content


def test_a_running_check_shows_its_title_and_the_rows_checked(login, office_clerk, plan):
    client = login(office_clerk)
    job = Job.objects.create(
        kind="projects",
        owner=office_clerk,
        token="t" * 32,
        params={"check": True},
        state=JobState.RUNNING,
        phase=Phase.CHECKING,
        done=500,
        total=1000,
    )
    url = "/jobs/{}/".format(job.pk)
    content = client.get(url).content.decode()
    assert "导入项目：应用前核对" in content and 'hx-trigger="every 1s"' in content
    assert "正在核对：第 500 行，共 1000 行" in content
    status = client.get(url + "status.json").json()
    # Checking is the whole of a check job: half the rows is about half the bar.
    assert status["percent"] == 50 and not status["checked"]
