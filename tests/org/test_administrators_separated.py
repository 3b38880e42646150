"""三员分立 that holds: each attack the review made through the admin is refused or logged."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.conftest import PASSWORD, make_person
from vanguard.accounts.models import ApiToken
from vanguard.accounts.tokens import do_create_token
from vanguard.audit.models import ChangeEntry
from vanguard.org.choices import Role
from vanguard.org.models import Person, RoleAssignment


def browser(user, password=PASSWORD):
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": password})
    assert response.status_code == 302, response.content.decode()[:1000]
    return client


def password_url(user):
    return "/admin/auth/user/{}/password/".format(user.pk)


def reset(client, user):
    return client.post(password_url(user), {"confirm": "1"})


def one_time_password(response):
    return re.search(r'id="one-time-password">([^<]+)<', response.content.decode()).group(1)


# --- passwords ------------------------------------------------------------------------


def test_the_system_administrator_resets_a_users_password_to_a_one_time_password(
    sysadmin, office_clerk
):
    token = do_create_token(office_clerk.username)
    client = browser(sysadmin)
    page = client.get(password_url(office_clerk))
    assert page.status_code == 200
    assert 'name="password1"' not in page.content.decode()  # nobody chooses it for them

    response = reset(client, office_clerk)

    assert response.status_code == 200
    temporary = one_time_password(response)
    assert len(temporary) >= 12
    # The reset is in the change log, without the password.
    entry = ChangeEntry.objects.filter(object_id=str(office_clerk.pk)).latest("seq")
    assert entry.actor == sysadmin and entry.reason
    assert temporary not in str(entry.after)
    # Every token of the account is revoked.
    assert not ApiToken.objects.filter(user=office_clerk, revoked=False).exists()
    assert Client().get("/api/v1/units", HTTP_AUTHORIZATION="Bearer " + token).status_code == 401
    # The old password no longer works; the one-time password must be changed first.
    assert Client().post("/login/", {"username": "office", "password": PASSWORD}).status_code == 200
    office = browser(office_clerk, temporary)
    assert office.get("/org/units/")["Location"].startswith("/account/password/")
    changed = office.post(
        "/account/password/",
        {
            "old_password": temporary,
            "new_password1": "Qingdao-west-coast-plan",
            "new_password2": "Qingdao-west-coast-plan",
        },
    )
    assert changed.status_code == 302
    assert office.get("/org/units/").status_code == 200


@pytest.mark.parametrize("target", ["secadmin", "auditor", "sysadmin"])
def test_nobody_resets_an_administrators_password_in_the_admin(target, sysadmin, secadmin, auditor):
    user = {"secadmin": secadmin, "auditor": auditor, "sysadmin": sysadmin}[target]
    before = user.password
    client = browser(sysadmin)
    assert client.get(password_url(user)).status_code == 403
    assert reset(client, user).status_code == 403
    user.refresh_from_db()
    assert user.password == before


def test_the_system_administrator_cannot_edit_another_administrators_account(sysadmin, secadmin):
    client = browser(sysadmin)
    response = client.post(
        "/admin/auth/user/{}/change/".format(secadmin.pk),
        {"username": "secadmin", "is_active": "", "first_name": "", "last_name": "", "email": ""},
    )
    assert response.status_code == 403
    secadmin.refresh_from_db()
    assert secadmin.is_active


def test_everyone_changes_their_own_password_on_a_page(fgj_reporter):
    client = browser(fgj_reporter)
    assert client.get("/account/password/").status_code == 200
    weak = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert weak.status_code == 200
    response = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Huangdao-harbour-lights",
            "new_password2": "Huangdao-harbour-lights",
        },
    )
    assert response.status_code == 302
    assert browser(fgj_reporter, "Huangdao-harbour-lights")
    assert ChangeEntry.objects.filter(object_id=str(fgj_reporter.pk)).exists()


# --- roles ------------------------------------------------------------------------------


def add_role(client, person, role, **scope):
    return client.post(
        "/admin/org/roleassignment/add/", {"person": person.pk, "role": role, **scope}
    )


def test_the_security_administrator_cannot_give_himself_a_role(secadmin):
    me = Person.objects.get(user=secadmin)
    client = browser(secadmin)
    for role in (Role.OFFICE, Role.AUDIT_ADMIN):
        response = add_role(client, me, role)
        assert response.status_code == 200  # the form again, with the reason
        assert "自己" in response.content.decode()
    assert list(RoleAssignment.objects.filter(person=me).values_list("role", flat=True)) == [
        Role.SECURITY_ADMIN
    ]


def test_administrator_roles_combine_with_no_other_role(secadmin, auditor, office_clerk):
    client = browser(secadmin)
    auditor_person = Person.objects.get(user=auditor)
    office_person = Person.objects.get(user=office_clerk)
    assert add_role(client, auditor_person, Role.OFFICE).status_code == 200
    assert add_role(client, office_person, Role.SYSTEM_ADMIN).status_code == 200
    assert add_role(client, auditor_person, Role.SYSTEM_ADMIN).status_code == 200
    assert RoleAssignment.objects.filter(person=auditor_person).count() == 1
    assert RoleAssignment.objects.filter(person=office_person).count() == 1


def test_a_role_given_is_in_the_change_log(secadmin, fgj_reporter, fgj):
    person = Person.objects.get(user=fgj_reporter)
    response = add_role(browser(secadmin), person, Role.LEADER)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = ChangeEntry.objects.filter(action="create").latest("seq")
    assert entry.actor == secadmin and entry.after["role"] == Role.LEADER


# --- a person's account -----------------------------------------------------------------


def test_a_persons_account_cannot_be_repointed(sysadmin, leader):
    newcomer = get_user_model().objects.create_user("newcomer", password="x-long-pass-2026!")
    person = Person.objects.get(user=leader)
    client = browser(sysadmin)
    client.post(
        "/admin/org/person/{}/change/".format(person.pk),
        {"user": newcomer.pk, "name": person.name, "post": "", "phone": ""},
    )
    person.refresh_from_db()
    assert person.user == leader
    person.user = newcomer
    with pytest.raises(ValueError):
        person.save()


def test_a_new_person_is_linked_to_an_account_once(sysadmin, fgj):
    account = get_user_model().objects.create_user("zhou", password="x-long-pass-2026!")
    make_person("other", "其他人")
    client = browser(sysadmin)
    response = client.post(
        "/admin/org/person/add/",
        {"user": account.pk, "name": "周新人", "unit": fgj.pk, "post": "", "phone": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Person.objects.get(name="周新人").user == account


# --- domain data is not edited in the admin ---------------------------------------------


def test_a_target_value_cannot_be_changed_in_the_admin(sysadmin, plan_loaded):
    from vanguard.targets.models import Target

    target = Target.objects.filter(kind="growth").first() or Target.objects.first()
    client = browser(sysadmin)
    url = "/admin/targets/target/{}/change/".format(target.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert "loadplan" in page.content.decode()  # it says how a target is changed
    client.post(url, {"value": "3.0", "name": target.name})
    value = target.value
    target.refresh_from_db()
    assert target.value == value


@pytest.fixture
def plan_loaded(db, settings):
    from django.core.management import call_command

    call_command("loadplan", str(settings.PROJECT_DIR / "plans" / "xihaian.yaml"), verbosity=0)


@pytest.mark.parametrize(
    "path",
    [
        "org/campaign",
        "org/taskforce",
        "org/reportdeadline",
        "projects/keynode",
        "indicators/indicator",
    ],
)
def test_what_the_plan_defines_is_read_only_in_the_admin(path, sysadmin, plan_loaded):
    from django.apps import apps

    model = apps.get_model(*path.split("/"))
    obj = model.objects.first()
    client = browser(sysadmin)
    url = "/admin/{}/{}/change/".format(path, obj.pk)
    page = client.get(url)
    assert page.status_code == 200 and "loadplan" in page.content.decode()
    assert client.post(url, {}).status_code == 403
    assert client.get("/admin/{}/add/".format(path)).status_code == 403


def test_the_admins_own_password_link_leads_to_the_logged_password_page(sysadmin):
    response = browser(sysadmin).get("/admin/password_change/")
    assert response.status_code == 302 and response["Location"] == "/account/password/"
