"""Lights and target progress through the API, scoped like the pages."""

from tests.supervision.conftest import day
from vanguard.accounts.tokens import do_create_token
from vanguard.projects.models import Milestone
from vanguard.supervision.lights import recompute


def bearer(user):
    return {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(user.username)}


def test_lights_list_worst_first_with_their_reason_in_words(
    client, leader, plan, fgj_project, hdjd_project
):
    Milestone.objects.filter(project=fgj_project, node__code="project_approval").update(
        planned_date=day("2026-03-02")
    )
    recompute(plan, today=day("2026-03-10"))
    body = client.get("/api/v1/lights?kind=project", **bearer(leader)).json()
    assert body["count"] == 2
    first = body["items"][0]
    assert (first["subject"], first["light"], first["reason"]) == ("XHA-0001", "red", "red_nodes")
    assert first["unit"] == "fgj" and first["text"]
    nodes = client.get("/api/v1/lights?kind=milestone&light=red", **bearer(leader)).json()
    assert [n["subject"] for n in nodes["items"]] == ["XHA-0001/project_approval"]


def test_a_reporter_sees_only_their_units_lights_and_history(
    client, fgj_reporter, plan, fgj_project, hdjd_project
):
    recompute(plan, today=day("2026-03-10"))
    body = client.get("/api/v1/lights?kind=project", **bearer(fgj_reporter)).json()
    assert [item["subject"] for item in body["items"]] == ["XHA-0001"]
    mine = client.get(
        "/api/v1/lights/project/{}/history".format(fgj_project.pk), **bearer(fgj_reporter)
    )
    assert mine.status_code == 200 and len(mine.json()) == 1
    theirs = client.get(
        "/api/v1/lights/project/{}/history".format(hdjd_project.pk), **bearer(fgj_reporter)
    )
    assert theirs.status_code == 404


def test_target_progress_counts_certified_facts_with_a_light(client, leader, plan, fgj_project):
    body = client.get("/api/v1/progress/projects?date=2026-06-30", **bearer(leader)).json()
    codes = [row["target"] for row in body]
    assert "projects-introduced-1e8-2026" in codes
    row = body[codes.index("projects-introduced-1e8-2026")]
    assert row["actual"] == 0 and row["expected"] is not None
    assert row["light"] == "red" and row["by_unit"] == []
