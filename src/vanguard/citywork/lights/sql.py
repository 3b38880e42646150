"""SQL pieces the weekly work's light rules share, written for SQLite and PostgreSQL."""

from django.db import connections


class Params:
    """Parameters collected in the order their placeholders appear in the SQL text."""

    def __init__(self):
        self.values = []

    def __call__(self, value):
        self.values.append(value)
        return "%s"


def days_between(connection, later, earlier):
    """SQL for the whole days from ``earlier`` to ``later`` (two date expressions)."""
    if connection.vendor == "postgresql":
        return "(CAST({} AS date) - CAST({} AS date))".format(later, earlier)
    return "CAST(julianday({}) - julianday({}) AS integer)".format(later, earlier)


def table(model):
    """The quoted table name of ``model``."""
    connection = connections[model.objects.db]
    return connection.ops.quote_name(model._meta.db_table)
