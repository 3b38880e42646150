"""On PostgreSQL the light events are partitioned by the month they judged (decision 0039).

``supervision_lightevent`` is a table partitioned by range of ``as_of``, one partition a
month (``supervision_lightevent_p2026_12``). The engine makes the month's partition
before it writes (``ensure_month``); nothing else writes events. Old months are
archived by detaching their partitions (``detach_before``): a detached partition stays
in the database as a table of its own, never deleted, and can be attached again. On
SQLite the table is a plain one and each function here does nothing.
"""

import datetime
import re

from django.db import DatabaseError, connections, transaction

TABLE = "supervision_lightevent"
_NAME = re.compile(r"^{}_p(\d{{4}})_(\d{{2}})$".format(TABLE))


def month_start(day):
    return day.replace(day=1)


def next_month(day):
    start = month_start(day)
    return (start + datetime.timedelta(days=32)).replace(day=1)


def partition_name(day):
    """The partition holding the events judged as of ``day``."""
    return "{}_p{:04d}_{:02d}".format(TABLE, day.year, day.month)


# True when the table named is partitioned (the migration has run on PostgreSQL).
PARTITIONED_SQL = (
    "EXISTS (SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
    "WHERE c.relname = %s AND pg_table_is_visible(c.oid))"
)


def is_partitioned(using="default"):
    """True when the events' table is partitioned (PostgreSQL, after the migration)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + PARTITIONED_SQL, [TABLE])
        return cursor.fetchone()[0]


def create_month_sql(connection, day):
    """The statement making the partition of ``day``'s month, when it is missing."""
    qn = connection.ops.quote_name
    return "CREATE TABLE IF NOT EXISTS {} PARTITION OF {} FOR VALUES FROM ('{}') TO ('{}')".format(
        qn(partition_name(day)),
        qn(TABLE),
        month_start(day).isoformat(),
        next_month(day).isoformat(),
    )


def ensure_month(day, using="default"):
    """Make the partition of ``day``'s month unless it is there: one catalog read a run.

    The engine calls it before writing the events of a run judged as of ``day``.
    Creating a partition locks the parent table, so it is only tried when missing.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        # One read: the month is missing and the table is partitioned.
        cursor.execute(
            "SELECT to_regclass(%s) IS NULL AND " + PARTITIONED_SQL,
            [partition_name(day), TABLE],
        )
        if not cursor.fetchone()[0]:
            return False
    try:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(create_month_sql(connection, day))
    except DatabaseError:
        # Another worker made the month between the read and the statement.
        if not _exists(connection, partition_name(day)):
            raise
    return True


def _exists(connection, name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        return cursor.fetchone()[0]


def partitions(using="default"):
    """``[(name, first day, attached)]`` of the events' monthly tables, oldest first.

    Detached ones are listed too (still in the database, archived), by their name.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid) "
            "FROM pg_class c WHERE c.relkind = 'r' AND c.relname LIKE %s "
            "AND pg_table_is_visible(c.oid)",
            [TABLE + "\\_p%"],
        )
        found = []
        for name, attached in cursor.fetchall():
            match = _NAME.match(name)
            if match:
                first = datetime.date(int(match[1]), int(match[2]), 1)
                found.append((name, first, attached))
    return sorted(found, key=lambda row: row[1])


def detach_before(day, using="default"):
    """Detach the partitions of the months before ``day``'s month; return their names.

    The events of those months leave the lights' history and the bulletins' counts and
    stay in the database as tables of their own (``partitions`` lists them): archived,
    never deleted, with their foreign keys dropped. ``attach`` brings one back.
    """
    connection = connections[using]
    limit = month_start(day)
    qn = connection.ops.quote_name
    detached = []
    with connection.cursor() as cursor:
        for name, first, attached in partitions(using):
            if attached and first < limit:
                cursor.execute("ALTER TABLE {} DETACH PARTITION {}".format(qn(TABLE), qn(name)))
                _drop_foreign_keys(cursor, qn, name)
                detached.append(name)
    return detached


def _drop_foreign_keys(cursor, qn, name):
    """An archived month is a record, not live links: it keeps its unit and campaign ids
    but no key that would stop a unit or campaign from being removed later. Attaching it
    again checks the parent's keys anew."""
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
        [name],
    )
    for (key,) in cursor.fetchall():
        cursor.execute("ALTER TABLE {} DROP CONSTRAINT {}".format(qn(name), qn(key)))


def attach(name, using="default"):
    """Attach an archived month's table again (its name as ``partitions`` gives it)."""
    match = _NAME.match(name)
    if not match:
        raise ValueError("{!r} is not the name of a month of light events.".format(name))
    first = datetime.date(int(match[1]), int(match[2]), 1)
    connection = connections[using]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE {} ATTACH PARTITION {} FOR VALUES FROM ('{}') TO ('{}')".format(
                qn(TABLE), qn(name), first.isoformat(), next_month(first).isoformat()
            )
        )
