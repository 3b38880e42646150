"""Queries every request makes, written by the ORM once a process instead of once a call.

Django builds a query's SQL anew each time it runs: for the roles every request reads,
0.36 ms of CPU, six times what sending it and reading the answer take. ``Compiled``
has the ORM write the SQL of a query once, from a queryset made with stand-in values,
and binds the real values at each call. The rows come back as the ORM gives them: each
column through the converters the ORM would apply (SQLite gives dates as text and
booleans as integers); a query of model instances gives instances, with the rows its
``select_related`` joined.
"""

from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import get_related_populators
from django.db.transaction import TransactionManagementError


class _Written(NamedTuple):
    sql: str
    params: list
    places: list  # where each stand-in's value goes among the params
    converters: list
    make: object  # a row -> its instance; None for a values_list query
    locks: bool  # select_for_update: only in a transaction


class Compiled:
    """``make(*stand_ins)`` gives a queryset; ``rows(*values)`` runs it with ``values``
    (a ``values_list`` queryset), ``objects(*values)`` too (a queryset of instances), and
    ``count=True`` counts its rows instead (``number``).

    Each stand-in must appear exactly once among the query's parameters (pick values no
    real row has, such as negative ids), so the values take their places.
    """

    def __init__(self, make, *stand_ins, count=False):
        self.make = make
        self.stand_ins = stand_ins
        self.count = count
        self._written = {}

    def _write(self, alias):
        written = self._written.get(alias)
        if written is None:
            queryset = self.make(*self.stand_ins)
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            converters = [
                (position, functions, expression)
                for position, (functions, expression) in compiler.get_converters(
                    [expression for expression, _sql, _alias in compiler.select]
                ).items()
            ]
            params = list(params)
            places = []
            for stand_in in self.stand_ins:
                if params.count(stand_in) != 1:
                    raise ValueError(
                        "stand-in {!r} is not one parameter of {}".format(stand_in, sql)
                    )
                places.append(params.index(stand_in))
            if self.count:
                sql = "SELECT COUNT(*) FROM ({}) counted".format(sql)
            written = self._written[alias] = _Written(
                sql,
                params,
                places,
                converters,
                None if queryset.query.values_select else _instances(compiler, alias),
                bool(queryset.query.select_for_update),
            )
        return written

    def rows(self, *values, using=DEFAULT_DB_ALIAS):
        sql, params, places, converters, _make, locks = self._write(using)
        if locks and connections[using].get_autocommit():
            raise TransactionManagementError("select_for_update outside a transaction")
        params = list(params)
        for place, value in zip(places, values, strict=True):
            params[place] = value
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters or self.count:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for position, functions, expression in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            converted.append(tuple(row))
        return converted

    def objects(self, *values, using=DEFAULT_DB_ALIAS):
        """The model instances of a queryset of instances, as iterating it gives them."""
        rows = self.rows(*values, using=using)
        make = self._written[using].make
        if make is None:
            raise TypeError("objects() of a values_list query; rows() gives its rows")
        return [make(row) for row in rows]

    def number(self, *values, using=DEFAULT_DB_ALIAS):
        """The count, for a ``Compiled`` made with ``count=True``."""
        return self.rows(*values, using=using)[0][0]


def _instances(compiler, alias):
    """How the ORM makes an instance (and those ``select_related`` joined) of a row, as
    ``ModelIterable`` does."""
    info = compiler.klass_info
    model, fields = info["model"], info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    names = [column[0].target.attname for column in compiler.select[start:end]]
    populators = get_related_populators(info, compiler.select, alias)
    annotations = list(compiler.annotation_col_map.items())

    def make(row):
        instance = model.from_db(alias, names, row[start:end])
        for populator in populators:
            populator.populate(row, instance)
        for name, position in annotations:
            setattr(instance, name, row[position])
        return instance

    return make
