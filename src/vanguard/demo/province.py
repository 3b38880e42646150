"""Province-scale demo data on PostgreSQL, streamed through COPY one table at a time.

Ten thousand units, a million major projects with seven million key nodes and ten
million dekad reports do not fit in memory as rows, and the city demo's way (a chunk
of projects drawn from one stream, then written to every table) would start a dozen
short COPY statements for each of 200 chunks. Here each project draws from a stream of its own, seeded by
its number, so a project can be drawn again for each table: the projects go in with
one COPY, then their supporting units, key nodes, reports and the key nodes those
report, each table in one pass. Memory holds the units' people and the problems (a
few hundred thousand short rows at full size), not the tables.
The draws are the city demo's (``projects.rows.Drawing``), so the data has its shape:
stages and certified dates follow certified reports, key nodes come in order, due
dates come from the campaign's calendar, a few units lag far behind.

Ids are numbered from each table's sequence while the load holds the tables, so
reports name their projects and problems their reports without reading anything
back. Units' people are recorded (a head, the projects' responsible person, and a
reporter who signs the reports), but only the named demo accounts can sign in: the
others get an unusable password, and no password is hashed ten thousand times.
"""

import random
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.db import connection
from django.utils.crypto import get_random_string

from vanguard.audit.choices import DEMO_REASON, ChangeAction
from vanguard.audit.log import Change, record_changes
from vanguard.blockers.models import Blocker, BlockerStep
from vanguard.core.bulk import copy_rows, keys_and_indexes_deferred, next_id
from vanguard.demo import org as org_demo
from vanguard.demo import projects as projects_demo
from vanguard.demo.projects.fields import (
    MILESTONE_FIELDS,
    PROJECT_FIELDS,
    REPORT_FIELDS,
    REPORTED_NODE_FIELDS,
    STAGE_CHANGE_FIELDS,
    SUPPORTING_FIELDS,
)
from vanguard.demo.projects.problems import (
    BLOCKER_FIELDS,
    NAMED_FIELDS,
    STEP_FIELDS,
    problem_rows,
)
from vanguard.demo.projects.rows import certify, stage_changes
from vanguard.org.choices import Role
from vanguard.org.models import Person, RoleAssignment, TaskForce, Unit
from vanguard.projects.models import DekadReport, Milestone, Project, ReportedNode, StageChange

UNITS = 10_000
PROJECTS = 1_000_000
# The latest dekads that carry reports: about ten reports per project.
RECENT_DEKADS = 14

# The tables the projects go to: their keys and indexes are made once they are full.
PROJECT_TABLES = (
    Project,
    Project.supporting_units.through,
    Milestone,
    DekadReport,
    ReportedNode,
    StageChange,
    Blocker,
    DekadReport.blockers.through,
    BlockerStep,
)

REFUSAL = (
    "省级规模的演示数据需要 PostgreSQL（用 COPY 写入），当前数据库是 {vendor}；"
    "请设置 DATABASE_URL=postgres://… 后再运行。 / "
    "Province scale needs PostgreSQL (it writes with COPY); this database is {vendor}. "
    "Set DATABASE_URL=postgres://… and run it again."
)


def sizes(factor=1.0):
    """Units and projects at ``factor`` of the full province (never fewer units than the
    district's, which the demo accounts belong to, nor fewer than one project)."""
    district = len(org_demo.unit_specs("district"))
    return max(district, round(UNITS * factor)), max(1, round(PROJECTS * factor))


def generate(seed, campaign, today, *, factor=1.0, step=None):
    """Write the province: units, their people, projects, key nodes, reports and problems.

    Call inside a transaction on PostgreSQL. ``step(table, rows, seconds)`` hears of each
    table as it is written. Returns the rows written, by table.
    """
    units_count, count = sizes(factor)
    rng = random.Random(seed)
    written = {}

    def timed(table, write):
        started = time.perf_counter()
        rows = write()
        written[table] = rows
        if step:
            step(table, rows, time.perf_counter() - started)

    with connection.cursor() as cursor:
        # Nobody else writes these tables while their ids are numbered here.
        cursor.execute(
            "LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE".format(
                ", ".join(
                    connection.ops.quote_name(m._meta.db_table)
                    for m in (Unit, get_user_model(), Person, RoleAssignment, *PROJECT_TABLES)
                )
            )
        )
    started = time.perf_counter()
    with keys_and_indexes_deferred(*PROJECT_TABLES):
        if step:
            step("keys and indexes dropped", 0, time.perf_counter() - started)
        _org(rng, campaign, units_count, timed)
        _projects(rng, campaign, today, count, timed)
        started = time.perf_counter()
    if step:
        step("keys and indexes made", 0, time.perf_counter() - started)
    record_changes(
        [
            Change(
                campaign,
                ChangeAction.CREATE,
                after={"demo": "province", **written},
                reason=DEMO_REASON,
            )
        ],
        actor=None,
    )
    return written


def _org(rng, campaign, count, timed):
    """Units; the demo accounts; a head and a reporter in every unit, who cannot sign in."""
    User = get_user_model()
    specs = org_demo.unit_specs("province", count)
    first_unit = next_id(Unit)
    unit_ids = {code: first_unit + i for i, (code, _n, _k) in enumerate(specs)}
    timed(
        Unit._meta.db_table,
        lambda: copy_rows(
            Unit,
            ("id", "code", "name", "kind"),
            ((unit_ids[c], c, n, k.value) for c, n, k in specs),
        ),
    )
    password = make_password(org_demo.DEMO_PASSWORD)
    admins = {"sysadmin", "secadmin", "auditor"}
    task_forces = dict(TaskForce.objects.filter(campaign=campaign).values_list("battle", "pk"))
    users, people, roles = [], [], []
    user_id, person_id = next_id(User), next_id(Person)
    for username, unit_code, post, role, battle, reporter_unit in org_demo.ACCOUNT_SPECS:
        users.append((user_id, username, password, username in admins))
        people.append(
            (person_id, user_id, org_demo.made_up_name(rng), unit_ids.get(unit_code), post)
        )
        roles.append(
            (
                person_id,
                role.value,
                task_forces.get(battle) if battle else None,
                unit_ids[reporter_unit] if reporter_unit else None,
            )
        )
        user_id, person_id = user_id + 1, person_id + 1
    for code, _n, _k in specs:
        for i, posts in enumerate((org_demo.POSTS_LEAD, org_demo.POSTS_STAFF)):
            unusable = UNUSABLE_PASSWORD_PREFIX + get_random_string(40)
            users.append((user_id, "{}_{}".format(code, i + 1), unusable, False))
            people.append(
                (person_id, user_id, org_demo.made_up_name(rng), unit_ids[code], rng.choice(posts))
            )
            if i:
                roles.append((person_id, Role.UNIT_REPORTER.value, None, unit_ids[code]))
            user_id, person_id = user_id + 1, person_id + 1
    timed(
        User._meta.db_table,
        lambda: copy_rows(User, ("id", "username", "password", "is_staff"), users),
    )
    timed(
        Person._meta.db_table,
        lambda: copy_rows(
            Person,
            ("id", "user_id", "name", "unit_id", "post", "phone"),
            ((*p, org_demo.made_up_phone(rng)) for p in people),
        ),
    )
    timed(
        RoleAssignment._meta.db_table,
        lambda: copy_rows(RoleAssignment, ("person_id", "role", "task_force_id", "unit_id"), roles),
    )


def _projects(rng, campaign, today, count, timed):
    """Projects and all that hangs on them, one table at a time, each project drawn again
    from its own stream for each table."""
    drawing, context = projects_demo.prepare(rng, campaign, today, RECENT_DEKADS)
    # Each project's stream: its number after a draw of the shared one.
    base = rng.getrandbits(64) << 32
    first_project = next_id(Project)
    first_report = next_id(DekadReport)
    first_blocker = next_id(Blocker)
    now = (drawing.eight_am, drawing.offset)

    def projects():
        """Each project: its stream, its row, supporting units and plan."""
        for number in range(count):
            project_rng = random.Random(base + number)
            yield project_rng, *drawing.project(project_rng, first_project + number, number)

    def with_reports():
        """Each project with its key nodes and reports, their ids numbered in order."""
        report_id = first_report
        for project_rng, row, _supporting, plan in projects():
            _milestones, reached = drawing.milestones(project_rng, plan)
            reports = drawing.reports(project_rng, plan, reached)
            ids = range(report_id, report_id + len(reports[0]))
            report_id += len(ids)
            yield project_rng, row, plan, reports, ids

    stages = []

    def project_rows():
        for _rng, row, _plan, (_r, _n, stage_reports, _p), ids in with_reports():
            certify(row, stage_reports)
            stages.extend(stage_changes(row, stage_reports, ids, drawing.certifier))
            yield row

    def milestone_rows():
        for project_rng, _row, _supporting, plan in projects():
            yield from drawing.milestones(project_rng, plan)[0]

    problems = ([], [], [])

    def report_rows():
        blocker_id = first_blocker
        for project_rng, _row, plan, (reports, _n, _s, raised), ids in with_reports():
            yield from ((report_id, *row) for report_id, row in zip(ids, reports, strict=True))
            if raised:
                rows = problem_rows(
                    project_rng, [blocker_id], [plan], reports, ids, [(0, *raised)], now, context
                )
                for found, more in zip(problems, rows, strict=True):
                    found.extend(more)
                blocker_id += 1

    def reported_node_rows():
        for _rng, _row, _plan, (_r, nodes_in, _s, _p), ids in with_reports():
            for index, items in nodes_in:
                for node_id, day in items:
                    yield ids[index], node_id, day

    timed(Project._meta.db_table, lambda: copy_rows(Project, PROJECT_FIELDS, project_rows()))
    timed(
        Project.supporting_units.through._meta.db_table,
        lambda: copy_rows(
            Project.supporting_units.through,
            SUPPORTING_FIELDS,
            (link for _rng, _row, supporting, _plan in projects() for link in supporting),
        ),
    )
    timed(
        Milestone._meta.db_table, lambda: copy_rows(Milestone, MILESTONE_FIELDS, milestone_rows())
    )
    timed(DekadReport._meta.db_table, lambda: copy_rows(DekadReport, REPORT_FIELDS, report_rows()))
    timed(
        ReportedNode._meta.db_table,
        lambda: copy_rows(ReportedNode, REPORTED_NODE_FIELDS, reported_node_rows()),
    )
    timed(StageChange._meta.db_table, lambda: copy_rows(StageChange, STAGE_CHANGE_FIELDS, stages))
    blockers, named, steps = problems
    timed(Blocker._meta.db_table, lambda: copy_rows(Blocker, BLOCKER_FIELDS, blockers))
    timed(
        DekadReport.blockers.through._meta.db_table,
        lambda: copy_rows(DekadReport.blockers.through, NAMED_FIELDS, named),
    )
    timed(BlockerStep._meta.db_table, lambda: copy_rows(BlockerStep, STEP_FIELDS, steps))
