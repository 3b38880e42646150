"""Counting certified facts against the targets, and the monthly progress chart's data."""

import datetime

import pytest

from vanguard.core.money import YI
from vanguard.projects.actions import (
    do_certify_reports,
    do_create_project,
    do_set_stage,
    do_submit_report,
    do_update_project,
)
from vanguard.projects.choices import Stage
from vanguard.projects.models import StageChange
from vanguard.projects.progress import certified_as_of, progress_chart, target_progress

MAY_6 = datetime.date(2026, 5, 6)


@pytest.fixture
def started_in_april(plan, fgj, hdjd, office_clerk, fgj_reporter, hdjd_reporter, projects_member):
    """Three projects start in April; the two of one unit are certified, the third is not."""
    made = []
    for code, unit, reporter, size in [
        ("A-1", fgj, fgj_reporter, 60 * YI),
        ("A-2", fgj, fgj_reporter, 2 * YI),
        ("A-3", hdjd, hdjd_reporter, 3 * YI),
    ]:
        project = do_create_project(
            campaign=plan,
            code=code,
            name=code,
            lead_unit=unit,
            investment_yuan=size,
            actor=office_clerk,
        )
        report = do_submit_report(
            project,
            actor=reporter,
            period="2026-04-D3",
            progress="开工",
            stage_reached=Stage.STARTED,
            stage_date=datetime.date(2026, 4, 25),
            today=MAY_6,
        )
        made.append(report)
    do_certify_reports(made[:2], actor=projects_member, today=datetime.date(2026, 4, 30))
    return made


def by_code(rows):
    return {row.target.code: row for row in rows}


def test_only_certified_starts_count_and_they_count_in_their_certification_period(
    started_in_april, leader
):
    rows = by_code(target_progress(started_in_april[0].project.campaign, leader, MAY_6))
    year = rows["projects-started-2026"]
    assert year.actual == 2  # the uncertified third start does not count
    assert year.by_unit == [("fgj", "区发展和改革局", 2)]
    # Starting implies introduction: both count as introduced, one of them ≥50亿.
    assert rows["projects-introduced-1e8-2026"].actual == 2
    assert rows["projects-introduced-5e9-2026"].actual == 1
    # Nothing was certified in the first quarter.
    assert rows["projects-started-2026-q1"].actual == 0


def test_the_gap_is_measured_against_todays_checkpoint(started_in_april, leader):
    rows = by_code(target_progress(started_in_april[0].project.campaign, leader, MAY_6))
    year = rows["projects-started-2026"]
    assert year.expected > 257  # the Q1 pin of 257 has passed
    assert year.gap == (year.expected - 2).quantize(1)
    assert year.remaining == 598


def test_a_reporter_counts_only_their_own_units_projects(started_in_april, hdjd_reporter):
    rows = by_code(target_progress(started_in_april[0].project.campaign, hdjd_reporter, MAY_6))
    assert rows["projects-started-2026"].actual == 0


def test_the_monthly_chart_accumulates_certified_starts_against_checkpoints(
    started_in_april, leader
):
    data = progress_chart(started_in_april[0].project.campaign, leader, MAY_6)
    assert data["months"] == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
    assert data["started"]["actual"] == [0, 0, 0, 2, 2]
    assert data["started"]["checkpoint"][2] == 257.0
    assert data["units"] == ["区发展和改革局"]
    assert data["unit_started"] == [2]
    assert sum(data["size_started"]) == 2


def test_the_progress_page_and_its_excel_match_the_certified_data(started_in_april, login, leader):
    import io

    from openpyxl import load_workbook

    client = login(leader)
    content = client.get("/projects/progress/?month=2026-05").content.decode()
    assert "progress-data" in content and "projects-started-2026" in content
    response = client.get("/projects/progress/export.xlsx?month=2026-05")
    book = load_workbook(io.BytesIO(response.content))
    monthly = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert [row[3] for row in monthly] == [0, 0, 0, 2, 2]
    units = list(book.worksheets[2].iter_rows(min_row=2, values_only=True))
    assert units == [("区发展和改革局", 2, 2)]


def test_counts_kept_between_visits_follow_each_certification_and_change_of_unit(
    started_in_april, leader, hdjd, projects_member, office_clerk
):
    # Readers of every unit share counts kept under the projects' version: the next
    # certification, and a project moved to another lead unit, show at once.
    campaign = started_in_april[0].project.campaign
    assert by_code(target_progress(campaign, leader, MAY_6))["projects-started-2026"].actual == 2
    assert progress_chart(campaign, leader, MAY_6)["started"]["actual"][-1] == 2
    do_certify_reports(started_in_april[2:], actor=projects_member, today=MAY_6)
    year = by_code(target_progress(campaign, leader, MAY_6))["projects-started-2026"]
    assert year.actual == 3
    assert progress_chart(campaign, leader, MAY_6)["started"]["actual"][-1] == 3

    do_update_project(started_in_april[0].project, actor=office_clerk, lead_unit=hdjd)
    year = by_code(target_progress(campaign, leader, MAY_6))["projects-started-2026"]
    assert [(code, n) for code, _name, n in year.by_unit] == [("hdjd", 2), ("fgj", 1)]
    assert progress_chart(campaign, leader, MAY_6)["unit_started"] == [2, 1]


def test_the_page_ranks_the_first_units_and_says_how_many_there_are(
    started_in_april, login, leader, monkeypatch
):
    # A province ranks ten thousand lead units: the page's chart shows the first ones
    # and says of how many; the Excel workbook keeps every unit.
    from vanguard.projects.views import progress

    campaign = started_in_april[0].project.campaign
    data = progress_chart(campaign, leader, MAY_6, units=1)
    assert (data["units"], data["units_ranked"]) == (["区发展和改革局"], 1)
    monkeypatch.setattr(progress, "CHART_UNITS", 0)
    response = login(leader).get("/projects/progress/?month=2026-05")
    assert response.context["chart"]["units"] == []
    assert response.context["labels"]["units"] == "各主责单位（年初至今）：前 0 名，共 1 个单位"


def test_the_as_of_is_the_newest_stage_change_the_reader_sees(
    plan, fgj_project, hdjd_project, office_clerk, leader, fgj_reporter
):
    assert certified_as_of(plan, leader) is None
    do_set_stage(fgj_project, Stage.STARTED, on=datetime.date(2026, 3, 2), actor=office_clerk)
    do_set_stage(hdjd_project, Stage.STARTED, on=datetime.date(2026, 3, 3), actor=office_clerk)
    newest = {
        project: StageChange.objects.filter(project=project).latest("at").at
        for project in (fgj_project, hdjd_project)
    }
    assert certified_as_of(plan, leader) == max(newest.values())
    assert certified_as_of(plan, fgj_reporter) == newest[fgj_project]
