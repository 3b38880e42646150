"""The list, the certification queue and the progress chart stay right where they read
less: cached filter choices and stage counts, one dekad per queue page, year-to-date
ranges for the chart."""

import datetime
import re

import pytest

from tests.projects.conftest import MARCH_5
from vanguard.core.money import YI
from vanguard.org.choices import UnitKind
from vanguard.org.models import Unit
from vanguard.projects.actions import (
    do_create_project,
    do_create_projects,
    do_set_stage,
    do_submit_report,
    do_update_project,
)
from vanguard.projects.choices import ReportStatus, Stage
from vanguard.projects.models import DekadReport
from vanguard.projects.progress import progress_chart


def unit_options(content):
    """The lead units offered by the list's drop-down, as (code, name)."""
    select = content.split('id="f-unit"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]+)" ?[^>]*>([^<]*)</option>', select)


def counts(response):
    return {str(label): n for label, n in response.context["stage_counts"]}


def test_the_filters_and_stage_counts_follow_every_project_write(
    login, leader, plan, fgj, hdjd, office_clerk, fgj_project
):
    client = login(leader)
    response = client.get("/projects/")
    assert unit_options(response.content.decode()) == [("fgj", "区发展和改革局")]
    assert counts(response)["洽谈"] == 1
    assert response.context["sectors"] == []

    do_create_project(
        campaign=plan,
        code="XHA-0002",
        name="黄岛老城区更新",
        lead_unit=hdjd,
        investment_yuan=3 * YI,
        actor=office_clerk,
    )
    response = client.get("/projects/")
    assert [code for code, _name in unit_options(response.content.decode())] == ["fgj", "hdjd"]
    assert counts(response)["洽谈"] == 2

    do_update_project(fgj_project, actor=office_clerk, lead_unit=hdjd, sector="先进制造")
    response = client.get("/projects/")
    assert unit_options(response.content.decode()) == [("hdjd", "黄岛街道")]
    assert response.context["sectors"] == ["先进制造"]

    do_set_stage(fgj_project, Stage.STARTED, on=MARCH_5, actor=office_clerk)
    response = client.get("/projects/")
    assert counts(response)["洽谈"] == 1
    assert counts(response)["开工"] == 1


def test_the_chosen_unit_stays_selected_in_the_cached_drop_down(
    login, leader, fgj_project, hdjd_project
):
    client = login(leader)
    client.get("/projects/")
    content = client.get("/projects/?unit=hdjd").content.decode()
    assert '<option value="hdjd" selected>黄岛街道</option>' in content
    assert '<option value="fgj" >区发展和改革局</option>' in content
    assert "XHA-0001" not in content.split("<tbody>", 1)[1]


def test_a_reporter_is_offered_only_their_units_after_a_leader_filled_the_cache(
    client, login, leader, fgj_reporter, fgj_project, hdjd_project
):
    login(leader).get("/projects/")
    client.logout()
    content = login(fgj_reporter).get("/projects/").content.decode()
    assert unit_options(content) == [("fgj", "区发展和改革局")]


def test_the_pager_counts_every_project_unfiltered_and_only_the_matching_ones_filtered(
    login, leader, plan, fgj, hdjd, office_clerk
):
    do_create_projects(
        [
            {
                "campaign": plan,
                "code": "XHA-{:04d}".format(i),
                "name": "项目{}".format(i),
                "lead_unit": fgj if i % 2 else hdjd,
                "investment_yuan": YI,
            }
            for i in range(1, 62)
        ],
        actor=office_clerk,
    )
    client = login(leader)
    page = client.get("/projects/?page=2").context["page"]
    assert (page.paginator.count, page.paginator.num_pages, len(page)) == (61, 2, 11)
    page = client.get("/projects/?unit=fgj").context["page"]
    assert (page.paginator.count, page.paginator.num_pages) == (31, 1)


@pytest.fixture
def two_dekads_waiting(plan, fgj, hdjd, office_clerk, fgj_reporter, hdjd_reporter):
    """Reports waiting for the first and second dekads of March, of two units."""
    reports = {}
    for code, unit, reporter in [("Q-1", hdjd, hdjd_reporter), ("Q-2", fgj, fgj_reporter)]:
        project = do_create_project(
            campaign=plan,
            code=code,
            name=code,
            lead_unit=unit,
            investment_yuan=2 * YI,
            actor=office_clerk,
        )
        for period, today in [("2026-03-D1", MARCH_5), ("2026-03-D2", datetime.date(2026, 3, 12))]:
            reports[code, period] = do_submit_report(
                project, actor=reporter, period=period, progress="推进中", today=today
            )
    return reports


def queue_rows(response):
    return [(r.period, r.project.code) for r in response.context["page"]]


def test_the_queue_shows_the_oldest_waiting_dekad_and_offers_the_others(
    login, projects_member, two_dekads_waiting
):
    client = login(projects_member)
    response = client.get("/projects/certification/")
    # Within a dekad, reports come by unit, then project.
    assert queue_rows(response) == [("2026-03-D1", "Q-2"), ("2026-03-D1", "Q-1")]
    assert response.context["periods"] == [
        ("2026-03-D1", "2026年3月上旬"),
        ("2026-03-D2", "2026年3月中旬"),
    ]
    assert "2026年3月上旬" in response.content.decode()
    assert response.context["page"].paginator.count == 2
    assert '<option value="2026-03-D2" >' in response.content.decode()
    response = client.get("/projects/certification/?period=2026-03-D2")
    assert queue_rows(response) == [("2026-03-D2", "Q-2"), ("2026-03-D2", "Q-1")]
    assert "period=2026-03-D2" in response.context["pager_qs"]


def test_certifying_a_whole_dekad_moves_the_queue_on_to_the_next(
    login, projects_member, two_dekads_waiting
):
    client = login(projects_member)
    first = [r.pk for (_code, period), r in two_dekads_waiting.items() if period == "2026-03-D1"]
    response = client.post(
        "/projects/certification/",
        {
            "report": first,
            "action": "certify",
            "next": "/projects/certification/?period=2026-03-D1",
        },
    )
    assert response.status_code == 302
    assert set(DekadReport.objects.filter(pk__in=first).values_list("status", flat=True)) == {
        ReportStatus.CERTIFIED
    }
    response = client.get(response.url)
    assert response.context["periods"] == [("2026-03-D2", "2026年3月中旬")]
    assert queue_rows(response) == [("2026-03-D2", "Q-2"), ("2026-03-D2", "Q-1")]


def test_an_empty_queue_says_nothing_is_waiting(login, projects_member, plan):
    response = login(projects_member).get("/projects/certification/")
    assert response.context["periods"] == []
    assert "暂无待认定的旬报。" in response.content.decode()


def test_the_chart_counts_the_year_to_date_only_and_ranks_ties_by_unit_name(
    plan, fgj, hdjd, office_clerk, leader
):
    first = Unit.objects.create(code="yhdw", name="一号单位", kind=UnitKind.DEPARTMENT)
    for code, unit, size, on in [
        ("C-1", fgj, 2 * YI, datetime.date(2025, 12, 20)),  # last year: not counted
        ("C-2", hdjd, 2 * YI, datetime.date(2026, 2, 10)),
        ("C-3", first, 2 * YI, datetime.date(2026, 2, 11)),
        ("C-4", fgj, 60 * YI, datetime.date(2026, 3, 2)),
        ("C-5", fgj, YI // 2, datetime.date(2026, 4, 2)),  # after March: not counted
    ]:
        project = do_create_project(
            campaign=plan,
            code=code,
            name=code,
            lead_unit=unit,
            investment_yuan=size,
            actor=office_clerk,
        )
        do_set_stage(project, Stage.STARTED, on=on, actor=office_clerk)
    data = progress_chart(plan, leader, datetime.date(2026, 3, 15))
    assert data["started"]["actual"] == [0, 2, 3]
    assert data["introduced"]["actual"] == [0, 2, 3]
    # One start each; the tie goes by name (一号单位 sorts first, though created last).
    assert data["units"] == ["一号单位", "区发展和改革局", "黄岛街道"]
    assert data["unit_started"] == [1, 1, 1]
    assert data["size_started"] == [0, 2, 1]

    data = progress_chart(plan, leader, datetime.date(2026, 4, 30))
    assert data["started"]["actual"] == [0, 2, 3, 4]
    # The start below 1亿 counts by size, not toward the ranking of introductions.
    assert data["introduced"]["actual"] == [0, 2, 3, 3]
    assert data["size_introduced"] == [1, 2, 1]
    assert data["units"][0] == "区发展和改革局"
    assert (data["unit_introduced"][0], data["unit_started"][0]) == (1, 2)


def test_the_queue_offers_only_dekads_with_waiting_reports_and_skips_the_gaps(
    login, projects_member, hdjd_reporter, two_dekads_waiting
):
    # A report of May waits too; April has none. Each dekad from the oldest waiting
    # report to the newest is looked up, and only those with a report are offered.
    project = two_dekads_waiting["Q-1", "2026-03-D1"].project
    do_submit_report(
        project,
        actor=hdjd_reporter,
        period="2026-05-D2",
        progress="推进中",
        today=datetime.date(2026, 5, 15),
    )
    response = login(projects_member).get("/projects/certification/")
    assert [label for label, _text in response.context["periods"]] == [
        "2026-03-D1",
        "2026-03-D2",
        "2026-05-D2",
    ]
    # A unit's filter narrows the dekads offered to that unit's.
    response = login(projects_member).get("/projects/certification/?unit=fgj")
    assert [label for label, _text in response.context["periods"]] == ["2026-03-D1", "2026-03-D2"]


def test_a_dekad_with_more_reports_than_the_pages_hold_says_so(
    login, projects_member, two_dekads_waiting, monkeypatch
):
    # A province's dekad holds hundreds of thousands: the queue counts up to its pages.
    from vanguard.projects.views import certification

    client = login(projects_member)
    assert "本旬待认定旬报 2 份。" in client.get("/projects/certification/").content.decode()
    monkeypatch.setattr(certification, "PAGE_SIZE", 1)
    monkeypatch.setattr(certification, "QUEUE_PAGES", 1)
    response = client.get("/projects/certification/")
    assert queue_rows(response) == [("2026-03-D1", "Q-2")]
    assert response.context["page"].paginator.num_pages == 1
    assert "本旬待认定的旬报超过 1 份；列表显示最早的 1 份" in response.content.decode()
