"""Counting the rows of any query by some of its columns, in the database.

Django cannot group the rows of a query that is itself grouped or filtered on a window
(the latest event of each subject, a project's reports of a dekad); reading such rows
into Python to count them moves every row over the driver. ``counted_by`` wraps the
query's own SQL and lets the database count: one row per group comes back.
"""

from django.db import connections


def counted_by(queryset, columns):
    """``{tuple of the columns' values: number of rows}`` of ``queryset``.

    ``queryset`` is a ``values()`` query whose selected names include ``columns``
    (give them plain aliases, ``values(u=F("unit_id"))``, so they name its SQL's columns).
    """
    inner, params = queryset.query.sql_with_params()
    connection = connections[queryset.db]
    qn = connection.ops.quote_name
    names = ", ".join(qn(column) for column in columns)
    sql = "SELECT {names}, COUNT(*) FROM ({inner}) counted GROUP BY {names}".format(
        names=names, inner=inner
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {tuple(row[:-1]): row[-1] for row in cursor.fetchall()}
