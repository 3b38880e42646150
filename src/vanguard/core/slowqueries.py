"""Queries slower than ``SLOW_QUERY_MS`` are logged, with their request id, on every database.

PostgreSQL can log them itself (``log_min_duration_statement``, docs/deploy.md); this log
is the application's side, which names the request that sent the query.
"""

import logging
import time

from django.conf import settings

logger = logging.getLogger("vanguard.slow_query")
# The longest statement text a log line carries.
SQL_LIMIT = 2000


def log_slow_queries(execute, sql, params, many, context):
    start = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        elapsed = (time.perf_counter() - start) * 1000
        if elapsed >= settings.SLOW_QUERY_MS:
            logger.warning("slow query, %.0f ms: %s", elapsed, str(sql)[:SQL_LIMIT])


def install(sender, connection, **kwargs):
    """On each new database connection (``connection_created``), when the setting asks."""
    if settings.SLOW_QUERY_MS > 0 and log_slow_queries not in connection.execute_wrappers:
        connection.execute_wrappers.append(log_slow_queries)
