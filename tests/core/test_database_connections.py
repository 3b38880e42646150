"""How a process holds its PostgreSQL connections: kept a minute, from a pool of its own
(DB_POOL_SIZE), or through pgbouncer in transaction mode (DB_PGBOUNCER); statements it
sends often prepared (DB_PREPARE_THRESHOLD); and the job queue's Redis database apart
from the cache's (QUEUE_URL)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

import vanguard

SRC = Path(vanguard.__file__).resolve().parent.parent

# Run in a process of its own with the settings the environment gives: four threads
# each read the database at once, then it prints what it was configured with.
PROBE = """
import json, threading
import django
django.setup()
from django.conf import settings
from django.db import connection, connections

seen = []
def read():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")
        seen.append(cursor.fetchone()[0] > 0)
    connections.close_all()

with connection.cursor() as cursor:
    prepared_after = connection.connection.prepare_threshold
    server_binds = type(cursor.cursor).__name__ == "ServerBindingCursor"
    # A statement sent more often than the threshold is prepared, and still answers.
    for _ in range(8):
        cursor.execute("SELECT count(*) FROM django_migrations WHERE id > %s", [0])
        assert cursor.fetchone()[0] > 0
connections.close_all()

threads = [threading.Thread(target=read) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
database = settings.DATABASES["default"]
print(json.dumps({
    "reads": seen,
    "pool": database.get("OPTIONS", {}).get("pool"),
    "pool_max": connection.pool.max_size if connection.pool else None,
    "conn_max_age": database["CONN_MAX_AGE"],
    "server_side_cursors_off": database.get("DISABLE_SERVER_SIDE_CURSORS", False),
    "prepared_after": prepared_after,
    "server_binds": server_binds,
    "queue": settings.HUEY["url"],
    "cache": settings.CACHES["default"]["LOCATION"],
}))
"""


def probe(**env):
    settings = connection.settings_dict
    url = "postgres://{}@{}:{}/{}".format(
        settings["USER"],
        settings["HOST"] or "127.0.0.1",
        settings["PORT"] or 5432,
        settings["NAME"],
    )
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST", "DB_", "QUEUE_"))
    }
    base.update(PYTHONPATH=str(SRC), DATABASE_URL=url, DJANGO_SETTINGS_MODULE="vanguard.settings")
    base.setdefault("SECRET_KEY", "connections-test-only")
    base["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="connection pooling is PostgreSQL's"
)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_by_default_each_process_keeps_its_connection_a_minute():
    found = probe()
    assert found["reads"] == [True] * 4
    assert (found["pool"], found["pool_max"], found["conn_max_age"]) == (None, None, 60)
    assert not found["server_side_cursors_off"]


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_statements_sent_often_are_prepared_unless_turned_off_or_behind_pgbouncer():
    assert (probe()["prepared_after"], probe()["server_binds"]) == (5, True)
    assert probe(DB_PREPARE_THRESHOLD="2")["prepared_after"] == 2
    for off in ({"DB_PREPARE_THRESHOLD": "0"}, {"DB_PGBOUNCER": "1"}):
        found = probe(**off)
        assert (found["prepared_after"], found["server_binds"]) == (None, False), off


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_pool_serves_more_threads_than_it_holds_connections():
    found = probe(DB_POOL_SIZE="2", DB_POOL_TIMEOUT="30")
    assert found["reads"] == [True] * 4
    assert found["pool"] == {"min_size": 1, "max_size": 2, "timeout": 30}
    assert (found["pool_max"], found["conn_max_age"]) == (2, 0)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_behind_pgbouncer_no_cursor_outlives_its_transaction():
    found = probe(DB_PGBOUNCER="1")
    assert found["reads"] == [True] * 4
    assert found["server_side_cursors_off"]


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_job_queue_takes_its_own_redis_database_when_given_one():
    assert probe()["queue"] == "redis://127.0.0.1:6379/0"
    found = probe(QUEUE_URL="redis://127.0.0.1:6379/1")
    assert (found["cache"], found["queue"]) == (
        "redis://127.0.0.1:6379/0",
        "redis://127.0.0.1:6379/1",
    )
