"""On PostgreSQL the light events are kept by month; old months are archived by
detaching them, never deleted, and can be attached again."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from vanguard.supervision import partitions
from vanguard.supervision.lights import recompute
from vanguard.supervision.models import LightEvent

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the events are partitioned on PostgreSQL only"
)
pytestmark = pytest.mark.django_db(transaction=True)

MARCH = datetime.date(2026, 3, 31)
APRIL = datetime.date(2026, 4, 30)


def rows_in(table):
    with connection.cursor() as cursor:
        cursor.execute('SELECT COUNT(*) FROM "{}"'.format(table))
        return cursor.fetchone()[0]


@pytest.fixture
def archive():
    """Archive through the command; every month archived is attached again afterwards."""

    def _archive(before):
        out = StringIO()
        call_command("lights", "archive", "--before", before, stdout=out)
        return out.getvalue()

    yield _archive
    for name, _first, attached in partitions.partitions():
        if not attached:
            partitions.attach(name)


@pytest.fixture
def judged_in_march_and_april(plan, make_project):
    project = make_project({"project_approval": datetime.date(2026, 3, 10)})
    recompute(plan, today=MARCH)  # the first lights: events in March
    recompute(plan, today=APRIL)  # nothing changed: no event in April
    make_project({"project_approval": datetime.date(2026, 4, 10)}, code="XHA-0002")
    recompute(plan, today=APRIL)  # the new project's first lights: events in April
    return project


@on_postgresql
def test_each_run_writes_its_events_into_the_month_it_judged(judged_in_march_and_april):
    march = partitions.partition_name(MARCH)
    april = partitions.partition_name(APRIL)
    assert rows_in(march) == LightEvent.objects.filter(as_of=MARCH).count() > 0
    assert rows_in(april) == LightEvent.objects.filter(as_of=APRIL).count() > 0
    # A run judged as of a month nobody wrote yet makes that month first.
    later = datetime.date(2027, 2, 10)
    assert partitions.partition_name(later) not in {n for n, _f, _a in partitions.partitions()}
    recompute(judged_in_march_and_april.campaign, today=later)
    assert (partitions.partition_name(later), later.replace(day=1), True) in partitions.partitions()


@on_postgresql
def test_archiving_detaches_the_months_before_and_keeps_their_rows(
    judged_in_march_and_april, archive
):
    march = partitions.partition_name(MARCH)
    in_march = LightEvent.objects.filter(as_of=MARCH).count()
    assert march in archive("2026-04-15")
    # Gone from the history the pages read, kept in the database.
    assert not LightEvent.objects.filter(as_of=MARCH).exists()
    assert LightEvent.objects.filter(as_of=APRIL).exists()
    assert rows_in(march) == in_march
    assert (march, MARCH.replace(day=1), False) in partitions.partitions()
    # An archived month holds no key: the units and campaigns it names may go later.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
            [march],
        )
        assert cursor.fetchone()[0] == 0

    call_command("lights", "attach", march, stdout=StringIO())
    assert LightEvent.objects.filter(as_of=MARCH).count() == in_march
    with pytest.raises(CommandError, match="not the name of a month"):
        call_command("lights", "attach", "org_unit", stdout=StringIO())


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's refusal")
def test_on_sqlite_there_are_no_months_to_archive(db):
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("lights", "archive", "--before", "2026-04-01", stdout=StringIO())
