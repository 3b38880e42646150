"""On PostgreSQL, the light events become a table partitioned by month of ``as_of``.

The events are moved into the new table, one partition per month they hold plus the
current month's; the indexes and foreign keys are made again under their own names,
so later migrations find them. The primary key becomes (id, as_of), as partitioning
asks; ids still come from the one identity. On SQLite nothing changes. Decision 0039.
"""

import datetime

from django.db import migrations

TABLE = "supervision_lightevent"
FLAT = "supervision_lightevent_flat"


def _month_partitions(cursor, table, months):
    for first in months:
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        cursor.execute(
            'CREATE TABLE "{}_p{:04d}_{:02d}" PARTITION OF "{}" '
            "FOR VALUES FROM ('{}') TO ('{}')".format(
                table, first.year, first.month, table, first.isoformat(), following.isoformat()
            )
        )


def _rebuild(cursor, *, partitioned):
    """Move the events into a new table of the same columns, partitioned by month or not."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
        "AND indexname NOT LIKE %s",
        [TABLE, "%\\_pkey"],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f'",
        [TABLE],
    )
    keys = cursor.fetchall()
    cursor.execute(
        "SELECT DISTINCT date_trunc('month', as_of)::date FROM {} ORDER BY 1".format(TABLE)
    )
    months = [row[0] for row in cursor.fetchall()]
    cursor.execute('ALTER TABLE "{}" RENAME TO "{}"'.format(TABLE, FLAT))
    cursor.execute(
        'ALTER TABLE "{}" RENAME CONSTRAINT "{}_pkey" TO "{}_pkey"'.format(FLAT, TABLE, FLAT)
    )
    cursor.execute(
        'CREATE TABLE "{}" (LIKE "{}" INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING STORAGE)'
        "{}".format(TABLE, FLAT, " PARTITION BY RANGE (as_of)" if partitioned else "")
    )
    key = "(id, as_of)" if partitioned else "(id)"
    cursor.execute('ALTER TABLE "{}" ADD CONSTRAINT "{}_pkey" PRIMARY KEY {}'.format(TABLE, TABLE, key))
    if partitioned:
        this_month = datetime.date.today().replace(day=1)
        _month_partitions(cursor, TABLE, sorted(set(months) | {this_month}))
    cursor.execute('INSERT INTO "{}" SELECT * FROM "{}"'.format(TABLE, FLAT))
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
        "(SELECT COALESCE(MAX(id), 0) + 1 FROM \"{}\"), false)".format(TABLE),
        [TABLE],
    )
    cursor.execute('DROP TABLE "{}" CASCADE'.format(FLAT))
    for _name, definition in indexes:
        # The definition names the table as it was renamed to; the name is kept.
        cursor.execute(definition.replace(" ONLY ", " ").replace(FLAT, TABLE))
    for name, definition in keys:
        cursor.execute('ALTER TABLE "{}" ADD CONSTRAINT "{}" {}'.format(TABLE, name, definition))


def by_month(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if not _is_partitioned(cursor):
            _rebuild(cursor, partitioned=True)


def flat(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if _is_partitioned(cursor):
            _rebuild(cursor, partitioned=False)


def _is_partitioned(cursor):
    cursor.execute(
        "SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [TABLE]
    )
    return cursor.fetchone() is not None


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0010_light_recompute_groups"),
    ]

    operations = [
        migrations.RunPython(by_month, flat, elidable=False),
    ]
