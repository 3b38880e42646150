"""A query written once a process answers as the ORM's own query does, for any values."""

import pytest

from tests.conftest import make_person
from vanguard.core.compiled import Compiled
from vanguard.notices.models import Notice
from vanguard.org.choices import Role, UnitKind
from vanguard.org.models import RoleAssignment, Unit

pytestmark = pytest.mark.django_db


def roles(user_id):
    return RoleAssignment.objects.filter(person__user_id=user_id).values_list(
        "role", "unit_id", "person__name"
    )


def test_rows_are_the_orms_rows_for_each_value():
    unit = Unit.objects.create(code="hdjd", name="黄岛街道", kind=UnitKind.STREET)
    one = make_person("one", "甲", unit, Role.UNIT_REPORTER, reporter_unit=unit)
    two = make_person("two", "乙", unit, Role.OFFICE)
    compiled = Compiled(roles, -1)
    for user in (one, two, one):
        assert sorted(compiled.rows(user.pk)) == sorted(roles(user.pk))
    assert compiled.rows(10**9) == []


def test_a_count_counts_the_rows():
    unit = Unit.objects.create(code="hdjd", name="黄岛街道", kind=UnitKind.STREET)
    user = make_person("one", "甲", unit, Role.OFFICE)
    unread = Compiled(
        lambda user_id: Notice.objects.filter(
            recipient_id=user_id, read_at__isnull=True
        ).values_list("pk"),
        -1,
        count=True,
    )
    assert unread.number(user.pk) == 0
    for n in range(3):
        Notice.objects.create(
            recipient=user, kind="due_soon", subject="第{}条".format(n), key="k{}".format(n)
        )
    assert unread.number(user.pk) == 3


def test_a_stand_in_that_is_not_one_parameter_is_refused():
    def twice(user_id):
        return roles(user_id).filter(unit_id=user_id)

    with pytest.raises(ValueError, match="stand-in"):
        Compiled(twice, -1).rows(1)
    with pytest.raises(ValueError, match="stand-in"):
        Compiled(lambda user_id, unused: roles(user_id), -1, -2).rows(1, 2)


def test_dates_and_booleans_come_back_as_the_orm_gives_them():
    import datetime

    from vanguard.calendar.models import DayOverride

    DayOverride.objects.create(date=datetime.date(2031, 1, 1), is_working_day=False)
    DayOverride.objects.create(date=datetime.date(2031, 1, 4), is_working_day=True)
    compiled = Compiled(lambda: DayOverride.objects.values_list("date", "is_working_day"))
    rows = compiled.rows()
    assert rows == list(DayOverride.objects.values_list("date", "is_working_day"))
    assert rows == [(datetime.date(2031, 1, 1), False), (datetime.date(2031, 1, 4), True)]


def assignments(user_id):
    return (
        RoleAssignment.objects.filter(person__user_id=user_id)
        .select_related("person", "unit")
        .order_by("pk")
    )


def test_instances_are_the_orms_with_the_rows_they_joined(django_assert_num_queries):
    unit = Unit.objects.create(code="hdjd", name="黄岛街道", kind=UnitKind.STREET)
    one = make_person("one", "甲", unit, Role.UNIT_REPORTER, reporter_unit=unit)
    two = make_person("two", "乙", None, Role.LEADER)
    compiled = Compiled(assignments, -1)

    def seen(found):
        return [
            (a.pk, a.role, a.person.name, a.unit.code if a.unit else None, a._state.db)
            for a in found
        ]

    for user in (one, two, one):
        with django_assert_num_queries(1):
            found = compiled.objects(user.pk)
            shown = seen(found)
        assert shown == seen(assignments(user.pk))
        assert not any(a._state.adding for a in found)
    # The joined person is a stored instance too: saving it updates its row.
    found[0].person.name = "丙"
    found[0].person.save(update_fields=["name"])
    assert RoleAssignment.objects.get(pk=found[0].pk).person.name == "丙"


def test_a_values_list_query_gives_rows_not_instances():
    with pytest.raises(TypeError, match="rows"):
        Compiled(roles, -1).objects(1)


@pytest.mark.django_db(transaction=True)
def test_a_locking_query_runs_only_in_a_transaction():
    from django.db import transaction
    from django.db.transaction import TransactionManagementError

    unit = Unit.objects.create(code="hdjd", name="黄岛街道", kind=UnitKind.STREET)
    locked = Compiled(lambda pk: Unit.objects.select_for_update().filter(pk=pk), -1)
    with transaction.atomic():
        assert [u.code for u in locked.objects(unit.pk)] == ["hdjd"]
    with pytest.raises(TransactionManagementError):
        locked.objects(unit.pk)
