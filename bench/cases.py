"""City cases at city scale, in a generated city demo (a million cases, about 100,000 open).

bench/run.py runs this in the city demo it generated (VANGUARD_VAR_DIR); it prints one
JSON line. Each figure has a baseline:

- ``routing``: routing a new case's point (``citywork.routing.route``: the grid holding
  it, then the unit by the routes) and the duplicate check beside it (``nearby_open``),
  for points all over the district; p50 and p95. Naive: every grid's polygon tested.
- ``figures``: the case figures of the bulletin's month for every unit
  (``queries.cases.case_figures``, two queries). Naive: every case and step of the
  campaign read into Python and counted there.
- ``unit_list``: one unit's open cases as its list shows them (the unit with the most),
  first page of 50 by due time and their count, through ``org.access`` as the unit's
  reporter: the page's ids from the index (unit, state, due_at), then their rows.
  Naive: every open case of the unit read and sorted in Python. (The case pages and their queue
  come from another piece of work; this is the query under them.)

- ``open311``: Open311 GET Service Requests of 1,000 rows (``/open311/v2/requests.json``
  and ``.xml``, the spec's default window of the last 90 days; open ones of one service;
  one partner's sync by ``updated_after``), through Django's test Client with its
  middleware, as p50. Baseline: the bare SQL for the same rows (the cases, their unit and
  category, in one statement) fetched whole.

The open-case layer of the map is in bench/maps.py (layer ``cases``).

Targets (issue 12): routing < 50 ms; a unit's case queue p50 < 100 ms; Open311 GET requests
of 1,000 rows < 300 ms.

    python bench/cases.py
"""

import datetime
import json
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

from city import Queries, median_ms, once_s  # noqa: E402

ROUTING_TARGET_MS = 50
LIST_TARGET_MS = 100
OPEN311_TARGET_MS = 300
POINTS = 300
PAGE = 50


def _percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(share * len(values)))]


def routing(campaign):
    """Each point routed and checked for duplicates, one at a time, as a report is."""
    from vanguard.citywork import routing as router
    from vanguard.citywork.models import CaseCategory, Grid
    from vanguard.core import geo
    from vanguard.maps import district

    rng = random.Random(12)
    west, south, east, north = district.district_bbox()
    categories = list(CaseCategory.objects.filter(parent__isnull=False))
    points = []
    while len(points) < POINTS:
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        if district.inside(lon, lat):
            points.append((rng.choice(categories), lon, lat))
    for category, lon, lat in points[:10]:  # warm
        router.route(category, lon, lat)
    route_ms, near_ms, found = [], [], 0
    for category, lon, lat in points:
        started = time.perf_counter()
        route = router.route(category, lon, lat)
        middle = time.perf_counter()
        router.nearby_open(category, lon, lat)
        route_ms.append((middle - started) * 1000)
        near_ms.append((time.perf_counter() - middle) * 1000)
        found += route.grid is not None
    grids = list(Grid.objects.values_list("pk", "geometry"))

    def naive(lon, lat):
        return next((pk for pk, shape in grids if geo.contains(shape, lon, lat)), None)

    naive_ms = (
        median_ms(lambda: [naive(lon, lat) for _c, lon, lat in points[:20]], repeat=3, warm=1) / 20
    )
    with Queries() as queries:
        router.route(points[0][0], points[0][1], points[0][2])
    return {
        "points": POINTS,
        "in_a_grid": found,
        "grids": len(grids),
        "route_p50_ms": statistics.median(route_ms),
        "route_p95_ms": _percentile(route_ms, 0.95),
        "nearby_p50_ms": statistics.median(near_ms),
        "nearby_p95_ms": _percentile(near_ms, 0.95),
        "both_p95_ms": _percentile([a + b for a, b in zip(route_ms, near_ms, strict=True)], 0.95),
        "naive_ms": naive_ms,
        "route_queries": queries.count,
        "route_sql_ms": queries.sql_ms,
    }


def _bulletin_month(campaign):
    from django.utils import timezone

    last = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return last.replace(day=1), last


def figures(campaign):
    """Every unit's case figures for last month; naive: a count per unit and figure."""
    from django.utils import timezone

    from vanguard.citywork.models import Case, CaseEvent
    from vanguard.citywork.queries.case_figures import case_figures, window

    start, end = _bulletin_month(campaign)
    with Queries() as queries:
        found = case_figures(campaign, start, end)
    figure_ms = median_ms(lambda: case_figures(campaign, start, end), repeat=3, warm=1)
    first, edge = window(start, end, timezone.now())

    def naive():
        """Every case and step of the campaign read into Python and counted there."""
        result = {}
        for unit, state, dispatched, due, handled, closed, in_time, postponed in (
            Case.objects.filter(campaign=campaign, unit__isnull=False)
            .exclude(state__in=["discarded", "merged"])
            .values_list(
                "unit_id",
                "state",
                "dispatched_at",
                "due_at",
                "handled_at",
                "closed_at",
                "closed_on_time",
                "postponed",
            )
            .iterator(chunk_size=10_000)
        ):
            counts = result.setdefault(unit, [0] * 8)
            done = state == "closed" and first <= closed < edge
            still_open = state != "closed" or closed >= edge
            counts[0] += first <= dispatched < edge
            counts[1] += done or (still_open and first <= due < edge)
            counts[2] += done
            counts[3] += done and not postponed
            counts[4] += done and in_time and not postponed
            counts[5] += (done and not in_time) + (
                still_open
                and dispatched < edge
                and due < edge
                and (handled is None or handled > due)
            )
        for unit, action in CaseEvent.objects.filter(
            case__campaign=campaign, at__gte=first, at__lt=edge, unit__isnull=False
        ).values_list("unit_id", "action"):
            counts = result.setdefault(unit, [0] * 8)
            counts[6] += action == "return"
            counts[7] += action in ("check_failed", "reopen")
        return {unit: counts for unit, counts in result.items() if any(counts)}

    naive_s, naive_rows = once_s(naive)
    agrees = naive_rows == {
        unit: [
            f.dispatched,
            f.due,
            f.closed,
            f.closed_timed,
            f.closed_on_time,
            f.overdue,
            f.returned,
            f.rework,
        ]
        for unit, f in found.items()
    }
    return {
        "month": start.isoformat(),
        "units": len(found),
        "naive_agrees": agrees,
        "ms": figure_ms,
        "queries": queries.count,
        "sql_ms": queries.sql_ms,
        "naive_ms": naive_s * 1000,
        "cases": Case.objects.filter(campaign=campaign).count(),
        "events": CaseEvent.objects.count(),
    }


def unit_list(campaign):
    """The busiest unit's open cases, first page by due time, as its reporter sees them."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from vanguard.citywork.models import Case
    from vanguard.citywork.models.cases import TIMED_STATES
    from vanguard.org import access
    from vanguard.org.choices import Role
    from vanguard.org.models import RoleAssignment

    reporters = set(
        RoleAssignment.objects.filter(role=Role.UNIT_REPORTER).values_list("unit_id", flat=True)
    )
    busiest = next(
        row["unit_id"]
        for row in Case.objects.filter(campaign=campaign, state__in=TIMED_STATES)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        if row["unit_id"] in reporters
    )
    open_cases = Case.objects.filter(campaign=campaign, unit_id=busiest, state__in=TIMED_STATES)
    reporter = get_user_model().objects.get(
        pk=RoleAssignment.objects.filter(role=Role.UNIT_REPORTER, unit_id=busiest)
        .values_list("person__user_id", flat=True)
        .first()
    )
    fields = ("id", "state", "due_at", "category__name", "address", "dispatched_at", "bounce_count")

    def page():
        """The page's ids in due order from the index (unit, state, due_at), then its rows."""
        seen = access.narrow_cases(access.restrict(Case.objects.all(), reporter), reporter)
        at_door = seen.filter(campaign=campaign, unit_id=busiest, state__in=TIMED_STATES)
        ids = list(at_door.order_by("due_at", "id").values_list("id", flat=True)[:PAGE])
        rows = sorted(
            Case.objects.filter(pk__in=ids).values(*fields),
            key=lambda row: ids.index(row["id"]),
        )
        return rows, at_door.count()

    with Queries() as queries:
        rows, total = page()
    figure_ms = median_ms(page)

    def naive():
        every = list(open_cases.select_related("category"))
        every.sort(key=lambda case: (case.due_at, case.pk))
        return [(c.pk, c.category.name) for c in every[:PAGE]], len(every)

    naive_ms = median_ms(naive, repeat=5, warm=1)
    return {
        "unit_open": total,
        "shown": len(rows),
        "ms": figure_ms,
        "queries": queries.count,
        "sql_ms": queries.sql_ms,
        "naive_ms": naive_ms,
    }


def _bare_requests(where, params):
    """The same page of cases as bare SQL: the rows, their unit and category, newest first."""
    from django.db import connection

    from vanguard.citywork.models import Case, CaseCategory
    from vanguard.org.models import Unit

    sql = (
        "SELECT c.id, c.state, c.description, c.address, c.lon, c.lat, c.reported_at,"
        " c.updated_at, c.closed_at, c.due_at, u.name, k.code, k.name"
        " FROM {case} c JOIN {category} k ON k.id = c.category_id"
        " LEFT JOIN {unit} u ON u.id = c.unit_id"
        " WHERE k.public AND {where} ORDER BY c.reported_at DESC, c.id DESC LIMIT 1000"
    ).format(
        case=Case._meta.db_table,
        category=CaseCategory._meta.db_table,
        unit=Unit._meta.db_table,
        where=where,
    )

    def fetch():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return fetch


def open311(campaign):
    """GET Service Requests of 1,000 rows through the door, beside the bare SQL."""
    from urllib.parse import urlencode

    from django.conf import settings
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from vanguard.citywork.models import Case, CaseCategory
    from vanguard.citywork.open311.views import CLOSED_STATES, MOST_DAYS

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    now = timezone.now()
    start = now - datetime.timedelta(days=MOST_DAYS)
    busiest = (
        Case.objects.exclude(state__in=CLOSED_STATES)
        .filter(category__public=True)
        .values("category__code")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["category__code"]
    )
    category = CaseCategory.objects.get(code=busiest)
    since = now - datetime.timedelta(days=7)
    closed = tuple(str(state) for state in CLOSED_STATES)
    shut = ",".join(["%s"] * len(closed))
    asks = [
        ("the last 90 days, JSON", "json", {}, "c.reported_at >= %s", [start]),
        ("the last 90 days, XML", "xml", {}, "c.reported_at >= %s", [start]),
        (
            "open ones of the busiest service",
            "json",
            {"service_code": busiest, "status": "open"},
            "c.reported_at >= %s AND c.category_id = %s AND c.state NOT IN ({})".format(shut),
            [start, category.pk, *closed],
        ),
        (
            "changed in the last 7 days (a partner's sync)",
            "json",
            {"updated_after": since.isoformat()},
            "c.reported_at >= %s AND c.updated_at > %s",
            [start, since],
        ),
    ]
    client = Client()
    calls = iter(range(1_000_000))

    def get(url):
        # Each call from an address of its own: the read limit is per address.
        n = next(calls)
        answer = client.get(
            url, REMOTE_ADDR="10.{}.{}.{}".format(n >> 16 & 255, n >> 8 & 255, n & 255)
        )
        assert answer.status_code == 200, answer.content[:300]
        return answer

    results = []
    for label, fmt, params, where, values in asks:
        url = "/open311/v2/requests.{}?{}".format(fmt, urlencode(params))
        rows = (
            len(get(url).content.split(b"<request>")) - 1 if fmt == "xml" else len(get(url).json())
        )
        with Queries() as queries:
            get(url)
        bare = _bare_requests(where, values)
        results.append(
            {
                "ask": label,
                "rows": rows,
                "bare_rows": len(bare()),
                "ms": median_ms(lambda url=url: get(url), repeat=9, warm=1),
                "queries": queries.count,
                "sql_ms": queries.sql_ms,
                "bare_ms": median_ms(bare, repeat=9, warm=1),
            }
        )
        print(results[-1], file=sys.stderr, flush=True)
    return results


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanguard.settings")
    import django

    django.setup()
    from vanguard.org.queries import current_campaign

    campaign = current_campaign(None)
    results = {}
    parts = (
        ("routing", routing),
        ("figures", figures),
        ("unit_list", unit_list),
        ("open311", open311),
    )
    wanted = set(sys.argv[1:]) or {name for name, _part in parts}
    for name, part in parts:
        if name not in wanted:
            continue
        results[name] = part(campaign)
        print(name, results[name], file=sys.stderr, flush=True)
    print(json.dumps(results, ensure_ascii=False, default=str))


def demo_lines(demo_rows):
    """The city cases part of ``vanguard demo`` at each scale (bench/demo_generation.py)."""
    lines = [
        "The demo's cases (`demo.cases`: a year of cases in every state, rows as tuples",
        "through `core.bulk.insert_rows`, the indexes built once at the end on SQLite; the",
        "flow record whole at district scale, at city scale for open, returned, reworked and",
        "postponed cases and a sample):",
        "",
        "| scale | cases | open | steps | cases part (s) | whole command (s) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for scale, fast, _naive in demo_rows or []:
        if "cases_seconds" not in fast:
            continue
        lines.append(
            "| {} | {} | {} | {} | {:.1f} | {:.1f} |".format(
                scale,
                fast["cases"],
                fast["open_cases"],
                fast["case_steps"],
                fast["cases_seconds"],
                fast["seconds"],
            )
        )
    return lines + [""]


def report(found, demo_rows=None):
    """The section of docs/benchmarks.md (bench/run.py writes it)."""
    from figures import ratio, verdict

    lines = [
        "",
        "## City scale: city cases (SQLite)",
        "",
        *demo_lines(demo_rows),
        "In the city demo (`bench/cases.py`). *Routing*: {} points all over the district,".format(
            POINTS
        ),
        "each routed (the grid that holds it among the city's grids, then the unit by the",
        "routes) and checked for open duplicates nearby, one at a time as a report is; naive:",
        "every grid's polygon tested. *Figures*: every unit's 派遣, 应结案, 结案, 按期, 超期,",
        "返工 and 退单 for the bulletin's month (two queries); naive: every case and step of the",
        "campaign read into Python and counted there. *One unit's open cases*: the busiest unit's first page of 50 by due time and",
        "its count, through the access module as its reporter; naive: the unit's open cases",
        "read into Python and sorted. The open-case layer of the map is in the map's section.",
        "",
        "| | figure (ms) | target | | queries | SQL (ms) | naive (ms) | ratio |",
        "|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    if not found:
        lines.append("| city cases | did not finish | | | | | | |")
        return lines
    routed = found.get("routing")
    if routed:
        lines += [
            "| route a point, p50 ({} grids; p95 {:.1f}) | {:.1f} | < {} | {} | {} | {:.1f} |"
            " {:.1f} | {} |".format(
                routed["grids"],
                routed["route_p95_ms"],
                routed["route_p50_ms"],
                ROUTING_TARGET_MS,
                verdict(routed["route_p95_ms"], ROUTING_TARGET_MS),
                routed["route_queries"],
                routed["route_sql_ms"],
                routed["naive_ms"],
                ratio(routed["naive_ms"], routed["route_p50_ms"]),
            ),
            "| duplicates nearby, p50 (p95 {:.1f}); route and check together, p95 | {:.1f};"
            " {:.1f} | < {} | {} | | | | |".format(
                routed["nearby_p95_ms"],
                routed["nearby_p50_ms"],
                routed["both_p95_ms"],
                ROUTING_TARGET_MS,
                verdict(routed["both_p95_ms"], ROUTING_TARGET_MS),
            ),
        ]
    counted = found.get("figures")
    if counted:
        lines.append(
            "| case figures of {} for {} units ({} cases, {} steps) | {:.0f} | | | {} | {:.0f} |"
            " {:.0f} | {} |".format(
                counted["month"][:7],
                counted["units"],
                counted["cases"],
                counted["events"],
                counted["ms"],
                counted["queries"],
                counted["sql_ms"],
                counted["naive_ms"],
                ratio(counted["naive_ms"], counted["ms"]),
            )
        )
    listed = found.get("unit_list")
    if listed:
        lines.append(
            "| one unit's open cases, first page ({} open), p50 | {:.1f} | < {} | {} | {} |"
            " {:.1f} | {:.0f} | {} |".format(
                listed["unit_open"],
                listed["ms"],
                LIST_TARGET_MS,
                verdict(listed["ms"], LIST_TARGET_MS),
                listed["queries"],
                listed["sql_ms"],
                listed["naive_ms"],
                ratio(listed["naive_ms"], listed["ms"]),
            )
        )
    asked = found.get("open311")
    if asked:
        lines += [
            "",
            "Open311 GET Service Requests (`/open311/v2/requests`, up to 1,000 rows, through",
            "Django's test Client with its middleware and the read limit), p50; baseline: the",
            "bare SQL for the same rows (cases, unit and category in one statement) fetched",
            "whole; the last column is how many times the bare rows' time the door takes.",
            "",
            "| request | rows | figure (ms) | target | | queries | SQL (ms) | bare SQL (ms) | figure ÷ bare |",
            "|---|---:|---:|---:|---|---:|---:|---:|---:|",
        ]
        for row in asked:
            lines.append(
                "| {} | {} | {:.0f} | < {} | {} | {} | {:.0f} | {:.0f} | {:.1f}× |".format(
                    row["ask"],
                    row["rows"],
                    row["ms"],
                    OPEN311_TARGET_MS,
                    verdict(row["ms"], OPEN311_TARGET_MS),
                    row["queries"],
                    row["sql_ms"],
                    row["bare_ms"],
                    row["ms"] / row["bare_ms"] if row["bare_ms"] else 0,
                )
            )
    return lines


if __name__ == "__main__":
    main()
