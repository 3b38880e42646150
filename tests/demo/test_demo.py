"""`vanguard demo`: deterministic demo data with working demo accounts."""

import io

import pytest
from django.core.management import CommandError, call_command

from vanguard.audit.log import verify_chain
from vanguard.org.choices import Role
from vanguard.org.models import Person, RoleAssignment, Unit
from vanguard.targets.models import Target

pytestmark = pytest.mark.django_db


def run_demo(*args):
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_the_district_demo_loads_the_plan_units_people_and_prints_the_accounts():
    out = run_demo("--scale", "district", "--seed", "7")
    assert Target.objects.count() == 16
    assert 60 <= Unit.objects.count() <= 120
    assert Unit.objects.filter(name="黄岛街道").exists()
    for username in ("office", "leader", "tf_projects", "reporter_fgj", "sysadmin", "auditor"):
        assert username in out
    assert RoleAssignment.objects.filter(
        role=Role.UNIT_REPORTER, person__user__username="reporter_fgj", unit__code="fgj"
    ).exists()
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_the_same_seed_gives_the_same_people():
    run_demo("--seed", "3")
    names = list(Person.objects.order_by("user__username").values_list("name", "phone"))
    call_command("flush", "--noinput", verbosity=0)
    run_demo("--seed", "3")
    assert list(Person.objects.order_by("user__username").values_list("name", "phone")) == names


def test_a_second_run_refuses_but_if_empty_skips_quietly():
    run_demo()
    with pytest.raises(CommandError, match="空数据库"):
        run_demo()
    assert "跳过" in run_demo("--if-empty")


def test_a_demo_account_logs_in_and_sees_the_overview(client):
    run_demo()
    response = client.post("/login/", {"username": "office", "password": "Vanguard-2026"})
    assert response.status_code == 302
    content = client.get("/").content.decode()
    assert "招引开工重大项目" in content and "230个" in content


def test_the_demo_leaves_lights_on_its_projects():
    from vanguard.supervision.models import LightState

    run_demo()
    lights = set(LightState.objects.filter(kind="project").values_list("light", flat=True))
    assert {"green", "red"} <= lights
