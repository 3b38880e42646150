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
