"""The cockpit: every target's actual to date, checkpoint, gap, light and as-of time, who
lags, and what changed this week; the same figures in the API; a unit is not judged."""

import datetime
import re

import pytest

from vanguard.core.money import YI
from vanguard.projects.actions import do_create_project, do_set_stage
from vanguard.projects.choices import Stage
from vanguard.supervision.lights import recompute


@pytest.fixture
def started(plan, fgj, hdjd, office_clerk):
    """Three projects started in March, and one of Huangdao street whose approval is overdue."""
    for code, unit in (("S-1", fgj), ("S-2", fgj), ("S-3", hdjd)):
        project = do_create_project(
            campaign=plan, code=code, name=code, lead_unit=unit, investment_yuan=2 * YI,
            actor=office_clerk,
        )  # fmt: skip
        do_set_stage(project, Stage.STARTED, on=datetime.date(2026, 3, 2), actor=office_clerk)
    do_create_project(
        campaign=plan, code="R-1", name="逾期项目", lead_unit=hdjd, investment_yuan=2 * YI,
        actor=office_clerk, node_plans={"project_approval": datetime.date(2026, 2, 10)},
    )  # fmt: skip
    recompute(plan)


def row(page, code):
    match = re.search(r'<tr data-target="{}">(.*?)</tr>'.format(code), page, re.S)
    assert match, code
    return match.group(1)


def cell(row_html, name):
    return re.sub(
        r"<[^>]+>", " ", re.search(r'data-cell="{}">(.*?)</td>'.format(name), row_html, re.S)[1]
    )


def test_the_leader_sees_actual_gap_light_and_as_of_of_every_target(login, leader, started):
    page = login(leader).get("/").content.decode()
    year = row(page, "projects-started-2026")
    assert "3个" in cell(year, "actual")
    assert "数据截至" in page
    # Three of 600 by December: far behind the year's line, so red, with the gap in 个.
    assert "vg-light-red" in year
    assert "个" in cell(year, "gap")
    # The Q1 target is over and was missed: red, 254 short.
    q1 = row(page, "projects-started-2026-q1")
    assert "254" in cell(q1, "gap") and "vg-light-red" in q1
    # A tap on the figure leads to the certified counts behind it.
    assert 'href="/projects/progress/"' in year
    # A target nothing counts yet says so rather than showing a zero.
    assert "暂无数据" in cell(row(page, "key-sectors-not-below-guidance-2026-q1"), "actual")
    # The weekly work's targets count verified renewal projects: none yet.
    renewal = row(page, "renewal-implemented-2026")
    assert "0个" in cell(renewal, "actual") and 'href="/city/"' in renewal


def test_the_units_lagging_most_are_ranked_per_battle(login, leader, started, hdjd):
    page = login(leader).get("/").content.decode()
    lagging = re.search(r'data-lagging="projects">(.*?)</div>', page, re.S)[1]
    assert hdjd.name in lagging


def test_the_week_says_which_lights_turned_red(login, leader, started):
    page = login(leader).get("/").content.decode()
    week = re.search(r'id="week-changes">(.*?)</section>', page, re.S)[1]
    # The overdue project and its unit turned red.
    assert "2 个灯变红" in week


def test_a_unit_reporter_sees_targets_without_the_districts_actuals_or_lights(
    login, fgj_reporter, started
):
    page = login(fgj_reporter).get("/").content.decode()
    year = row(page, "projects-started-2026")
    assert 'data-cell="actual"' not in year and "vg-light" not in year
    assert 'id="week-changes"' not in page


def test_the_api_gives_each_target_where_it_stands(client, login, leader, fgj_reporter, started):
    targets = login(leader).get("/api/v1/targets?campaign=xihaian-2026&battle=projects").json()
    year = next(t for t in targets["items"] if t["code"] == "projects-started-2026")
    standing = year["standing"]
    assert float(standing["actual"]) == 3
    assert standing["light"] == "red"
    checkpoint, gap = float(standing["checkpoint"]), float(standing["gap"])
    assert checkpoint > 3 and gap == round(checkpoint - 3)
    assert standing["as_of"] and standing["source"]

    client.logout()
    one = login(fgj_reporter).get("/api/v1/targets/xihaian-2026/projects-started-2026").json()
    assert one["standing"] is None


def test_the_cockpit_api_gives_standings_lagging_units_and_changes(
    client, login, leader, fgj_reporter, hdjd, started
):
    cockpit = login(leader).get("/api/v1/cockpit").json()
    projects = next(b for b in cockpit["battles"] if b["code"] == "projects")
    year = next(t for t in projects["targets"] if t["code"] == "projects-started-2026")
    assert year["actual"] == 3 and year["light"] == "red" and year["as_of"]
    assert projects["lagging_units"][0]["unit"] == hdjd.name
    assert cockpit["changes"]["turned_red"] == 2

    client.logout()
    refused = login(fgj_reporter).get("/api/v1/cockpit")
    assert refused.status_code == 403 and "message" in refused.json()


def test_the_recompute_job_makes_the_overviews_figures_before_a_reader_asks(
    login, leader, projects_member, plan, started, monkeypatch
):
    # With a cache the web processes share, the job that recomputed the lights also
    # makes what the overview and the project pages keep, so the first reader after a
    # write finds them made; with a cache of one process it leaves them alone.
    from vanguard.board import cockpit as cockpit_module
    from vanguard.projects import progress
    from vanguard.supervision import tasks

    made = []
    real = cockpit_module._unit_ranking
    monkeypatch.setattr(
        cockpit_module, "_unit_ranking", lambda *args: made.append(args) or real(*args)
    )
    monkeypatch.setattr(tasks, "_shared_cache", lambda: False)
    tasks.recompute_lights.call_local(plan.pk)
    assert made == []
    monkeypatch.setattr(tasks, "_shared_cache", lambda: True)
    tasks.recompute_lights.call_local(plan.pk)
    # Readers of every unit, and the task force's member, whose scope is their battle.
    assert len(made) == 2
    counted = []
    monkeypatch.setattr(progress, "_chart_counts", lambda *args: counted.append(args) or {})
    page = login(leader).get("/")
    assert page.status_code == 200 and len(made) == 2
    assert "2 个灯变红" in page.content.decode()
    page = login(projects_member).get("/")
    assert page.status_code == 200 and len(made) == 2
    response = login(leader).get("/projects/progress/")
    assert response.status_code == 200 and counted == []
    # The list's lead-unit drop-down is made too.
    rendered = []
    monkeypatch.setattr(
        "vanguard.projects.views.projects.render_to_string",
        lambda *args, **kwargs: rendered.append(args) or "",
    )
    response = login(leader).get("/projects/")
    assert response.status_code == 200 and rendered == []


def test_a_failing_maker_of_kept_figures_leaves_the_lights_stored(plan, started, monkeypatch):
    from vanguard.supervision import tasks

    def broken(campaign):
        raise RuntimeError("cache down")

    monkeypatch.setattr(tasks, "_shared_cache", lambda: True)
    monkeypatch.setattr(tasks, "AFTER_RECOMPUTE", [broken])
    assert tasks.recompute_lights.call_local(plan.pk) == 0


def test_the_cockpit_keeps_the_projects_standings_and_shows_a_certified_start_at_once(
    login, leader, started, plan, fgj, fgj_reporter, projects_member, office_clerk
):
    """The next visit counts no project again; a start certified through the API, and a
    stage the office sets back, show on the next."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from vanguard.accounts.tokens import do_create_token

    do_create_project(
        campaign=plan, code="S-4", name="S-4", lead_unit=fgj, investment_yuan=2 * YI,
        actor=office_clerk,
    )  # fmt: skip
    page = login(leader)

    def started_this_year():
        return cell(row(page.get("/").content.decode(), "projects-started-2026"), "actual")

    assert "3个" in started_this_year()
    with CaptureQueriesContext(connection) as again:
        assert "3个" in started_this_year()
    assert not [q for q in again.captured_queries if "started_certified_on" in q["sql"]]

    def api(user):
        return Client(HTTP_AUTHORIZATION="Bearer " + do_create_token(user.username))

    filed = api(fgj_reporter).post(
        "/api/v1/projects/S-4/reports",
        {"progress": "主体开工", "stage_reached": "started", "stage_date": "2026-12-01"},
        content_type="application/json",
    )
    assert filed.status_code == 201, filed.content.decode()
    certified = api(projects_member).post(
        "/api/v1/reports/certify", {"ids": [filed.json()["id"]]}, content_type="application/json"
    )
    assert certified.status_code == 200, certified.content.decode()
    assert "4个" in started_this_year()

    from vanguard.projects.models import Project

    do_set_stage(
        Project.objects.get(code="S-1"), Stage.INTRODUCED, on=datetime.date(2026, 3, 2),
        actor=office_clerk, reason="录入有误",
    )  # fmt: skip
    assert "3个" in started_this_year()
