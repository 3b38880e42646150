"""Province-scale benchmarks on PostgreSQL: pages, certification queue, chart, lights.

Runs against a province already generated into the database of DATABASE_URL
(``vanguard demo --scale province`` then ``vanguard lights recompute``, decision 0038);
generating it takes a quarter of an hour, so this script never does. It prints one
JSON line, with the load average beside each figure, the machine being shared:

- ``pages``: the project list, a project page, the node matrix, the overview, the unit
  lights page, the certification queue and the progress page, each as the office, the
  leader, a unit's reporter and the projects task-force member, through Django's test
  Client as bench/city.py does (p50 of repeated requests, the query count, the
  database's share). A page a person may not open is listed with its status code.
  Each page also names its slowest statement, to be read with ``EXPLAIN ANALYZE``.
- ``chart``: ``progress_chart`` as bench/city.py measures it (naive and bare SQL).
- ``lights``: the daily recompute (every light already stored, as after the nightly
  job), the projects battle's recompute alone and the part of it holding the write,
  beside the bare-SQL read of the same judgements. Rolled back.

    DATABASE_URL=postgres://... python bench/province.py [--part pages|chart|lights ...]
    ... python bench/province.py --part pages --page "unit lights"
    python bench/province.py --report RESULTS.json [RESULTS.json ...]

``--report`` prints the tables of docs/benchmarks.md from the JSON lines of earlier runs.
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

from city import (  # noqa: E402
    Queries,
    median_ms,
    naive_list,
    naive_matrix,
    naive_queue,
    once_s,
    user,
)
from city import chart as city_chart  # noqa: E402
from figures import ratio, verdict  # noqa: E402

PARTS = ("pages", "chart", "lights", "naive")
PEOPLE = ("office", "leader", "reporter_hdjd", "tf_projects")
# The reporter's unit: a street of the West Coast, whose projects it reports on.
REPORTER_UNIT = "hdjd"
PAGE_TARGET_MS = 100
LIGHTS_TARGET_S = 60
# The daily recompute may take at most this many times the bare read of its judgements.
LIGHTS_TARGET_RATIO = 2
REPEAT, SLOW_REPEAT, SLOW_MS = 9, 3, 2000
# The same pages' p50 (ms) in the city demo on SQLite (docs/benchmarks.md, "City scale"):
# the list, matrix and queue by bench/city.py, the cockpit by bench/board.py.
CITY_P50_MS = {
    ("project list", "leader"): 20,
    ("node matrix", "leader"): 42,
    ("certification queue", "tf_projects"): 38,
    ("overview (cockpit)", "leader"): 62,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", action="append", choices=PARTS)
    parser.add_argument("--page", action="append", help="only the pages of these names")
    parser.add_argument("--report", nargs="+", metavar="RESULTS")
    args = parser.parse_args()
    if args.report:
        found = {}
        for path in args.report:
            with open(path, encoding="utf-8") as results:
                found.update(json.loads(results.read().strip().splitlines()[-1]))
        print("\n".join(report(found)))
        return 0

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanguard.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("bench/province.py measures a province on PostgreSQL")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False

    from vanguard.org.queries import current_campaign

    campaign = current_campaign(None)
    parts = {
        "pages": lambda c: pages(c, only=args.page),
        "chart": chart,
        "lights": lights,
        "naive": naive,
    }
    results = {"database": database()}
    for part in args.part or PARTS:
        results[part] = parts[part](campaign)
    print(json.dumps(results, ensure_ascii=False))
    return 0


def load():
    """The one-minute load average, the machine's two cores being shared."""
    return round(os.getloadavg()[0], 2)


def database():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('server_version'), current_setting('shared_buffers'),"
            " current_setting('work_mem'), pg_database_size(current_database())"
        )
        version, shared_buffers, work_mem, size = cursor.fetchone()
        counts = {}
        for table in (
            "org_unit",
            "projects_project",
            "projects_milestone",
            "projects_dekadreport",
            "supervision_lightstate",
        ):
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
            row = cursor.fetchone()
            counts[table] = row[0] if row else None
    return {
        "postgresql": version,
        "shared_buffers": shared_buffers,
        "work_mem": work_mem,
        "size_mb": size // 2**20,
        "rows_estimated": counts,
    }


# --- pages ---------------------------------------------------------------------------------


def pages(campaign, only=None):
    from django.core.signals import request_started
    from django.db import reset_queries
    from django.test import Client

    from vanguard.projects.models import Project

    project = (
        Project.objects.filter(campaign=campaign, lead_unit__code=REPORTER_UNIT)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )
    specs = [
        ("project list", "/projects/"),
        ("project page", "/projects/p/{}/".format(project)),
        ("node matrix", "/projects/matrix/"),
        ("overview (cockpit)", "/"),
        ("unit lights", "/projects/units/lights/"),
        ("certification queue", "/projects/certification/"),
        ("progress page (the chart's data)", "/projects/progress/"),
    ]
    clients = {}
    for username in PEOPLE:
        clients[username] = Client()
        clients[username].force_login(user(username))
    # The per-request reset would empty the log before it is read.
    request_started.disconnect(reset_queries)
    rows = []
    try:
        for name, url in specs:
            if only and name not in only:
                continue
            for username in PEOPLE:
                rows.append(_page(name, url, username, clients[username]))
    finally:
        request_started.connect(reset_queries)
    return rows


def _page(name, url, username, client):
    from django.core.cache import cache

    row = {"name": name, "url": url, "user": username, "target_ms": PAGE_TARGET_MS}
    # The first visit finds nothing kept: as after a write changed the projects'
    # version or a recompute the lights (the figures kept under them are made again).
    cache.clear()
    started = time.perf_counter()
    first = client.get(url)
    first_ms = (time.perf_counter() - started) * 1000
    row["first_ms"] = round(first_ms, 1)
    if first.status_code != 200:
        # Not this person's page (a 403, or a redirect to where they belong).
        row["status"] = first.status_code
        print("page {} as {}: {}".format(name, username, first.status_code), file=sys.stderr)
        return row

    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit("{} answered {} to {}".format(url, response.status_code, username))

    slow = first_ms > SLOW_MS
    row["load_before"] = load()
    row["p50_ms"] = round(median_ms(get, SLOW_REPEAT if slow else REPEAT, 1), 1)
    row["runs"] = SLOW_REPEAT if slow else REPEAT
    row["load_after"] = load()
    with Queries() as queries:
        get()
    row["queries"] = queries.count
    row["sql_ms"] = round(queries.sql_ms, 1)
    row["slowest"] = slowest(queries.log)
    if row["p50_ms"] >= PAGE_TARGET_MS and row["slowest"]:
        row["slowest"]["plan"] = explain(row["slowest"]["sql"])
    print(
        "page {} as {}: {:.1f} ms ({} queries)".format(
            name, username, row["p50_ms"], row["queries"]
        ),
        file=sys.stderr,
    )
    return row


def slowest(log):
    """The slowest read among a request's statements, replayed (best of two)."""
    from django.db import connection

    worst = None
    with connection.cursor() as cursor:
        for query in log:
            if not query["sql"].startswith("SELECT"):
                continue
            best = None
            for _ in range(2):
                started = time.perf_counter()
                cursor.execute(query["sql"])
                cursor.fetchall()
                spent = (time.perf_counter() - started) * 1000
                best = spent if best is None else min(best, spent)
            if worst is None or best > worst["ms"]:
                worst = {"ms": round(best, 1), "sql": query["sql"]}
    return worst


def explain(sql):
    """The plan PostgreSQL ran a statement with, and what each step cost."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return [line for (line,) in cursor.fetchall()]


def naive(campaign):
    """bench/city.py's naive page data (every visible row into Python), timed once each:
    at a province one run takes tens of seconds."""
    found = {}
    for name, username, fn in (
        ("project list", "leader", naive_list),
        ("node matrix", "leader", naive_matrix),
        ("certification queue", "tf_projects", naive_queue),
    ):
        person = user(username)
        before = load()
        seconds, _data = once_s(lambda fn=fn, person=person: fn(person, campaign))
        found[name] = {"user": username, "ms": round(seconds * 1000), "load": max(before, load())}
        print("naive {}: {:.1f} s".format(name, seconds), file=sys.stderr)
    return found


# --- the monthly progress chart -------------------------------------------------------------


def chart(campaign):
    before = load()
    found = city_chart(campaign)
    found.update(load_before=before, load_after=load())
    return found


# --- status lights -------------------------------------------------------------------------


def lights(campaign):
    """The daily recompute of every light already stored, and the projects battle alone."""
    from django.db import transaction

    from vanguard.supervision import lights as engine
    from vanguard.supervision.kinds import kinds_in, rules_for
    from vanguard.supervision.models import LightState

    found = {"target_s": LIGHTS_TARGET_S, "target_ratio": LIGHTS_TARGET_RATIO}
    with transaction.atomic():
        found["load_before"] = load()
        # Judged as of today, as the stored lights were: a daily run with nothing new.
        seconds, daily = once_s(lambda: engine.recompute(campaign))
        found["daily"] = {
            "s": round(seconds, 2),
            "reading_s": round(daily.reading_s, 2),
            "writing_s": round(daily.writing_s, 2),
            "events": daily.events,
            "load_after": load(),
        }
        print("lights, daily: {:.1f} s".format(seconds), file=sys.stderr)
        seconds, battle = once_s(lambda: engine.recompute(campaign, group="projects"))
        found["projects"] = {
            "s": round(seconds, 2),
            "reading_s": round(battle.reading_s, 2),
            "writing_s": round(battle.writing_s, 2),
            "events": battle.events,
            "lights": LightState.objects.filter(
                campaign=campaign, kind__in=kinds_in("projects")
            ).count(),
            "load_after": load(),
        }
        print("lights, projects: {:.1f} s".format(seconds), file=sys.stderr)
        transaction.set_rollback(True)
    found["as_of"] = daily.as_of.isoformat()
    found["lights"] = sum(sum(by_light.values()) for by_light in daily.counts.values())
    judging = engine.Judging.of(engine.policy_for(campaign), daily.as_of)
    bare, _rows = once_s(
        lambda: [
            len(engine.judged(rules_for(kind).judge(campaign, judging)))
            for kind in ("milestone", "project")
        ]
    )
    found["bare_read_s"] = round(bare, 2)
    found["load_after"] = load()
    print("lights, bare read: {:.1f} s".format(bare), file=sys.stderr)
    return found


# --- the report ------------------------------------------------------------------------------


def _load(row):
    loads = [row.get("load_before"), row.get("load_after")]
    loads = [x for x in loads if x is not None]
    if not loads:
        return ""
    low, high = min(loads), max(loads)
    return (
        "{:.1f}".format(high)
        if round(low, 1) == round(high, 1)
        else "{:.1f}–{:.1f}".format(low, high)
    )


def report(found):
    """The province's measured tables for docs/benchmarks.md."""
    lines = []
    db = found.get("database") or {}
    if db:
        lines += [
            "PostgreSQL {}, shared_buffers {}, work_mem {}; the database {:,} MB.".format(
                db["postgresql"], db["shared_buffers"], db["work_mem"], db["size_mb"]
            ),
            "",
        ]
    rows = found.get("pages") or []
    if rows:
        lines += [
            "| page | as | p50 (ms) | target | | first, nothing kept (ms) | queries | SQL (ms) "
            "| slowest read (ms) | load | city (ms) | × city | naive (ms) | naive / p50 |",
            "|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        naive_ms = found.get("naive") or {}
        for row in rows:
            if "p50_ms" not in row:
                lines.append(
                    "| {} (`{}`) | {} | not theirs ({}) | | | | | | | | | | | |".format(
                        row["name"], row["url"], row["user"], row["status"]
                    )
                )
                continue
            city = CITY_P50_MS.get((row["name"], row["user"]))
            slow = naive_ms.get(row["name"]) or {}
            slow = slow.get("ms") if slow.get("user") == row["user"] else None
            lines.append(
                "| {} (`{}`) | {} | {:.0f} | < {} | {} | {} | {} | {:.0f} | {:.0f} | {} "
                "| {} | {} | {} | {} |".format(
                    row["name"],
                    row["url"],
                    row["user"],
                    row["p50_ms"],
                    row["target_ms"],
                    verdict(row["p50_ms"], row["target_ms"]),
                    "{:.0f}".format(row["first_ms"]) if "first_ms" in row else "",
                    row["queries"],
                    row["sql_ms"],
                    (row.get("slowest") or {}).get("ms", 0),
                    _load(row),
                    city or "",
                    "{:.1f}×".format(row["p50_ms"] / city) if city else "",
                    slow or "",
                    ratio(slow, row["p50_ms"]) if slow else "",
                )
            )
        lines.append("")
    drawn = found.get("chart")
    if drawn:
        lines += [
            "| | p50 (ms) | target | | queries | SQL (ms) | naive (ms) | ratio "
            "| bare SQL (ms) | load |",
            "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|",
            "| progress_chart | {:.0f} | < {} | {} | {} | {:.0f} | {:.0f} | {} | {:.0f} | {} |".format(
                drawn["p50_ms"],
                drawn["target_ms"],
                verdict(drawn["p50_ms"], drawn["target_ms"]),
                drawn["queries"],
                drawn["sql_ms"],
                drawn["naive_ms"],
                ratio(drawn["naive_ms"], drawn["p50_ms"]),
                drawn["bare_sql_ms"],
                _load(drawn),
            ),
            "",
        ]
    judged = found.get("lights")
    if judged:
        daily, battle, bare = judged["daily"], judged["projects"], judged["bare_read_s"]
        within = daily["s"] <= judged["target_ratio"] * bare
        lines += [
            "| recompute | lights | total (s) | of it writing (s) | target | "
            "| bare read (s) | total / bare read | load |",
            "|---|---:|---:|---:|---:|---|---:|---:|---:|",
            "| whole campaign, daily | {:,} | {:.1f} | {:.1f} | < {} s, ≤ {}× bare | {} "
            "| {:.1f} | {:.2f}× | {} |".format(
                judged["lights"],
                daily["s"],
                daily["writing_s"],
                judged["target_s"],
                judged["target_ratio"],
                "met" if daily["s"] < judged["target_s"] and within else "**missed**",
                bare,
                daily["s"] / bare,
                _load({"load_before": judged["load_before"], "load_after": daily["load_after"]}),
            ),
            "| projects battle alone | {:,} | {:.1f} | {:.1f} | | | | {:.2f}× | {} |".format(
                battle["lights"],
                battle["s"],
                battle["writing_s"],
                battle["s"] / bare,
                _load({"load_after": battle["load_after"]}),
            ),
            "",
        ]
    return lines


if __name__ == "__main__":
    sys.exit(main())
