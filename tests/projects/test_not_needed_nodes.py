"""A key node marked not needed (无需办理): no longer judged, shown as such, and undone."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vanguard.accounts.tokens import do_create_token
from vanguard.audit.log import history_of
from vanguard.projects.actions import (
    do_certify_reports,
    do_clear_milestone_not_needed,
    do_set_milestone_not_needed,
    do_submit_report,
)
from vanguard.projects.choices import MilestoneState
from vanguard.projects.lights import SubjectKind
from vanguard.projects.models import Milestone
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import lights_for, recompute

# fgj_project plans project approval for February 10th and land use for March 20th.
MARCH_25 = datetime.date(2026, 3, 25)


def node(project, code):
    return Milestone.objects.select_related("node").get(project=project, node__code=code)


def light_of(subject):
    kind = SubjectKind.MILESTONE if isinstance(subject, Milestone) else SubjectKind.PROJECT
    return lights_for(kind, [subject.pk])[subject.pk]


def bearer(user):
    return {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(user.username)}


# --- lights ---------------------------------------------------------------------------------


def test_overdue_nodes_marked_not_needed_are_green_and_stop_reddening_the_project(
    fgj_project, plan, office_clerk
):
    recompute(plan, today=MARCH_25)
    assert light_of(node(fgj_project, "land_use")).light == Light.RED
    assert light_of(fgj_project).light == Light.RED

    do_set_milestone_not_needed(
        node(fgj_project, "project_approval"), actor=office_clerk, reason="已并入园区整体立项"
    )
    recompute(plan, today=MARCH_25)
    approval = light_of(node(fgj_project, "project_approval"))
    assert (approval.light, approval.reason) == (Light.GREEN, "not_needed")
    assert light_of(fgj_project).light == Light.RED  # land use is still overdue

    do_set_milestone_not_needed(
        node(fgj_project, "land_use"), actor=office_clerk, reason="利用既有工业用地"
    )
    recompute(plan, today=MARCH_25)
    assert light_of(node(fgj_project, "land_use")).light == Light.GREEN
    assert light_of(fgj_project).light == Light.GREEN


def test_a_node_due_within_days_is_not_yellow_once_marked_not_needed(
    fgj_project, plan, projects_member
):
    march_19 = datetime.date(2026, 3, 19)
    do_set_milestone_not_needed(
        node(fgj_project, "project_approval"), actor=projects_member, reason="无需单独立项"
    )
    recompute(plan, today=march_19)
    assert light_of(node(fgj_project, "land_use")).light == Light.YELLOW
    do_set_milestone_not_needed(
        node(fgj_project, "land_use"), actor=projects_member, reason="利用既有工业用地"
    )
    recompute(plan, today=march_19)
    assert light_of(node(fgj_project, "land_use")).light == Light.GREEN
    assert light_of(fgj_project).light == Light.GREEN


def test_undoing_not_needed_makes_the_node_overdue_again(fgj_project, plan, office_clerk):
    land_use = node(fgj_project, "land_use")
    do_set_milestone_not_needed(land_use, actor=office_clerk, reason="利用既有工业用地")
    recompute(plan, today=MARCH_25)
    assert light_of(land_use).light == Light.GREEN

    restored = do_clear_milestone_not_needed(land_use, actor=office_clerk, reason="用地性质需调整")
    assert (restored.state, restored.not_needed_reason) == (MilestoneState.PENDING, "")
    recompute(plan, today=MARCH_25)
    assert light_of(land_use).light == Light.RED


def test_marking_and_undoing_recompute_the_lights_once_committed(
    fgj_project, plan, office_clerk, django_capture_on_commit_callbacks
):
    recompute(plan)
    land_use = node(fgj_project, "land_use")
    assert light_of(land_use).light == Light.RED  # March 20th has passed
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        do_set_milestone_not_needed(land_use, actor=office_clerk, reason="利用既有工业用地")
    assert len(callbacks) == 1
    assert light_of(land_use).light == Light.GREEN
    with django_capture_on_commit_callbacks(execute=True):
        do_clear_milestone_not_needed(land_use, actor=office_clerk)
    assert light_of(land_use).light == Light.RED


# --- the action's rules ---------------------------------------------------------------------


def test_the_mark_and_its_reason_are_logged(fgj_project, office_clerk):
    land_use = node(fgj_project, "land_use")
    do_set_milestone_not_needed(land_use, actor=office_clerk, reason="  利用既有工业用地 ")
    land_use.refresh_from_db()
    assert land_use.state == MilestoneState.NOT_NEEDED
    assert land_use.not_needed_reason == "利用既有工业用地"
    entry = history_of(land_use)[0]
    assert entry.reason == "利用既有工业用地" and entry.actor_name == "office"
    assert (entry.before["state"], entry.after["state"]) == ("pending", "not_needed")


def test_a_reason_is_required(fgj_project, office_clerk):
    with pytest.raises(ValidationError) as refused:
        do_set_milestone_not_needed(node(fgj_project, "land_use"), actor=office_clerk, reason=" ")
    assert "reason" in refused.value.message_dict
    assert node(fgj_project, "land_use").state == MilestoneState.PENDING


def test_a_unit_reporter_may_neither_mark_nor_undo(fgj_project, fgj_reporter, office_clerk):
    land_use = node(fgj_project, "land_use")
    with pytest.raises(PermissionDenied):
        do_set_milestone_not_needed(land_use, actor=fgj_reporter, reason="无需办理")
    do_set_milestone_not_needed(land_use, actor=office_clerk, reason="利用既有工业用地")
    with pytest.raises(PermissionDenied):
        do_clear_milestone_not_needed(land_use, actor=fgj_reporter)
    assert node(fgj_project, "land_use").state == MilestoneState.NOT_NEEDED


def test_a_second_mark_is_refused_and_keeps_the_first_reason(
    fgj_project, office_clerk, projects_member
):
    stale = node(fgj_project, "land_use")
    do_set_milestone_not_needed(node(fgj_project, "land_use"), actor=office_clerk, reason="甲")
    with pytest.raises(ValidationError, match="甲"):
        do_set_milestone_not_needed(stale, actor=projects_member, reason="乙")
    assert node(fgj_project, "land_use").not_needed_reason == "甲"


def test_undoing_a_node_that_is_not_marked_is_refused(fgj_project, office_clerk):
    with pytest.raises(ValidationError, match="用地手续办理"):
        do_clear_milestone_not_needed(node(fgj_project, "land_use"), actor=office_clerk)


def test_a_done_node_cannot_be_marked_not_needed(
    fgj_project, office_clerk, fgj_reporter, projects_member
):
    report = do_submit_report(
        fgj_project,
        actor=fgj_reporter,
        progress="立项批复已取得",
        node_dates={"project_approval": datetime.date(2026, 2, 9)},
        today=datetime.date(2026, 2, 12),
    )
    do_certify_reports([report], actor=projects_member, today=datetime.date(2026, 2, 12))
    with pytest.raises(ValidationError, match="2026-02-09"):
        do_set_milestone_not_needed(
            node(fgj_project, "project_approval"), actor=office_clerk, reason="无需"
        )
    assert node(fgj_project, "project_approval").state == MilestoneState.DONE


# --- pages ------------------------------------------------------------------------------------


def test_the_office_marks_a_node_not_needed_on_its_page_and_every_view_shows_it(
    login, office_clerk, fgj_project, django_capture_on_commit_callbacks
):
    client = login(office_clerk)
    detail = client.get("/projects/p/XHA-0001/").content.decode()
    assert "/projects/p/XHA-0001/nodes/land_use/" in detail
    page = client.get("/projects/p/XHA-0001/nodes/land_use/").content.decode()
    assert "/projects/p/XHA-0001/nodes/land_use/not-needed/" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/projects/p/XHA-0001/nodes/land_use/not-needed/", {"reason": "利用既有工业用地"}
        )
    assert response.status_code == 302
    page = client.get("/projects/p/XHA-0001/nodes/land_use/").content.decode()
    assert "利用既有工业用地" in page and 'name="undo"' in page

    detail = client.get("/projects/p/XHA-0001/")
    html = detail.content.decode()
    assert '<tr class="vg-node-not_needed">' in html and "利用既有工业用地" in html
    chart = detail.context["chart"]
    index = chart["status"].index("not_needed")
    assert chart["nodes"][index] == "用地手续办理（无需办理）"

    matrix = client.get("/projects/matrix/")
    row = dict(matrix.context["rows"])[fgj_project]
    assert 'class="text-center small vg-node-not_needed" title="用地手续办理"' in row
    assert "无需办理" in matrix.content.decode()


def test_the_page_refuses_a_blank_reason_at_the_field(login, projects_member, fgj_project):
    response = login(projects_member).post(
        "/projects/p/XHA-0001/nodes/land_use/not-needed/", {"reason": ""}
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert node(fgj_project, "land_use").state == MilestoneState.PENDING


def test_the_task_force_undoes_not_needed_on_the_page(login, projects_member, fgj_project):
    do_set_milestone_not_needed(node(fgj_project, "land_use"), actor=projects_member, reason="甲")
    response = login(projects_member).post(
        "/projects/p/XHA-0001/nodes/land_use/not-needed/", {"undo": "1", "reason": "需办理"}
    )
    assert response.status_code == 302
    assert node(fgj_project, "land_use").state == MilestoneState.PENDING
    assert history_of(node(fgj_project, "land_use"))[0].reason == "需办理"


def test_a_reporter_sees_the_node_but_cannot_mark_it(
    login, client, fgj_reporter, hdjd_reporter, fgj_project
):
    own = login(fgj_reporter)
    page = own.get("/projects/p/XHA-0001/nodes/land_use/").content.decode()
    assert "用地手续办理" in page and "not-needed/" not in page
    response = own.post("/projects/p/XHA-0001/nodes/land_use/not-needed/", {"reason": "无需"})
    assert response.status_code == 403
    client.logout()
    other = login(hdjd_reporter)
    assert other.get("/projects/p/XHA-0001/nodes/land_use/").status_code == 404
    response = other.post("/projects/p/XHA-0001/nodes/land_use/not-needed/", {"reason": "无需"})
    assert response.status_code == 404
    assert node(fgj_project, "land_use").state == MilestoneState.PENDING


def test_the_report_form_does_not_ask_for_a_node_that_is_not_needed(
    login, office_clerk, fgj_reporter, fgj_project
):
    do_set_milestone_not_needed(node(fgj_project, "land_use"), actor=office_clerk, reason="甲")
    form = login(fgj_reporter).get("/projects/p/XHA-0001/report/").content.decode()
    assert 'name="node_project_approval"' in form
    assert 'name="node_land_use"' not in form


# --- the API ----------------------------------------------------------------------------------


def test_the_api_marks_and_undoes_not_needed(client, office_clerk, fgj_reporter, fgj_project):
    url = "/api/v1/projects/XHA-0001/milestones/land_use/not-needed"
    refused = client.post(
        url, {"reason": "无需"}, content_type="application/json", **bearer(fgj_reporter)
    )
    assert refused.status_code == 403
    blank = client.post(
        url, {"reason": ""}, content_type="application/json", **bearer(office_clerk)
    )
    assert blank.status_code == 422 and "reason" in blank.json()["fields"]
    response = client.post(
        url, {"reason": "利用既有工业用地"}, content_type="application/json", **bearer(office_clerk)
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "not_needed"
    assert response.json()["not_needed_reason"] == "利用既有工业用地"
    body = client.get("/api/v1/projects/XHA-0001", **bearer(fgj_reporter)).json()
    assert body["milestones"][1]["state"] == "not_needed"
    undone = client.delete(url + "?reason=需办理", **bearer(office_clerk))
    assert undone.status_code == 200 and undone.json()["state"] == "pending"
    assert client.delete(url, **bearer(office_clerk)).status_code == 422
    assert (
        client.post(
            "/api/v1/projects/XHA-0001/milestones/nothing/not-needed",
            {"reason": "无需"},
            content_type="application/json",
            **bearer(office_clerk),
        ).status_code
        == 404
    )


def test_a_node_just_marked_not_needed_shows_so_before_the_next_recompute(
    fgj_project, plan, office_clerk
):
    from vanguard.projects.queries import milestone_statuses

    recompute(plan, today=MARCH_25)
    approval = node(fgj_project, "project_approval")
    assert milestone_statuses([approval], MARCH_25)[approval.pk] == "overdue"
    do_set_milestone_not_needed(approval, actor=office_clerk, reason="已并入园区整体立项")
    approval = node(fgj_project, "project_approval")
    # The stored light is still red until the recompute runs; the state wins.
    assert milestone_statuses([approval], MARCH_25)[approval.pk] == "not_needed"
