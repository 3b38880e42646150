"""City-scale benchmarks in a generated city demo: pages, queue, chart, lights, imports.

bench/run.py generates the city demo once into a temporary VANGUARD_VAR_DIR and runs
this script there; it prints one JSON line. Pages go through Django's test Client: the
real URLs, middleware, views and templates, logged in as the demo accounts ``leader``
and ``tf_projects``. Their time is server time, from the request entering Django to
the rendered response, without a network or a browser; the figure is the median (p50)
of repeated requests after two warm-up requests.

Each figure has a baseline that gets the same answer the naive way: Python-side
filtering, sorting and counting, a query per row, per-row ORM writes; for the chart
and the light recompute also the bare SQL of the answer. Writes (the light recompute,
the import) run in a transaction that is rolled back, so every benchmark sees the
same database.

    python bench/city.py [--part counts|lights|pages|chart|import|import_changes ...] [--quick]

Each part can run on its own (bench/run.py runs each in its own process, with a time
limit). ``--quick`` times the per-row import baselines on 1,000 rows and scales them to
10,000 (the figure says so); by default they run on all 10,000.
"""

import argparse
import datetime
import io
import json
import os
import statistics
import sys
import time
from collections import Counter, defaultdict

REPEAT = 15
IMPORT_ROWS = 10_000
PARTS = ("counts", "lights", "pages", "chart", "import", "import_changes")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", action="append", choices=PARTS)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanguard.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False

    from vanguard.org.queries import current_campaign

    campaign = current_campaign(None)
    parts = {
        "counts": counts,
        "lights": lights,
        "pages": pages,
        "chart": chart,
        "import": lambda c: import_sheet(c, quick=args.quick),
        "import_changes": lambda c: import_changes(c, quick=args.quick),
    }
    results = {part: parts[part](campaign) for part in args.part or PARTS}
    print(json.dumps(results, ensure_ascii=False))


# --- measuring ---------------------------------------------------------------------------


def median_ms(fn, repeat=REPEAT, warm=2):
    """The median wall time of ``fn()`` in milliseconds, after ``warm`` untimed calls."""
    for _ in range(warm):
        fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def once_s(fn):
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


class Queries:
    """The statements run inside the block and the database time they took."""

    def __enter__(self):
        from django.db import connection

        self.connection = connection
        self.debug = connection.force_debug_cursor
        connection.force_debug_cursor = True
        connection.queries_log.clear()
        return self

    def __exit__(self, *exc):
        self.log = list(self.connection.queries_log)
        self.connection.force_debug_cursor = self.debug
        self.connection.queries_log.clear()

    @property
    def count(self):
        return len(self.log)

    @property
    def sql_ms(self):
        """The database's time for the block's reads, each run again and read to the end.

        Django's own timing stops when a statement has started, but SQLite does much of
        a DISTINCT or a join while the rows are fetched; so each SELECT is replayed (as
        logged, parameters in place) and fetched whole, best of three.
        """
        total = 0.0
        with self.connection.cursor() as cursor:
            for query in self.log:
                if not query["sql"].startswith("SELECT"):
                    continue
                best = None
                for _ in range(3):
                    started = time.perf_counter()
                    cursor.execute(query["sql"])
                    cursor.fetchall()
                    spent = time.perf_counter() - started
                    best = spent if best is None else min(best, spent)
                total += best
        return total * 1000


def counts(campaign):
    from vanguard.projects.choices import ReportStatus
    from vanguard.projects.models import DekadReport, Milestone, Project

    return {
        "projects": Project.objects.filter(campaign=campaign).count(),
        "milestones": Milestone.objects.filter(project__campaign=campaign).count(),
        "reports": DekadReport.objects.filter(project__campaign=campaign).count(),
        "waiting": DekadReport.objects.filter(
            project__campaign=campaign, status=ReportStatus.SUBMITTED
        ).count(),
    }


def user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


# --- pages ---------------------------------------------------------------------------------


def pages(campaign):
    from django.core.signals import request_started
    from django.db import reset_queries
    from django.test import Client

    from vanguard.projects.models import Project

    # The per-request reset would empty the log before it is read.
    request_started.disconnect(reset_queries)
    leader, task_force = user("leader"), user("tf_projects")
    clients = {}
    for person in (leader, task_force):
        client = Client()
        client.force_login(person)
        clients[person.username] = client
    busiest = (
        Project.objects.filter(campaign=campaign)
        .values_list("lead_unit__code", flat=True)
        .order_by("lead_unit__code")
        .first()
    )
    sector = Project.objects.filter(campaign=campaign).values_list("sector", flat=True).first()
    specs = [
        ("list", "project list, page 1", "/projects/", "leader", 100, naive_list),
        ("list", "project list, one unit", "/projects/?unit=" + busiest, "leader", 100, None),
        ("list", "project list, one sector", "/projects/?sector=" + sector, "leader", 100, None),
        ("list", "project list, page 1000", "/projects/?page=1000", "leader", 100, None),
        ("matrix", "node matrix, page 1", "/projects/matrix/", "leader", 100, naive_matrix),
        (
            "matrix",
            "node matrix, started projects",
            "/projects/matrix/?stage=started",
            "leader",
            100,
            None,
        ),
        (
            "queue",
            "certification queue, page 1",
            "/projects/certification/",
            "tf_projects",
            100,
            naive_queue,
        ),
    ]
    rows = []
    for kind, name, url, username, target, naive in specs:
        client = clients[username]

        def get(client=client, url=url):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit("{} answered {}".format(url, response.status_code))
            return response

        p50 = median_ms(get)
        with Queries() as queries:
            get()
        row = {
            "kind": kind,
            "name": name,
            "url": url,
            "user": username,
            "p50_ms": round(p50, 1),
            "target_ms": target,
            "queries": queries.count,
            "sql_ms": round(queries.sql_ms, 1),
        }
        if naive is not None:
            person = leader if username == "leader" else task_force
            row["naive_ms"] = round(median_ms(lambda n=naive, p=person: n(p, campaign), 3, 1), 1)
        rows.append(row)
        print("page {}: {:.1f} ms".format(name, p50), file=sys.stderr)
    request_started.connect(reset_queries)
    return rows


def _naive_projects(person, campaign):
    """Every project the person may see, filtered, counted and sorted in Python."""
    from vanguard.org.access import restrict
    from vanguard.projects.models import Project

    projects = [p for p in restrict(Project.objects.all(), person) if p.campaign_id == campaign.pk]
    projects.sort(key=lambda p: p.code)
    stages = Counter(p.stage for p in projects)
    sectors = sorted({p.sector for p in projects if p.sector})
    return projects, stages, sectors


def naive_list(person, campaign):
    """The list page's data the naive way: all rows into Python, the lead unit per row."""
    from vanguard.org.models import Unit

    projects, stages, sectors = _naive_projects(person, campaign)
    units = sorted(Unit.objects.filter(pk__in={p.lead_unit_id for p in projects}), key=str)
    page = projects[:50]
    return [(p.code, p.name, p.lead_unit.name, p.stage) for p in page], stages, sectors, units


def naive_matrix(person, campaign):
    """The matrix page's data the naive way: as the list, then a query per row and node."""
    rows, stages, sectors, units = naive_list(person, campaign)
    from vanguard.projects.models import Project

    cells = []
    for code, *_rest in rows:
        project = Project.objects.get(code=code)
        for milestone in project.milestones.all():
            cells.append((milestone.node.name, milestone.planned_date, milestone.state))
    return rows, cells


def naive_queue(person, campaign):
    """The queue's data the naive way: every waiting report into Python, sorted there,
    then a query per shown report for its submitter and its nodes."""
    from vanguard.org.access import restrict
    from vanguard.projects.choices import ReportStatus
    from vanguard.projects.models import DekadReport

    waiting = DekadReport.objects.filter(status=ReportStatus.SUBMITTED)
    reports = [
        r
        for r in restrict(waiting.select_related("project", "unit"), person)
        if r.project.campaign_id == campaign.pk
    ]
    reports.sort(key=lambda r: (r.period_start, r.unit.code, r.project.code))
    page = reports[:50]
    return [
        (r.project.code, r.unit.name, r.submitted_by.username, [n.node.name for n in r.nodes.all()])
        for r in page
    ], sorted({r.period for r in reports})


# --- the monthly progress chart -------------------------------------------------------------


def chart(campaign):
    from vanguard.projects.progress import progress_chart

    leader = user("leader")
    month = _today(campaign)
    p50 = median_ms(lambda: progress_chart(campaign, leader, month), 7)
    with Queries() as queries:
        answer = progress_chart(campaign, leader, month)
    naive = median_ms(lambda: naive_chart(campaign, month), 3, 1)
    bare = median_ms(lambda: bare_chart(campaign, month), 7)
    # The baselines must give the chart's own figures.
    expected = naive_chart(campaign, month)
    if (answer["introduced"]["actual"], answer["started"]["actual"]) != expected:
        raise SystemExit("the naive chart disagrees with progress_chart")
    if bare_chart(campaign, month) != expected:
        raise SystemExit("the bare-SQL chart disagrees with progress_chart")
    print("chart: {:.1f} ms".format(p50), file=sys.stderr)
    return {
        "p50_ms": round(p50, 1),
        "target_ms": 300,
        "queries": queries.count,
        "sql_ms": round(queries.sql_ms, 1),
        "naive_ms": round(naive, 1),
        "bare_sql_ms": round(bare, 1),
    }


def _today(campaign):
    from django.utils import timezone

    return min(timezone.localdate(), campaign.end_date)


def _month_ends(month):
    from vanguard.projects.progress import month_ends

    return month_ends(month.year, month)


def naive_chart(campaign, month):
    """Cumulative certified counts per month end, counted in Python from every project."""
    from vanguard.projects.choices import SizeClass
    from vanguard.projects.models import Project

    ends = _month_ends(month)
    start = datetime.date(month.year, 1, 1)
    rows = Project.objects.filter(campaign=campaign).values_list(
        "introduced_certified_on", "started_certified_on", "size_class", "lead_unit__name"
    )
    introduced, started = [0] * len(ends), [0] * len(ends)
    by_unit = defaultdict(lambda: [0, 0])
    big = {SizeClass.SIZE_1E8, SizeClass.SIZE_5E9}
    for intro, start_on, size, unit in rows:
        for i, end in enumerate(ends):
            if intro and size in big and start <= intro <= end:
                introduced[i] += 1
            if start_on and start <= start_on <= end:
                started[i] += 1
        if intro and size in big and start <= intro <= ends[-1]:
            by_unit[unit][0] += 1
        if start_on and start <= start_on <= ends[-1]:
            by_unit[unit][1] += 1
    return introduced, started


def bare_chart(campaign, month):
    """The same cumulative counts from two grouped range queries (the set-based floor)."""
    from django.db import connection

    ends = _month_ends(month)
    start = datetime.date(month.year, 1, 1)
    series = []
    with connection.cursor() as cursor:
        for column, sized in (("introduced_certified_on", True), ("started_certified_on", False)):
            size = " AND size_class IN ('size_1e8', 'size_5e9')" if sized else ""
            cursor.execute(
                "SELECT {c}, COUNT(*) FROM projects_project WHERE campaign_id = %s "
                "AND {c} >= %s AND {c} <= %s{size} GROUP BY {c}".format(c=column, size=size),
                [campaign.pk, start, ends[-1]],
            )
            per_day = cursor.fetchall()
            series.append(
                [
                    sum(n for day, n in per_day if _as_date(day) <= end)  # cumulative
                    for end in ends
                ]
            )
    return series[0], series[1]


def _as_date(value):
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


# --- status lights -------------------------------------------------------------------------


def lights(campaign):
    """The full light recompute, from no lights and again with nothing changed."""
    try:
        from vanguard.supervision import lights as engine
    except ImportError:
        return None
    from django.db import transaction

    from vanguard.supervision.kinds import groups, kinds_in
    from vanguard.supervision.models import LightEvent, LightState

    today = _today(campaign)
    with transaction.atomic():
        # The demo leaves its lights computed: start from none, as a new campaign does.
        LightEvent.objects.filter(campaign=campaign).delete()
        LightState.objects.filter(campaign=campaign).delete()
        first, result = once_s(lambda: engine.recompute(campaign, today=today))
        again, second = once_s(lambda: engine.recompute(campaign, today=today))
        by_group = {}
        for group in groups():
            # What one battle's burst of writes costs: its own kinds judged again.
            seconds, part = once_s(
                lambda group=group: engine.recompute(campaign, today=today, group=group)
            )
            by_group[group] = {
                "s": round(seconds, 2),
                "writing_s": round(part.writing_s, 2),
                "lights": LightState.objects.filter(
                    campaign=campaign, kind__in=kinds_in(group)
                ).count(),
            }
        transaction.set_rollback(True)
    from vanguard.supervision.kinds import rules_for

    judging = engine.Judging.of(engine.policy_for(campaign), today)
    bare, _rows = once_s(
        lambda: [
            len(engine.judged(rules_for(kind).judge(campaign, judging)))
            for kind in ("milestone", "project")
        ]
    )
    print("lights: {:.1f} s, again {:.1f} s".format(first, again), file=sys.stderr)
    return {
        "first_s": round(first, 2),
        "again_s": round(again, 2),
        "target_s": 10,
        "events": result.events,
        "counts": result.counts,
        "bare_read_s": round(bare, 2),
        # Of the daily recompute, the seconds it held the write (on SQLite, the lock).
        "again_writing_s": round(second.writing_s, 2),
        "by_group": by_group,
    }


# --- importing the project sheet -------------------------------------------------------------


def import_sheet(campaign, *, quick):
    """Import a 10,000-row project sheet of new projects: bulk path against per-row creates."""
    from vanguard.exchange.xlsx import write_workbook
    from vanguard.projects.models import Project
    from vanguard.projects.sheets.project_export import project_rows
    from vanguard.projects.sheets.project_import import ProjectImporter

    # The export's shape, with new codes: every row creates a project.
    headers, rows = project_rows(Project.objects.filter(campaign=campaign).order_by("code"))
    sheet_rows = []
    for row in rows:
        row[0] = "IMP-{:06d}".format(len(sheet_rows) + 1)
        sheet_rows.append(row)
        if len(sheet_rows) == IMPORT_ROWS:
            break
    data = write_workbook([("项目", headers, sheet_rows)])
    actor = user("tf_projects")

    def apply(content, importer_class=ProjectImporter):
        return _apply_timed(actor, campaign, content, importer_class)

    fast, (result, locked) = once_s(lambda: apply(data))
    print("import: {:.1f} s".format(fast), file=sys.stderr)
    baseline_rows = 1000 if quick else IMPORT_ROWS
    baseline_data = (
        data
        if baseline_rows == IMPORT_ROWS
        else write_workbook([("项目", headers, sheet_rows[:1000])])
    )
    naive, (_result, naive_locked) = once_s(lambda: apply(baseline_data, _per_row_importer()))
    print("import per row: {:.1f} s ({} rows)".format(naive, baseline_rows), file=sys.stderr)
    return {
        "rows": IMPORT_ROWS,
        "writing_s": round(locked, 2),
        "created": result.counts["create"],
        "bytes": len(data),
        "seconds": round(fast, 2),
        "target_s": 15,
        "naive_s": round(naive * IMPORT_ROWS / baseline_rows, 2),
        "naive_writing_s": round(naive_locked * IMPORT_ROWS / baseline_rows, 2),
        "naive_rows_timed": baseline_rows,
    }


def _apply_timed(actor, campaign, content, importer_class):
    """Apply a sheet and roll it back; return the result and the seconds spent writing.

    Writing runs from the end of planning to the commit: on SQLite, while the apply
    holds the write lock.
    """
    from django.db import transaction

    from vanguard.exchange.importing import Phase

    marks = {}

    def progress(phase, done, total):
        if phase == Phase.WRITING:
            marks["writing"] = time.perf_counter()

    with transaction.atomic():
        importer = importer_class(actor=actor, campaign=campaign)
        result = importer.apply(io.BytesIO(content), progress=progress)
        marks["written"] = time.perf_counter()
        if not result.applied:
            raise SystemExit("import failed: {}".format([str(p) for p in result.problems[:5]]))
        transaction.set_rollback(True)
    return result, marks["written"] - marks.get("writing", marks["written"])


def import_changes(campaign, *, quick):
    """Import the project sheet back with 10,000 existing projects changed: bulk against per row.

    Each row changes the name, the investment and the first key node's planned date,
    as an office does when it revises its list. Also timed: how long the apply holds
    the write lock (from the end of planning to the commit).
    """
    import datetime as dt

    from vanguard.exchange.xlsx import write_workbook
    from vanguard.projects.models import Project
    from vanguard.projects.sheets.columns import STAGE_COLUMN
    from vanguard.projects.sheets.project_export import project_rows
    from vanguard.projects.sheets.project_import import ProjectImporter

    projects = Project.objects.filter(campaign=campaign).order_by("code")
    headers, rows = project_rows(projects)
    node = headers.index(STAGE_COLUMN.header) + 1  # the first key node's planned date
    sheet_rows = []
    for row in rows:
        row[1] = "{}（调整）".format(row[1])
        row[5] = row[5] + 100
        planned = row[node]
        row[node] = planned + dt.timedelta(days=7) if planned else dt.date(campaign.year, 6, 30)
        sheet_rows.append(row)
        if len(sheet_rows) == IMPORT_ROWS:
            break
    data = write_workbook([("项目", headers, sheet_rows)])
    actor = user("tf_projects")

    def apply(content, importer_class=ProjectImporter):
        return _apply_timed(actor, campaign, content, importer_class)

    fast, (result, locked) = once_s(lambda: apply(data))
    print("import of changes: {:.1f} s, writing {:.1f} s".format(fast, locked), file=sys.stderr)
    baseline_rows = 1000 if quick else IMPORT_ROWS
    baseline_data = (
        data
        if baseline_rows == IMPORT_ROWS
        else write_workbook([("项目", headers, sheet_rows[:baseline_rows])])
    )

    naive, (_result, naive_locked) = once_s(lambda: apply(baseline_data, _per_row_importer()))
    print(
        "import of changes per row: {:.1f} s ({} rows)".format(naive, baseline_rows),
        file=sys.stderr,
    )
    scale = IMPORT_ROWS / baseline_rows
    return {
        "rows": IMPORT_ROWS,
        "updated": result.counts["update"],
        "seconds": round(fast, 2),
        "writing_s": round(locked, 2),
        "target_s": 15,
        "naive_s": round(naive * scale, 2),
        "naive_writing_s": round(naive_locked * scale, 2),
        "naive_rows_timed": baseline_rows,
    }


def _per_row_importer():
    from vanguard.exchange.importing import Importer
    from vanguard.projects.sheets.project_import import ProjectImporter

    class PerRowImporter(ProjectImporter):
        """The importer as it was: per row, do_create_project, or do_update_project and
        do_set_milestone_plan (``apply_row`` through the framework's row-by-row write)."""

        write = Importer.write

    return PerRowImporter


if __name__ == "__main__":
    sys.exit(main())
