"""The project list and the node matrix stay right while they read less: stage counts
and filter choices cached under a version that every project write changes."""

import re

from tests.projects.conftest import MARCH_5
from vanguard.projects.actions import (
    do_create_project,
    do_create_projects,
    do_set_stage,
    do_update_project,
)
from vanguard.projects.choices import YI, Stage


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
