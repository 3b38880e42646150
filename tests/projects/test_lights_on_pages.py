"""Status lights where users read them: the list, the matrix, the project and the targets."""

import datetime

from django.utils import timezone

from vanguard.projects.actions import do_set_milestone_plan
from vanguard.supervision.lights import recompute


def test_an_overdue_node_shows_red_on_the_list_and_the_light_filter_finds_it(
    login, leader, fgj_project, hdjd_project, office_clerk, plan
):
    today = timezone.localdate()
    do_set_milestone_plan(
        fgj_project, {"land_use": today - datetime.timedelta(days=5)}, actor=office_clerk
    )
    recompute(plan, today)
    client = login(leader)
    content = client.get("/projects/?light=red").content.decode()
    assert "XHA-0001" in content and "XHA-0002" not in content
    assert "vg-light-red" in content
    detail = client.get("/projects/p/XHA-0001/").content.decode()
    assert "2 个关键节点逾期" in detail  # approval (Feb 10) and land use
    matrix = client.get("/projects/matrix/").content.decode()
    assert "vg-node-overdue" in matrix


def test_a_node_due_within_three_working_days_shows_yellow_in_the_matrix(
    login, leader, fgj_project, office_clerk, plan
):
    today = timezone.localdate()
    do_set_milestone_plan(fgj_project, {"land_use": today}, actor=office_clerk)
    recompute(plan, today)
    assert "vg-node-due_soon" in login(leader).get("/projects/matrix/").content.decode()


def test_each_target_on_the_progress_page_has_a_light(login, leader, plan):
    content = login(leader).get("/projects/progress/").content.decode()
    assert content.count("vg-light vg-light-") >= 6
