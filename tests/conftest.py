"""People and places shared by all tests.

The cast: an office clerk, a projects task-force member, a reporter of one unit
(the development and reform bureau), a reporter of another unit (Huangdao street), a
leader, a discipline inspector, and the three administrators.
"""

import datetime

import pytest
from django.contrib.auth.hashers import make_password

from vanguard.org.choices import Battle, Cadence, Role, UnitKind
from vanguard.org.models import Campaign, Person, RoleAssignment, TaskForce, Unit

PASSWORD = "correct-horse-42"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache. Figures are kept under keys made of ids and
    change-log hashes, and a database rolled back after a test gives the same ids again,
    so a figure one test kept could otherwise answer another's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def campaign(db):
    return Campaign.objects.create(
        code="xihaian-2026",
        name="攻坚行动",
        year=2026,
        start_date=datetime.date(2026, 1, 17),
        end_date=datetime.date(2026, 12, 31),
    )


@pytest.fixture
def task_forces(campaign):
    return {
        battle: TaskForce.objects.create(
            campaign=campaign, battle=battle, name=name, cadence=cadence
        )
        for battle, name, cadence in [
            (Battle.INDICATORS, "重点指标攻坚专班", Cadence.MONTHLY),
            (Battle.PROJECTS, "重大项目攻坚专班", Cadence.DEKAD),
            (Battle.CITYWORK, "重要工作攻坚专班", Cadence.WEEKLY),
        ]
    }


@pytest.fixture
def fgj(db):
    return Unit.objects.create(code="fgj", name="区发展和改革局", kind=UnitKind.DEPARTMENT)


@pytest.fixture
def hdjd(db):
    return Unit.objects.create(code="hdjd", name="黄岛街道", kind=UnitKind.STREET)


def make_person(username, name, unit=None, role=None, task_force=None, reporter_unit=None):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create(
        username=username,
        password=make_password(PASSWORD),
        is_staff=role in {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN},
    )
    person = Person.objects.create(
        user=user, name=name, unit=unit, post="科员", phone="13800000000"
    )
    if role:
        RoleAssignment.objects.create(
            person=person, role=role, task_force=task_force, unit=reporter_unit
        )
    return user


@pytest.fixture
def office_clerk(db):
    return make_person("office", "王办公", role=Role.OFFICE)


@pytest.fixture
def projects_member(task_forces, fgj):
    return make_person(
        "tf_projects",
        "李专班",
        fgj,
        Role.TASK_FORCE_MEMBER,
        task_force=task_forces[Battle.PROJECTS],
    )


@pytest.fixture
def fgj_reporter(fgj):
    return make_person("reporter_fgj", "张填报", fgj, Role.UNIT_REPORTER, reporter_unit=fgj)


@pytest.fixture
def hdjd_reporter(hdjd):
    return make_person("reporter_hdjd", "赵街道", hdjd, Role.UNIT_REPORTER, reporter_unit=hdjd)


@pytest.fixture
def leader(db):
    return make_person("leader", "周领导", role=Role.LEADER)


@pytest.fixture
def inspector(db):
    return make_person("inspector", "吴纪检", role=Role.DISCIPLINE_INSPECTOR)


@pytest.fixture
def sysadmin(db):
    return make_person("sysadmin", "系统员", role=Role.SYSTEM_ADMIN)


@pytest.fixture
def secadmin(db):
    return make_person("secadmin", "安全员", role=Role.SECURITY_ADMIN)


@pytest.fixture
def auditor(db):
    return make_person("auditor", "审计员", role=Role.AUDIT_ADMIN)


@pytest.fixture
def login(client):
    """Log a test client in as a user (through the real login page)."""

    def _login(user):
        response = client.post("/login/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.content.decode()[:500]
        return client

    return _login
