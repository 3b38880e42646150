"""Lights follow the projects written, each page says how fresh its figures are, a unit
is not judged against the district's targets, and an account without access is told so."""

import datetime
import json
import re

import pytest

from tests.conftest import make_person
from tests.exchange.workbooks import make_workbook
from vanguard.core.money import YI
from vanguard.org.choices import Role
from vanguard.projects.actions import do_create_project, do_set_stage
from vanguard.projects.choices import Stage
from vanguard.projects.lights import SubjectKind
from vanguard.supervision.lights import lights_for, recompute
from vanguard.supervision.models import LightState

NO_ACCESS = "您的账号尚未分配数据权限，请联系办公室"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def started(plan, fgj, hdjd, office_clerk):
    """Two projects of the development bureau and one of Huangdao street, started this year."""
    made = []
    for code, unit in (("S-1", fgj), ("S-2", fgj), ("S-3", hdjd)):
        project = do_create_project(
            campaign=plan, code=code, name=code, lead_unit=unit, investment_yuan=2 * YI,
            actor=office_clerk, node_plans={"project_approval": datetime.date(2026, 2, 10)},
        )  # fmt: skip
        do_set_stage(project, Stage.STARTED, on=datetime.date(2026, 3, 2), actor=office_clerk)
        made.append(project)
    recompute(plan)
    return made


def as_of_line(page):
    return re.search(r'id="as-of">(.*?)</p>', page, re.S)[1]


def target_rows(page):
    return re.findall(r'<tr data-target="[^"]+">(.*?)</tr>', page, re.S)


def test_projects_imported_from_a_workbook_get_their_lights_once_it_commits(
    login, office_clerk, plan, fgj, django_capture_on_commit_callbacks
):
    client = login(office_clerk)
    sheet = make_workbook(
        [
            ["项目编号", "项目名称", "主责单位", "总投资（亿元）", "立项"],
            ["XHA-3001", "甲", "区发展和改革局", 2, "2026-01-05"],
            ["XHA-3002", "乙", "区发展和改革局", 3, "2026-01-06"],
        ]
    )
    sheet.name = "projects.xlsx"
    preview = client.post("/projects/import/", {"file": sheet})
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode())[1]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/projects/import/apply/", {"token": token, "campaign": plan.code})
    assert response.status_code == 302
    assert len(callbacks) == 1

    page = client.get("/projects/units/lights/").content.decode()
    assert 'data-unit="fgj" data-light="red"' in page  # its two projects' approvals are late
    assert "亮灯截至" in as_of_line(page)


def test_a_stage_set_by_the_office_recomputes_the_lights(
    plan, fgj, office_clerk, django_capture_on_commit_callbacks
):
    project = do_create_project(
        campaign=plan, code="S-9", name="S-9", lead_unit=fgj, investment_yuan=YI,
        actor=office_clerk, started_planned=datetime.date(2026, 1, 20),
    )  # fmt: skip
    recompute(plan)
    assert lights_for(SubjectKind.PROJECT, [project.pk])[project.pk].reason == "stage_far_late"
    with django_capture_on_commit_callbacks(execute=True):
        do_set_stage(project, Stage.STARTED, on=datetime.date(2026, 1, 20), actor=office_clerk)
    assert lights_for(SubjectKind.PROJECT, [project.pk])[project.pk].reason != "stage_far_late"


def test_the_leader_sees_the_districts_targets_with_lights_and_gaps(login, leader, started):
    page = login(leader).get("/projects/progress/?month=2026-03").content.decode()
    rows = target_rows(page)
    assert rows and any("vg-light" in row for row in rows)
    assert 'id="partial-view"' not in page
    chart = json.loads(re.search(r'id="progress-data"[^>]*>(.*?)</script>', page, re.S)[1])
    assert any(value is not None for value in chart["started"]["checkpoint"])


def test_a_reporter_sees_their_units_counts_without_the_districts_lights_or_gaps(
    login, fgj_reporter, started
):
    page = login(fgj_reporter).get("/projects/progress/?month=2026-03").content.decode()
    assert 'id="partial-view"' in page and "全区" in page
    rows = target_rows(page)
    assert rows
    assert not any("vg-light" in row for row in rows)
    gaps = [re.search(r'data-cell="gap">(.*?)</td>', row, re.S)[1] for row in rows]
    assert set(gaps) == {"—"}
    started_row = next(row for row in rows if "开工" in row)
    assert re.search(r'data-cell="certified">(\d+)</td>', started_row)[1] == "2"
    chart = json.loads(re.search(r'id="progress-data"[^>]*>(.*?)</script>', page, re.S)[1])
    assert set(chart["started"]["checkpoint"]) == {None}
    assert chart["started"]["target"] is None
    assert "数据截至" in as_of_line(page) and "尚无数据" not in as_of_line(page)


def test_a_reporters_progress_workbook_leaves_out_the_districts_checkpoints(
    login, fgj_reporter, started
):
    import io

    from openpyxl import load_workbook

    excel = login(fgj_reporter).get("/projects/progress/export.xlsx?month=2026-03")
    workbook = load_workbook(io.BytesIO(excel.content))
    targets = list(workbook.worksheets[0].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(targets) if "目标" in [str(c) for c in row])
    for row in targets[header + 1 :]:
        assert row[3] is None and row[5] is None  # checkpoint and gap
    notes = [c for row in workbook.worksheets[-1].iter_rows(values_only=True) for c in row if c]
    assert any("数据截至" in str(c) for c in notes)


@pytest.fixture(params=["no role", "an administrator role"])
def outsider(request, db):
    if request.param == "no role":
        return make_person("newcomer", "新同事")
    return make_person("keeper", "系统员", role=Role.SYSTEM_ADMIN)


@pytest.mark.parametrize(
    "url", ["/", "/projects/", "/projects/progress/", "/projects/units/lights/"]
)
def test_an_account_without_data_access_is_told_so(login, outsider, started, url):
    page = login(outsider).get(url).content.decode()
    assert NO_ACCESS in page
    assert "vg-light-red" not in page and "No projects match" not in page
    assert not target_rows(page) or url == "/"


@pytest.mark.parametrize(
    "url", ["/", "/projects/", "/projects/progress/", "/projects/units/lights/"]
)
def test_every_page_of_figures_states_the_moment_of_its_data(login, leader, started, url):
    page = login(leader).get(url).content.decode()
    line = as_of_line(page)
    assert "数据截至" in line and "尚无数据" not in line
    assert NO_ACCESS not in page


def test_the_lights_as_of_is_the_moment_of_the_last_recompute(login, leader, started, plan):
    from django.utils import timezone

    from vanguard.supervision.lights import last_recompute

    at = timezone.localtime(last_recompute(plan).at).strftime("%Y-%m-%d %H:%M")
    page = login(leader).get("/projects/").content.decode()
    assert "亮灯截至 {}".format(at) in as_of_line(page)


def test_a_reporter_sees_only_their_units_light(login, fgj_reporter, started):
    page = login(fgj_reporter).get("/projects/units/lights/").content.decode()
    assert 'data-unit="fgj"' in page and 'data-unit="hdjd"' not in page
    assert LightState.objects.filter(kind=SubjectKind.UNIT).count() == 2


def test_the_units_lights_come_a_page_at_a_time_worst_first(
    login, leader, started, plan, monkeypatch
):
    from vanguard.projects.views import progress

    monkeypatch.setattr(progress, "UNIT_LIGHTS_PAGE_SIZE", 1)
    client = login(leader)
    first = client.get("/projects/units/lights/").content.decode()
    second = client.get("/projects/units/lights/?page=2").content.decode()

    assert 'data-unit="fgj" data-light="red"' in first and 'data-unit="hdjd"' not in first
    assert 'data-unit="hdjd"' in second and 'data-unit="fgj"' not in second
    assert "第 1 页，共 2 页" in first
    # The next page keeps the campaign asked for.
    of_plan = client.get("/projects/units/lights/?campaign=" + plan.code).content.decode()
    assert "?campaign={}&amp;page=2".format(plan.code) in of_plan
