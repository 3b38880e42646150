"""三员分立: the system, security and audit administrators cannot do each other's work."""

import pytest

from vanguard.audit.models import ChangeEntry
from vanguard.org.choices import Role
from vanguard.org.models import Person, RoleAssignment


@pytest.fixture
def person(fgj_reporter):
    return Person.objects.get(user=fgj_reporter)


def test_the_system_administrator_edits_people_and_the_change_is_logged(login, sysadmin, person):
    client = login(sysadmin)
    url = "/admin/org/person/{}/change/".format(person.pk)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "user": person.user_id,
            "name": "张填报",
            "unit": person.unit_id,
            "post": "副科长",
            "phone": "13900000000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.post == "副科长"
    entry = ChangeEntry.objects.get(object_id=str(person.pk), action="update")
    assert entry.before["post"] == "科员" and entry.after["post"] == "副科长"
    assert entry.actor == sysadmin


def test_the_system_administrator_cannot_assign_roles_or_read_the_log(login, sysadmin):
    client = login(sysadmin)
    assert client.get("/admin/org/roleassignment/").status_code == 403
    assert client.get("/admin/org/roleassignment/add/").status_code == 403
    assert client.get("/admin/audit/changeentry/").status_code == 403


def test_the_security_administrator_assigns_roles_but_cannot_edit_accounts(
    login, secadmin, person, hdjd
):
    client = login(secadmin)
    response = client.post(
        "/admin/org/roleassignment/add/",
        {"person": person.pk, "role": Role.UNIT_REPORTER, "unit": hdjd.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert RoleAssignment.objects.filter(person=person, unit=hdjd).exists()
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/org/person/").status_code == 403
    assert client.get("/admin/audit/changeentry/").status_code == 403


def test_the_audit_administrator_reads_the_log_and_changes_nothing(
    login, auditor, sysadmin, person
):
    client = login(auditor)
    assert client.get("/admin/audit/changeentry/").status_code == 200
    assert client.get("/admin/org/person/").status_code == 403
    assert client.get("/admin/org/roleassignment/").status_code == 403
    assert client.get("/admin/auth/user/").status_code == 403


def test_an_office_clerk_does_not_enter_the_admin(login, office_clerk):
    response = login(office_clerk).get("/admin/")
    assert response.status_code == 302


def test_the_system_administrator_looks_up_projects_but_cannot_edit_them_there(
    login, sysadmin, office_clerk, fgj
):
    import datetime

    from vanguard.org.models import Campaign
    from vanguard.projects.actions import do_create_project

    campaign = Campaign.objects.create(
        code="c",
        name="c",
        year=2026,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    project = do_create_project(
        campaign=campaign,
        code="P-1",
        name="项目",
        lead_unit=fgj,
        investment_yuan=1,
        actor=office_clerk,
    )
    client = login(sysadmin)
    assert client.get("/admin/projects/project/").status_code == 200
    response = client.get("/admin/projects/project/{}/change/".format(project.pk))
    assert response.status_code == 200
    assert 'name="name"' not in response.content.decode()
    assert client.get("/admin/projects/project/add/").status_code == 403
