"""Changing a project's supporting units: on its page, through the API and by Excel import."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.exchange.workbooks import as_file, make_workbook, read_rows
from vanguard.accounts.tokens import do_create_token
from vanguard.audit.log import history_of
from vanguard.audit.models import ChangeEntry
from vanguard.exchange.xlsx import write_workbook
from vanguard.org.choices import UnitKind
from vanguard.org.models import Unit
from vanguard.projects.actions import do_update_project
from vanguard.projects.models import Project
from vanguard.projects.sheets.project_export import project_rows
from vanguard.projects.sheets.project_import import ProjectImporter


@pytest.fixture
def jsj(db):
    return Unit.objects.create(code="jsj", name="区住房和城乡建设局", kind=UnitKind.DEPARTMENT)


def supporting(project):
    return sorted(u.code for u in Project.objects.get(pk=project.pk).supporting_units.all())


def bearer(user):
    return {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(user.username)}


# --- the action --------------------------------------------------------------------------


def test_the_office_replaces_supporting_units_and_the_change_is_logged(
    fgj_project, hdjd, jsj, office_clerk
):
    project = do_update_project(
        fgj_project, actor=office_clerk, expected_version=1, supporting_units=[hdjd, jsj]
    )
    assert supporting(project) == ["hdjd", "jsj"]
    assert project.version == 2
    entry = history_of(project)[0]
    assert entry.before["supporting_units"] == []
    assert entry.after["supporting_units"] == sorted([hdjd.pk, jsj.pk])
    assert {f for f, _old, _new in entry.changed_fields()} == {"supporting_units", "version"}


def test_a_change_made_meanwhile_is_refused_not_overwritten(
    fgj_project, hdjd, jsj, office_clerk, projects_member
):
    do_update_project(fgj_project, actor=office_clerk, expected_version=1, supporting_units=[hdjd])
    with pytest.raises(ValidationError, match="XHA-0001"):
        do_update_project(
            fgj_project, actor=projects_member, expected_version=1, supporting_units=[jsj]
        )
    assert supporting(fgj_project) == ["hdjd"]


def test_the_lead_unit_cannot_also_be_a_supporting_unit(fgj_project, fgj, hdjd, office_clerk):
    with pytest.raises(ValidationError) as refused:
        do_update_project(fgj_project, actor=office_clerk, supporting_units=[hdjd, fgj])
    assert "区发展和改革局" in refused.value.message_dict["supporting_units"][0]
    assert supporting(fgj_project) == []


def test_the_same_units_again_change_nothing(fgj_project, hdjd, office_clerk):
    do_update_project(fgj_project, actor=office_clerk, supporting_units=[hdjd])
    entries = ChangeEntry.objects.count()
    project = do_update_project(fgj_project, actor=office_clerk, supporting_units=[hdjd.pk])
    assert project.version == 2
    assert ChangeEntry.objects.count() == entries


def test_a_unit_reporter_may_not_change_supporting_units(fgj_project, hdjd, fgj_reporter):
    with pytest.raises(PermissionDenied):
        do_update_project(fgj_project, actor=fgj_reporter, supporting_units=[hdjd])


# --- the page -----------------------------------------------------------------------------


def test_the_task_force_changes_supporting_units_from_the_project_page(
    login, projects_member, fgj_project, hdjd, jsj
):
    client = login(projects_member)
    detail = client.get("/projects/p/XHA-0001/").content.decode()
    assert "/projects/p/XHA-0001/supporting-units/" in detail
    page = client.get("/projects/p/XHA-0001/supporting-units/").content.decode()
    assert "黄岛街道" in page and 'name="supporting_units" value="{}"'.format(jsj.pk) in page
    response = client.post(
        "/projects/p/XHA-0001/supporting-units/",
        {"supporting_units": [hdjd.pk, jsj.pk], "version": 1, "reason": "调整保障分工"},
    )
    assert response.status_code == 302
    assert supporting(fgj_project) == ["hdjd", "jsj"]
    assert history_of(fgj_project)[0].reason == "调整保障分工"
    detail = client.get("/projects/p/XHA-0001/").content.decode()
    assert "黄岛街道、区住房和城乡建设局" in detail or "区住房和城乡建设局、黄岛街道" in detail


def test_a_stale_form_shows_an_error_and_keeps_the_other_change(
    login, office_clerk, fgj_project, hdjd, jsj
):
    do_update_project(fgj_project, actor=office_clerk, supporting_units=[jsj])
    response = login(office_clerk).post(
        "/projects/p/XHA-0001/supporting-units/", {"supporting_units": [hdjd.pk], "version": 1}
    )
    assert response.status_code == 200
    assert "XHA-0001" in response.content.decode()
    assert "alert-danger" in response.content.decode()
    assert supporting(fgj_project) == ["jsj"]


def test_the_form_does_not_offer_the_lead_unit(login, office_clerk, fgj_project, fgj, hdjd):
    client = login(office_clerk)
    page = client.get("/projects/p/XHA-0001/supporting-units/").content.decode()
    assert 'name="supporting_units" value="{}"'.format(fgj.pk) not in page
    response = client.post(
        "/projects/p/XHA-0001/supporting-units/", {"supporting_units": [fgj.pk], "version": 1}
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert supporting(fgj_project) == []


def test_reporters_and_leaders_neither_see_nor_open_the_form(
    login, fgj_reporter, leader, hdjd_reporter, fgj_project, hdjd
):
    client = login(fgj_reporter)
    assert "supporting-units" not in client.get("/projects/p/XHA-0001/").content.decode()
    assert client.get("/projects/p/XHA-0001/supporting-units/").status_code == 403
    response = client.post(
        "/projects/p/XHA-0001/supporting-units/", {"supporting_units": [hdjd.pk], "version": 1}
    )
    assert response.status_code == 403
    client.logout()
    assert login(leader).get("/projects/p/XHA-0001/supporting-units/").status_code == 403
    client.logout()
    assert login(hdjd_reporter).get("/projects/p/XHA-0001/supporting-units/").status_code == 404
    assert supporting(fgj_project) == []


# --- the API ------------------------------------------------------------------------------


def test_the_api_shows_and_replaces_supporting_units_with_a_version(
    client, office_clerk, fgj_reporter, fgj_project, hdjd, jsj
):
    body = client.get("/api/v1/projects/XHA-0001", **bearer(office_clerk)).json()
    assert body["supporting_units"] == [] and body["version"] == 1
    url = "/api/v1/projects/XHA-0001/supporting-units"
    response = client.put(
        url,
        {"units": ["jsj", "hdjd"], "version": 1},
        content_type="application/json",
        **bearer(office_clerk),
    )
    assert response.status_code == 200, response.json()
    assert response.json()["supporting_units"] == ["hdjd", "jsj"]
    assert response.json()["version"] == 2
    stale = client.put(
        url, {"units": [], "version": 1}, content_type="application/json", **bearer(office_clerk)
    )
    assert stale.status_code == 409 and "XHA-0001" in stale.json()["message"]
    unknown = client.put(
        url,
        {"units": ["nowhere"], "version": 2},
        content_type="application/json",
        **bearer(office_clerk),
    )
    assert unknown.status_code == 422
    assert "nowhere" in unknown.json()["fields"]["supporting_units"][0]
    refused = client.put(
        url, {"units": [], "version": 2}, content_type="application/json", **bearer(fgj_reporter)
    )
    assert refused.status_code == 403
    assert supporting(fgj_project) == ["hdjd", "jsj"]
    listed = client.get("/api/v1/projects", **bearer(fgj_reporter)).json()
    assert listed["items"][0]["supporting_units"] == ["hdjd", "jsj"]


# --- the Excel import ---------------------------------------------------------------------


def exported():
    headers, rows = project_rows(Project.objects.all())
    return read_rows(write_workbook([("项目", headers, rows)]))


def test_an_import_changes_the_supporting_units_of_an_existing_project(
    fgj_project, hdjd, jsj, office_clerk, plan
):
    do_update_project(fgj_project, actor=office_clerk, supporting_units=[hdjd])
    rows = exported()
    column = rows[0].index("服务保障单位")
    rows[1][column] = "区住房和城乡建设局、黄岛街道"
    importer = ProjectImporter(actor=office_clerk, campaign=plan)
    preview = importer.dry_run(as_file(rows))
    assert preview.ok, [str(p) for p in preview.problems]
    [row] = preview.rows
    assert row.action == "update"
    [change] = row.changes
    assert (change.field, change.label) == ("supporting_units", "服务保障单位")
    assert (change.before, change.after) == ("黄岛街道", "区住房和城乡建设局、黄岛街道")
    assert supporting(fgj_project) == ["hdjd"]  # a dry run writes nothing

    result = ProjectImporter(actor=office_clerk, campaign=plan).apply(as_file(rows))
    assert result.applied
    assert supporting(fgj_project) == ["hdjd", "jsj"]
    entry = history_of(fgj_project)[0]
    assert entry.after["supporting_units"] == sorted([hdjd.pk, jsj.pk])


def test_an_import_naming_the_same_units_in_another_order_changes_nothing(
    fgj_project, hdjd, jsj, office_clerk, plan
):
    do_update_project(fgj_project, actor=office_clerk, supporting_units=[hdjd, jsj])
    rows = exported()
    rows[1][rows[0].index("服务保障单位")] = "黄岛街道，区住房和城乡建设局"
    result = ProjectImporter(actor=office_clerk, campaign=plan).dry_run(as_file(rows))
    assert result.ok and result.rows[0].action == "unchanged"


def test_an_import_with_a_blank_cell_clears_the_supporting_units(
    fgj_project, hdjd, office_clerk, plan
):
    do_update_project(fgj_project, actor=office_clerk, supporting_units=[hdjd])
    rows = exported()
    rows[1][rows[0].index("服务保障单位")] = None
    result = ProjectImporter(actor=office_clerk, campaign=plan).apply(as_file(rows))
    assert result.applied and result.rows[0].changes[0].after == ""
    assert supporting(fgj_project) == []


def test_an_import_without_the_column_leaves_supporting_units_alone(
    fgj_project, hdjd, office_clerk, plan
):
    do_update_project(fgj_project, actor=office_clerk, supporting_units=[hdjd])
    file = make_workbook(
        [
            ["项目编号", "项目名称", "主责单位", "总投资（万元）"],
            ["XHA-0001", "新名", "区发展和改革局", 120000],
        ]
    )
    result = ProjectImporter(actor=office_clerk, campaign=plan).apply(file)
    assert result.applied
    assert supporting(fgj_project) == ["hdjd"]
