"""Fast inserts for big batches: plain tuples, one statement compiled once.

Django's ``bulk_create`` builds a model instance per row and compiles a fresh
multi-row INSERT for every batch; at a million rows that compilation, not the
database, is most of the time. Here the caller hands over values as tuples; SQLite
gets one prepared INSERT through executemany, PostgreSQL a COPY. Each value passes
only through its backend's adapter (dates, aware datetimes stored as UTC, decimals,
booleans, JSON), so the rows land exactly as ``bulk_create`` would have written them.

Ids come first: ``reserve_ids`` hands out primary keys before anything is written,
so child rows (milestones, reports) can name their parents in the same pass.
Nothing here sends signals, runs ``save()`` or writes the change log: callers are
actions and generators that do those themselves.
"""

import datetime
from contextlib import contextmanager
from itertools import repeat

from django.db import NotSupportedError, connections, router
from django.utils import timezone

# Rows per executemany call: bounds the memory of one call, not the statement size.
BATCH_SIZE = 10_000


def reserve_ids(model, count, *, using=None):
    """``count`` unused primary keys of ``model``, ascending; call inside the inserting transaction.

    SQLite: the ids after the highest ever handed out (its AUTOINCREMENT counter or the
    highest stored id); the transaction holds SQLite's write lock, so no other writer can
    take them. PostgreSQL: drawn from the table's sequence, so concurrent writers and
    ordinary saves never collide with them.
    """
    if count <= 0:
        return []
    using = using or router.db_for_write(model)
    connection = connections[using]
    table = model._meta.db_table
    column = model._meta.pk.column
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [qn(table), column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT MAX({}) FROM {}".format(qn(column), qn(table)))
        highest = cursor.fetchone()[0] or 0
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            highest = max(highest, row[0] if row and row[0] else 0)
    return range(highest + 1, highest + 1 + count)


def _sqlite_datetime(connection):
    """SQLite's datetime adapter, with a fast path for aware values when it stores UTC."""
    slow = connection.ops.adapt_datetimefield_value
    if connection.timezone is None or connection.timezone_name != "UTC":
        return slow
    utc = datetime.UTC

    def adapt(value):
        # The same text as Django's adapter: naive UTC, str() of the datetime.
        tz = value.tzinfo
        if tz is utc:
            return str(value.replace(tzinfo=None))
        if tz is not None and value.utcoffset() is not None:
            return str(value.astimezone(utc).replace(tzinfo=None))
        return slow(value)

    return adapt


def _adapter(field, connection):
    """A function turning a Python value of ``field`` into what the driver binds, or None.

    None means the value goes to the driver as it is (integers, text, foreign-key ids).
    Adapters are the backend's own (``connection.ops.adapt_*``) or equivalent to them.
    """
    ops = connection.ops
    kind = field.get_internal_type()
    sqlite = connection.vendor == "sqlite"
    if kind == "DateTimeField":
        # Aware datetimes: SQLite stores them as naive UTC text, PostgreSQL as timestamptz.
        return _sqlite_datetime(connection) if sqlite else ops.adapt_datetimefield_value
    if kind == "DateField":
        # SQLite's adapter is str(); isoformat() gives the same text without a Python frame.
        return datetime.date.isoformat if sqlite else None
    if kind == "TimeField":
        return ops.adapt_timefield_value
    if kind == "DecimalField":
        # to_python rounds a float to the field's digits, as a model save would.
        return lambda value: ops.adapt_decimalfield_value(
            field.to_python(value), field.max_digits, field.decimal_places
        )
    if kind == "BooleanField":
        return bool
    if kind in ("FileField", "ImageField"):
        return str  # a FieldFile stores its name
    if kind in ("JSONField", "UUIDField", "BinaryField", "GenericIPAddressField", "DurationField"):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def _columns(model, field_names):
    """The INSERT's fields: those named, then the unnamed ones it fills, and how."""
    opts = model._meta
    named = [opts.get_field(name) for name in field_names]
    given = {f.attname for f in named}
    constant, per_row = [], []
    for field in opts.concrete_fields:
        if field.attname in given or field.primary_key or field.has_db_default() or field.generated:
            continue  # given, or assigned by the database
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            constant.append((field, "now"))
        elif field.has_default() and callable(field.default):
            per_row.append(field)
        else:
            constant.append((field, "default"))
    return named, constant, per_row


def _fixed_values(constant, connection):
    """The values of the fields every row of a load shares: defaults and the time now."""
    now = timezone.now()
    fixed = []
    for field, how in constant:
        if how == "now":
            value = now if field.get_internal_type() == "DateTimeField" else now.date()
        else:
            value = field.get_default()
        adapt = _adapter(field, connection)
        fixed.append(adapt(value) if adapt and value is not None else value)
    return fixed


def insert_rows(model, field_names, rows, *, using=None, batch_size=BATCH_SIZE):
    """Insert ``rows`` (tuples in the order of ``field_names``) into ``model``'s table.

    ``field_names`` are field names or attnames (``lead_unit`` or ``lead_unit_id``,
    both taking an id). Fields not named take their default (a callable default is
    called per row), ``auto_now``/``auto_now_add`` fields the current time, and the
    primary key, unless named, whatever the database assigns. When the primary key is
    named (ids from ``reserve_ids``), PostgreSQL's sequence is moved past the highest
    id afterwards, so later ordinary saves do not collide. ``rows`` may be any
    iterable; it is consumed in batches. Returns the number of rows inserted.
    """
    using = using or router.db_for_write(model)
    connection = connections[using]
    qn = connection.ops.quote_name
    named, constant, per_row = _columns(model, field_names)
    fixed = _fixed_values(constant, connection)
    fields = named + [f for f, _how in constant] + per_row
    named_adapters = [(i, a) for i, f in enumerate(named) if (a := _adapter(f, connection))]
    row_adapters = [_adapter(f, connection) for f in per_row]
    width = len(named)
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table),
        ", ".join(qn(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )

    def prepared(batch):
        # Column by column: one comprehension per adapted column instead of a Python
        # loop per value, which is what makes a million rows cheap to prepare.
        if any(len(row) != width for row in batch):
            raise ValueError(
                "insert_rows: every row of {} needs {} values".format(model.__name__, width)
            )
        columns = list(zip(*batch, strict=True)) if width else []
        for i, adapt in named_adapters:
            columns[i] = [None if v is None else adapt(v) for v in columns[i]]
        columns += [repeat(value, len(batch)) for value in fixed]
        for field, adapt in zip(per_row, row_adapters, strict=True):
            made = [field.default() for _row in batch]
            columns.append([adapt(v) if adapt and v is not None else v for v in made])
        return list(zip(*columns, strict=True))

    copy_sql = "COPY {} ({}) FROM STDIN".format(
        qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
    )

    def write(cursor, batch):
        values = prepared(batch)
        if connection.vendor == "postgresql":
            # COPY: PostgreSQL would otherwise parse and plan one INSERT per row
            # (Django's psycopg cursors bind on the client, so nothing is prepared).
            with cursor.cursor.copy(copy_sql) as copy:
                for row in values:
                    copy.write_row(row)
        else:
            cursor.executemany(sql, values)

    total = 0
    batch = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_size:
                write(cursor, batch)
                total += len(batch)
                batch = []
        if batch:
            write(cursor, batch)
            total += len(batch)
    if total and connection.vendor == "postgresql" and any(f.primary_key for f in named):
        _advance_sequence(model, connection)
    return total


def copy_rows(model, field_names, rows, *, using=None):
    """PostgreSQL: stream ``rows`` into ``model``'s table through one ``COPY ... FROM STDIN``.

    For loads too big to hold: ``rows`` may be a generator, and each row goes to the
    server as it is made (psycopg buffers a few hundred kilobytes), so memory stays flat
    however many there are. Fields are taken as in ``insert_rows``: unnamed ones get
    their defaults and ``auto_now`` times, a named primary key moves the sequence past
    the highest id afterwards. Returns the number of rows. Raises ``NotSupportedError``
    elsewhere: ``insert_rows`` is the portable door.
    """
    using = using or router.db_for_write(model)
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise NotSupportedError("copy_rows needs PostgreSQL")
    qn = connection.ops.quote_name
    named, constant, per_row = _columns(model, field_names)
    fixed = tuple(_fixed_values(constant, connection))
    adapters = [(i, a) for i, f in enumerate(named) if (a := _adapter(f, connection))]
    made = [(f, _adapter(f, connection)) for f in per_row]
    width = len(named)
    copy_sql = "COPY {} ({}) FROM STDIN".format(
        qn(model._meta.db_table),
        ", ".join(qn(f.column) for f in [*named, *(f for f, _how in constant), *per_row]),
    )
    total = 0
    with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
        write = copy.write_row
        for row in rows:
            if len(row) != width:
                raise ValueError(
                    "copy_rows: every row of {} needs {} values".format(model.__name__, width)
                )
            if adapters:
                row = list(row)
                for i, adapt in adapters:
                    if row[i] is not None:
                        row[i] = adapt(row[i])
            if made:
                extra = []
                for field, adapt in made:
                    value = field.default()
                    extra.append(adapt(value) if adapt and value is not None else value)
                write((*row, *fixed, *extra))
            else:
                write((*row, *fixed))
            total += 1
    if total and any(f.primary_key for f in named):
        _advance_sequence(model, connection)
    return total


def next_id(model, *, using=None):
    """PostgreSQL: the next value of ``model``'s id sequence, for a load that numbers its
    rows from there itself (``copy_rows`` moves the sequence past them afterwards).

    Only safe while the loading transaction holds the table against other writers
    (``LOCK TABLE ... IN SHARE ROW EXCLUSIVE MODE``, or the locks that dropping its
    keys takes): ordinary inserts would otherwise draw the same ids.
    """
    using = using or router.db_for_write(model)
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s))",
            [connection.ops.quote_name(model._meta.db_table), model._meta.pk.column],
        )
        return cursor.fetchone()[0]


def update_rows(model, field_names, rows, *, using=None, batch_size=BATCH_SIZE):
    """Set ``field_names`` of many rows of ``model``: ``rows`` are tuples (pk, value, ...).

    One prepared ``UPDATE ... WHERE pk`` through executemany, each value through its
    backend's adapter as in ``insert_rows``. Nothing else is touched: ``auto_now``
    fields, versions and the change log are the caller's. Returns the number of rows.
    """
    using = using or router.db_for_write(model)
    connection = connections[using]
    qn = connection.ops.quote_name
    opts = model._meta
    fields = [opts.get_field(name) for name in field_names]
    adapters = [(i, a) for i, f in enumerate(fields, start=1) if (a := _adapter(f, connection))]
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        qn(opts.db_table),
        ", ".join("{} = %s".format(qn(f.column)) for f in fields),
        qn(opts.pk.column),
    )
    width = len(fields) + 1

    def prepared(batch):
        if any(len(row) != width for row in batch):
            raise ValueError(
                "update_rows: every row of {} needs a key and {} values".format(
                    model.__name__, width - 1
                )
            )
        columns = list(zip(*batch, strict=True))
        for i, adapt in adapters:
            columns[i] = [None if v is None else adapt(v) for v in columns[i]]
        # The key goes last, where the WHERE clause takes it.
        return list(zip(*columns[1:], columns[0], strict=True))

    total = 0
    rows = list(rows)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            cursor.executemany(sql, prepared(batch))
            total += len(batch)
    return total


def insert_objects(objs, *, using=None):
    """Insert unsaved instances of one model as ``bulk_create`` would; return them saved.

    Primary keys are reserved first and set on the instances, ``auto_now`` fields get
    their time as on a save, and each instance is marked as stored afterwards. No
    signals and no ``save()``: callers are actions that validate and log themselves.
    Many-to-many links are the caller's (``insert_rows`` on the through model).
    """
    objs = list(objs)
    if not objs:
        return objs
    model = type(objs[0])
    using = using or router.db_for_write(model)
    opts = model._meta
    missing = [obj for obj in objs if obj.pk is None]
    for obj, pk in zip(missing, reserve_ids(model, len(missing), using=using), strict=True):
        obj.pk = pk
    fields = [f for f in opts.concrete_fields if not f.generated]
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    for obj in objs:
        for field in stamped:
            field.pre_save(obj, add=True)
    rows = [tuple(getattr(obj, f.attname) for f in fields) for obj in objs]
    insert_rows(model, [f.attname for f in fields], rows, using=using)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
    return objs


def _advance_sequence(model, connection):
    """Move the pk sequence to the highest stored id (never backwards)."""
    table = model._meta.db_table
    column = model._meta.pk.column
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(s.seq, m.top) FROM "
            "(SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq) s, "
            "(SELECT MAX({col}) AS top FROM {table}) m "
            "WHERE m.top > COALESCE(pg_sequence_last_value(s.seq), 0)".format(
                col=qn(column), table=qn(table)
            ),
            [qn(table), column],
        )


@contextmanager
def sqlite_cache(mebibytes=256, *, using="default"):
    """On SQLite, a larger page cache for the connection while a big load runs.

    A million rows with half a dozen indexes each thrash SQLite's default 2 MiB cache:
    every index insert reads its B-tree pages back from the file. Elsewhere a no-op.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -{:d}".format(int(mebibytes) * 1024))
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = {:d}".format(int(before)))


@contextmanager
def indexes_deferred(*models, using="default"):
    """On SQLite, the secondary indexes of ``models`` dropped while a big load runs and
    built again afterwards (inside the caller's transaction); elsewhere a no-op.

    Rows arriving in one order fill a dozen indexes in a dozen others: each insert
    then touches a random page of each, and a million rows thrash any cache. Built
    afterwards, each index is one sort. Indexes that back a column's UNIQUE or the
    primary key stay (SQLite cannot drop them); a unique index built again still
    refuses duplicates, failing the load's transaction.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            " AND tbl_name IN ({})".format(", ".join(["%s"] * len(tables))),
            tables,
        )
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute("DROP INDEX {}".format(connection.ops.quote_name(name)))
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, sql in indexes:
                cursor.execute(sql)


@contextmanager
def keys_and_indexes_deferred(*models, using="default"):
    """On PostgreSQL, the foreign keys, unique constraints and secondary indexes of
    ``models``' tables dropped while a big load runs, and made again once it is done
    (inside the caller's transaction); elsewhere a no-op.

    Each row copied into a table with its keys in place queues one check per foreign
    key until the commit (Django's keys are deferred), tens of millions of queued
    events and index probes for a province; and it inserts into every index at a
    random page. Made again afterwards, each index is one sort and each key one join
    that checks every row at once; a row that breaks a key or a unique constraint
    still fails the caller's transaction. Primary keys and check constraints stay.
    If the load raises, nothing is made again: the transaction rolls back the drops.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        # Checks still queued from earlier writes of the transaction would forbid
        # altering a table they touch; run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype"
            " FROM pg_constraint c WHERE c.contype IN ('f', 'u')"
            " AND c.conrelid = ANY(ARRAY[{}]::regclass[])"
            " ORDER BY c.contype DESC, c.conname".format(", ".join(["%s"] * len(tables))),
            [connection.ops.quote_name(t) for t in tables],
        )
        constraints = cursor.fetchall()
        for table, name, _definition, _kind in constraints:
            cursor.execute(
                "ALTER TABLE {} DROP CONSTRAINT {}".format(table, connection.ops.quote_name(name))
            )
        # What is left besides the primary keys: plain and partial unique indexes.
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " WHERE NOT i.indisprimary AND i.indrelid = ANY(ARRAY[{}]::regclass[])"
            " ORDER BY 1".format(", ".join(["%s"] * len(tables))),
            [connection.ops.quote_name(t) for t in tables],
        )
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute("DROP INDEX {}".format(name))
    yield
    with connection.cursor() as cursor:
        # Room to sort a big index in memory rather than in runs on disk.
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, sql in indexes:
            cursor.execute(sql)
        # Unique constraints first: a foreign key may lean on one.
        for table, name, definition, _kind in constraints:
            cursor.execute(
                "ALTER TABLE {} ADD CONSTRAINT {} {}".format(
                    table, connection.ops.quote_name(name), definition
                )
            )
