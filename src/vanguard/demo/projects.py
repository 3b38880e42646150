"""Synthetic major projects: a plausible year of pipeline, key nodes, reports and certification.

Deterministic for a seed. Units perform unevenly (a few lag badly), so lights, gaps and
charts show something real. Rows are built as plain tuples and written in chunks
through ``core.bulk.insert_rows`` (ids reserved first, so reports and milestones name
their projects), which at city scale is about four times faster than ``bulk_create``.
The change log gets one summary entry per generated table, since per-row entries for a
million synthetic reports would tell a reader nothing.
"""

import datetime
import random
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection

from vanguard.audit.choices import DEMO_REASON, ChangeAction
from vanguard.audit.log import Change, record_changes
from vanguard.blockers.choices import BlockerState, StepKind
from vanguard.blockers.models import Blocker, BlockerStep
from vanguard.calendar.periods import PeriodKind, period_containing
from vanguard.calendar.services import load_calendar
from vanguard.core.bulk import insert_rows, reserve_ids, sqlite_cache
from vanguard.core.money import WAN, YI
from vanguard.demo.org import POSTS_LEAD
from vanguard.org.choices import Role, UnitKind
from vanguard.org.models import Person, RoleAssignment, Unit
from vanguard.projects import problems
from vanguard.projects.choices import (
    MilestoneState,
    ProjectKind,
    ReportStatus,
    Stage,
    size_class_for,
)
from vanguard.projects.deadlines import dekad_due
from vanguard.projects.models import DekadReport, KeyNode, Milestone, Project, ReportedNode

PLACES = [
    "灵山湾",
    "董家口",
    "古镇口",
    "唐岛湾",
    "凤凰岛",
    "琅琊台",
    "藏马山",
    "积米崖",
    "小珠山",
    "金沙滩",
    "前湾",
    "泊里",
    "大珠山",
    "黄岛",
    "红石崖",
    "铁山",
    "海青",
    "六汪",
]
INDUSTRIES = [
    ("新能源汽车零部件", "汽车制造", ProjectKind.INDUSTRIAL),
    ("海洋高端装备", "海洋装备", ProjectKind.INDUSTRIAL),
    ("集成电路封测", "集成电路", ProjectKind.INDUSTRIAL),
    ("生物医药", "生物医药", ProjectKind.INDUSTRIAL),
    ("智能家电", "智能家电", ProjectKind.INDUSTRIAL),
    ("绿色石化新材料", "新材料", ProjectKind.INDUSTRIAL),
    ("氢能装备", "新能源", ProjectKind.INDUSTRIAL),
    ("冷链物流", "现代物流", ProjectKind.SERVICES),
    ("港航物流", "现代物流", ProjectKind.SERVICES),
    ("数据中心", "数字经济", ProjectKind.INFRASTRUCTURE),
    ("影视文化", "影视文旅", ProjectKind.SERVICES),
    ("文旅综合体", "影视文旅", ProjectKind.SERVICES),
    ("海水淡化", "基础设施", ProjectKind.INFRASTRUCTURE),
    ("城市道路", "基础设施", ProjectKind.INFRASTRUCTURE),
    ("老旧小区改造", "城市更新", ProjectKind.URBAN_RENEWAL),
    ("片区更新", "城市更新", ProjectKind.URBAN_RENEWAL),
]
SUFFIXES = ["项目", "产业园", "基地", "二期工程", "中心", "综合体"]
# What a unit writes in a dekad, by the stage the project is at: a negotiating project
# does not report construction, a started one no longer reports talks.
PROGRESS = {
    "negotiating": [
        "与投资方洽谈合作细节",
        "对接项目投资意向",
        "赴企业总部考察洽谈",
        "完成项目可行性研究初稿",
        "就选址方案与企业沟通",
    ],
    "introduced": [
        "办理立项手续",
        "办理用地手续",
        "开展规划方案设计",
        "办理环评手续",
        "施工图审查中",
        "办理施工许可手续",
        "开展施工招标",
    ],
    "started": [
        "完成场地平整，施工队伍进场",
        "完成土方开挖",
        "桩基施工完成过半",
        "主体结构施工中",
        "钢结构吊装",
        "厂房封顶",
        "配套道路施工",
        "设备采购合同签订",
    ],
    "completed": [
        "设备安装调试",
        "试生产运行",
        "配套设施完善",
        "达产达效跟踪",
    ],
}
# What the report of the dekad a stage is reached in says.
REACHED = {
    "introduced": "签订投资协议，项目落地",
    "started": "项目开工，施工队伍进场",
    "completed": "项目竣工验收，投产运营",
}
# Problems units raise in reports, and how they were solved.
BLOCKERS = [
    ("用地指标未落实", "zrj", "区自然资源局调剂用地指标"),
    ("电力接入需协调", "fgj", "供电公司完成专线接入"),
    ("环评批复待下达", "hbj", "环评报告通过审批"),
    ("施工用水未接通", "syj", "水务集团完成临时供水"),
    ("征迁未完成", "", "征迁协议全部签订"),
    ("融资未到位", "jrj", "对接银行完成项目贷款"),
    ("规划条件需调整", "zrj", "规划条件调整获批"),
]
# Departments that usually support a project's approvals, and the share of projects that
# name any.
SUPPORTING = ["zrj", "spj", "zjj", "hbj", "fgj", "swj", "tcz", "jtj", "syj", "gxj"]
SUPPORTED_SHARE = 0.8
# The share of projects whose reports raise a problem.
PROBLEM_SHARE = 0.06

SCALES = {
    # projects, and how many of the latest dekads carry reports (None: the whole year)
    "district": (900, None),
    "city": (100_000, 16),
}


def _lead_units():
    return list(
        Unit.objects.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.STREET, UnitKind.OTHER])
        .exclude(code="zhb")
        .order_by("pk")
    )


def _reporters():
    """One reporter account per unit (the first by id), to sign the generated reports."""
    rows = (
        RoleAssignment.objects.filter(role=Role.UNIT_REPORTER)
        .order_by("unit_id", "person__user_id")
        .values_list("unit_id", "person__user_id")
    )
    reporters = {}
    for unit_id, user_id in rows:
        reporters.setdefault(unit_id, user_id)
    return reporters


def _investment(rng):
    roll = rng.random()
    if roll < 0.05:
        return rng.randint(50, 200) * YI
    if roll < 0.15:
        return rng.randint(10, 49) * YI + rng.randint(0, 9) * YI // 10
    if roll < 0.75:
        return rng.randint(10, 99) * YI // 10
    return rng.randint(3000, 9900) * WAN


def _heads(units):
    """The head of each unit (the first person holding a lead post): projects' responsible
    person."""
    heads = {}
    for unit_id, person_id in (
        Person.objects.filter(unit__in=units, post__in=POSTS_LEAD)
        .order_by("unit_id", "pk")
        .values_list("unit_id", "pk")
    ):
        heads.setdefault(unit_id, person_id)
    return heads


def generate(rng, scale, campaign, today):
    """Create projects, milestones, dekad reports, certifications and problems up to ``today``.

    Nothing is dated after ``today``; a project's stage and done key nodes are those of
    its certified reports (the latest dekad or two wait for certification and carry what
    is not counted yet); key nodes are done in their order, and a started project has
    every node done by its start.
    """
    # Its own stream, one draw from the shared one: the generators after this one get the
    # same draws whatever this one needs.
    rng = random.Random(rng.getrandbits(64))
    count, recent = SCALES[scale]
    units = _lead_units()
    reporters = _reporters()
    certifier = (
        get_user_model()
        .objects.filter(
            person__roles__role=Role.TASK_FORCE_MEMBER, person__roles__task_force__battle="projects"
        )
        .values_list("pk", flat=True)
        .first()
    )
    nodes = list(KeyNode.objects.filter(campaign=campaign).order_by("order"))
    calendar = load_calendar()
    year_start = datetime.date(campaign.year, 1, 1)
    last = period_containing(PeriodKind.DEKAD, today)
    dekads = []
    dekad = period_containing(PeriodKind.DEKAD, campaign.start_date)
    while dekad.start <= last.start:
        dekads.append((dekad, dekad_due(campaign, dekad, calendar)))
        dekad = dekad.next()
    if recent:
        dekads = dekads[-recent:]
    # Each unit's pace: most keep time, some slip, a few lag far behind.
    pace = {u.pk: rng.choice([0, 0, 0, 5, 10, 20, 45, 90]) for u in units}
    by_code = dict(Unit.objects.filter(code__in=SUPPORTING).values_list("code", "pk"))
    context = {
        "heads": _heads(units),
        "helpers": [by_code[c] for c in SUPPORTING if c in by_code],
        "owners": {title: by_code.get(code) for title, code, _r in BLOCKERS},
        "certifier": certifier,
    }

    totals = {"projects": 0, "milestones": 0, "reports": 0, "blockers": 0}
    chunk = 5000
    with sqlite_cache():
        for first in range(0, count, chunk):
            _generate_chunk(
                rng,
                campaign,
                today,
                year_start,
                units,
                reporters,
                certifier,
                nodes,
                dekads,
                pace,
                range(first, min(first + chunk, count)),
                totals,
                context,
            )
    record_changes(
        [
            Change(
                campaign,
                ChangeAction.CREATE,
                after={"demo": "projects", **totals},
                reason=DEMO_REASON,
            )
        ],
        actor=None,
    )
    # Fresh statistics, so the pages' queries plan well on the tables just filled
    # (two seconds at city scale).
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            for model in (Project, Milestone, DekadReport, ReportedNode):
                cursor.execute("ANALYZE {}".format(connection.ops.quote_name(model._meta.db_table)))
    return totals


PROJECT_FIELDS = (
    "id",
    "campaign_id",
    "code",
    "name",
    "lead_unit_id",
    "investment_yuan",
    "size_class",
    "sector",
    "kind",
    "address",
    "latitude",
    "longitude",
    "stage",
    "introduced_planned",
    "started_planned",
    "completed_planned",
    "introduced_on",
    "started_on",
    "completed_on",
    "introduced_certified_on",
    "started_certified_on",
    "completed_certified_on",
    "responsible_person_id",
)
SUPPORTING_FIELDS = ("project_id", "unit_id")
BLOCKER_FIELDS = (
    "id",
    "campaign_id",
    "title",
    "unit_id",
    "state",
    "raised_on",
    "resolved_on",
    "resolution",
    "source_kind",
    "source_id",
    "occasion_id",
    "raised_by_id",
)
NAMED_FIELDS = ("dekadreport_id", "blocker_id")
STEP_FIELDS = ("blocker_id", "kind", "note", "from_unit_id", "to_unit_id", "actor_id", "at")
MILESTONE_FIELDS = ("project_id", "node_id", "planned_date", "actual_date", "state")
REPORT_FIELDS = (
    "id",
    "project_id",
    "unit_id",
    "period",
    "period_start",
    "period_end",
    "due_date",
    "due_provisional",
    "status",
    "progress",
    "investment_yuan",
    "stage_reached",
    "stage_date",
    "submitted_by_id",
    "submitted_at",
    "late",
    "reviewed_by_id",
    "reviewed_at",
    "return_reason",
)
REPORTED_NODE_FIELDS = ("report_id", "node_id", "actual_date")
# Where a report row (REPORT_FIELDS without its id) keeps its reporter and its time.
REPORTER_AT = REPORT_FIELDS.index("submitted_by_id") - 1
SUBMITTED_AT = REPORT_FIELDS.index("submitted_at") - 1

# Plain strings: the rows go to the database driver without passing through a model.
INTRODUCED, STARTED, COMPLETED = Stage.INTRODUCED.value, Stage.STARTED.value, Stage.COMPLETED.value
STAGE_INDEX = {stage: i for i, stage in enumerate(Stage.values)}
DONE, PENDING = MilestoneState.DONE.value, MilestoneState.PENDING.value
NEGOTIATING = Stage.NEGOTIATING.value
SUBMITTED, CERTIFIED, RETURNED = (
    ReportStatus.SUBMITTED.value,
    ReportStatus.CERTIFIED.value,
    ReportStatus.RETURNED.value,
)
DAYS = [datetime.timedelta(days=n) for n in range(-400, 1200)]


def _days(n):
    """A timedelta of ``n`` days (the common ones made once, not a million times)."""
    return DAYS[n + 400] if -400 <= n < 1200 else datetime.timedelta(days=n)


def _generate_chunk(
    rng,
    campaign,
    today,
    year_start,
    units,
    reporters,
    certifier,
    nodes,
    dekads,
    pace,
    numbers,
    totals,
    context,
):
    """Generate and insert one chunk of projects with their milestones, reports and problems.

    Rows are plain tuples written by ``core.bulk.insert_rows``. A project's stage dates
    and key-node dates are drawn first; those before the first dekad whose report still
    waits for certification (``waiting_from``) are certified and shown on the project,
    the later ones only in the waiting report.
    """
    stage_by_index = Stage.values
    projects, plans, supporting = [], [], []
    ids = reserve_ids(Project, len(numbers))
    twelve_days_ago = today - _days(12)
    ten_days_ago = today - _days(10)
    current_start = dekads[-1][0].start if dekads else today
    previous_start = dekads[-2][0].start if len(dekads) > 1 else current_start
    heads, helpers = context["heads"], context["helpers"]
    for project_id, i in zip(ids, numbers, strict=True):
        unit = units[rng.randrange(len(units))]
        industry, sector, kind = INDUSTRIES[rng.randrange(len(INDUSTRIES))]
        investment = _investment(rng)
        if rng.random() < 0.68:
            # Carried over from last year: introduced then, starting or finishing now.
            introduced_planned = year_start - _days(rng.randint(20, 300))
            started_planned = introduced_planned + _days(rng.randint(30, 240))
            completed_planned = started_planned + _days(rng.randint(150, 420))
        else:
            introduced_planned = year_start + _days(rng.randint(0, 345))
            started_planned = introduced_planned + _days(rng.randint(30, 120))
            completed_planned = started_planned + _days(rng.randint(240, 540))
        slip = pace[unit.pk] + rng.randint(-5, 20)
        actual = {}
        for stage, planned in (
            (INTRODUCED, introduced_planned),
            (STARTED, started_planned),
            (COMPLETED, completed_planned),
        ):
            day = planned + _days(slip)
            if day > twelve_days_ago:
                break
            actual[stage] = day
        # The first dekad whose report waits: this one, or (for half) the one before.
        waiting_from = current_start if rng.random() < 0.5 else previous_start
        counted = {s: day for s, day in actual.items() if day < waiting_from}
        stage = (
            stage_by_index[max(STAGE_INDEX[s] for s in counted)]
            if counted
            else Stage.NEGOTIATING.value
        )
        lat = 35.85 + rng.random() * 0.25
        lng = 119.85 + rng.random() * 0.35
        code = "XHA-{}-{:06d}".format(campaign.year, i + 1)
        name = "{}{}{}".format(
            PLACES[rng.randrange(len(PLACES))], industry, SUFFIXES[rng.randrange(len(SUFFIXES))]
        )
        address = "青岛西海岸新区{}".format(PLACES[rng.randrange(len(PLACES))])
        certified = {s: min(day + _days(rng.randint(8, 14)), today) for s, day in counted.items()}
        projects.append(
            [
                project_id,
                campaign.pk,
                code,
                name,
                unit.pk,
                investment,
                size_class_for(investment).value,
                sector,
                kind.value,
                address,
                round(lat, 6),
                round(lng, 6),
                stage,
                introduced_planned,
                started_planned,
                completed_planned,
                counted.get(INTRODUCED),
                counted.get(STARTED),
                counted.get(COMPLETED),
                certified.get(INTRODUCED),
                certified.get(STARTED),
                certified.get(COMPLETED),
                heads.get(unit.pk),
            ]
        )
        if helpers and rng.random() < SUPPORTED_SHARE:
            others = [h for h in helpers if h != unit.pk]
            for helper in rng.sample(others, rng.choice((1, 1, 2, 3))):
                supporting.append((project_id, helper))
        plans.append(
            (
                project_id,
                unit.pk,
                investment,
                introduced_planned,
                started_planned,
                slip,
                actual,
                waiting_from,
            )
        )

    milestones, reached_by_project = [], {}
    node_count = len(nodes)
    for (
        project_id,
        _u,
        _i,
        introduced_planned,
        started_planned,
        slip,
        actual,
        waiting_from,
    ) in plans:
        span = (started_planned - introduced_planned).days
        reached = {}
        introduced_on = actual.get(INTRODUCED)
        started_on = actual.get(STARTED)
        before = None
        for k, node in enumerate(nodes):
            planned = introduced_planned + _days(span * (k + 1) // (node_count + 1))
            done_on = planned + _days(slip + rng.randint(-3, 10))
            # Approvals follow the signing, and each follows the one before it.
            if introduced_on is not None:
                done_on = max(done_on, introduced_on)
            if before is not None:
                done_on = max(done_on, before)
            done = done_on <= ten_days_ago and introduced_on is not None
            if started_on is not None:
                # Construction starts once every approval is in hand.
                done = True
                done_on = min(done_on, started_on)
            before = done_on
            counted = done and done_on < waiting_from
            milestones.append(
                (
                    project_id,
                    node.pk,
                    planned,
                    done_on if counted else None,
                    DONE if counted else PENDING,
                )
            )
            if done:
                reached[node.pk] = done_on
        reached_by_project[project_id] = reached

    reports, report_nodes, stage_reports = [], [], []
    raised = []
    windows = [
        (dekad.label, dekad.start, dekad.end, due.day, due.provisional) for dekad, due in dekads
    ]
    # Times are drawn in the district's hours and stored in UTC.
    offset = _local_offset(today)
    eight_am = _at(today, datetime.time(8), offset)
    two_days = _days(2)
    times = [datetime.time(h, m) for h in range(24) for m in range(60)]
    for index, plan in enumerate(plans):
        project_id, unit_id, investment, introduced_planned, _s, _slip, actual, waiting_from = plan
        reporter = reporters.get(unit_id)
        if reporter is None:
            continue
        active_from = introduced_planned - _days(45)
        completed_on = actual.get(COMPLETED)
        started_on = actual.get(STARTED)
        unit_pace = pace[unit_id] / 300
        reached = reached_by_project[project_id]
        first_report = len(reports)
        for label, start, end, due, provisional in windows:
            if end < active_from or (completed_on and start > completed_on):
                continue
            if start == current_start and rng.random() < 0.4:
                continue  # not yet reported this dekad
            stage_reached = ""
            stage_date = None
            stage_then = NEGOTIATING
            for s, day in actual.items():
                if day <= end:
                    stage_then = s
                if start <= day <= end:
                    stage_reached, stage_date = s, day
            progress = (
                REACHED[stage_reached]
                if stage_reached
                else PROGRESS[stage_then][rng.randrange(len(PROGRESS[stage_then]))]
            )
            late = rng.random() < 0.08 + unit_pace
            submitted = min(
                _at(
                    due + (_days(rng.randint(1, 6)) if late else -_days(rng.randint(0, 3))),
                    times[(9 + rng.randrange(8)) * 60 + rng.randrange(60)],
                    offset,
                ),
                eight_am,
            )
            waiting = start >= waiting_from
            status = SUBMITTED if waiting else CERTIFIED
            if waiting and rng.random() < 0.05:
                status = RETURNED
            reviewed = status != SUBMITTED
            reviewed_at = min(submitted + two_days, eight_am) if reviewed else None
            reports.append(
                (
                    project_id,
                    unit_id,
                    label,
                    start,
                    end,
                    due,
                    provisional,
                    status,
                    progress,
                    investment // rng.randint(60, 200)
                    if started_on is not None and started_on <= end
                    else 0,
                    stage_reached,
                    stage_date,
                    reporter,
                    submitted,
                    late and (submitted + offset).date() > due,
                    certifier if reviewed else None,
                    reviewed_at,
                    "请补充节点证明材料" if status == RETURNED else "",
                )
            )
            if stage_reached and status == CERTIFIED:
                stage_reports.append((index, stage_reached, (reviewed_at + offset).date()))
            nodes_in = [(node_id, day) for node_id, day in reached.items() if start <= day <= end]
            if nodes_in:
                report_nodes.append((len(reports) - 1, nodes_in))
        if len(reports) - first_report > 1 and rng.random() < PROBLEM_SHARE:
            # Raised in the last four months or so; older ones would be solved by now.
            first = rng.randrange(max(first_report, len(reports) - 13), len(reports) - 1)
            raised.append((index, first, len(reports)))
    # A stage a certified report carries was certified the day that report was.
    for index, stage, day in stage_reports:
        projects[index][CERTIFIED_COLUMN[stage]] = day
    insert_rows(Project, PROJECT_FIELDS, projects)
    insert_rows(Project.supporting_units.through, SUPPORTING_FIELDS, supporting)
    insert_rows(Milestone, MILESTONE_FIELDS, milestones)
    report_ids = reserve_ids(DekadReport, len(reports))
    insert_rows(
        DekadReport,
        REPORT_FIELDS,
        ((report_id, *row) for report_id, row in zip(report_ids, reports, strict=True)),
    )
    insert_rows(
        ReportedNode,
        REPORTED_NODE_FIELDS,
        ((report_ids[index], n, d) for index, items in report_nodes for n, d in items),
    )
    blockers = _report_problems(
        rng, campaign, (eight_am, offset), plans, reports, report_ids, raised, context
    )
    totals["projects"] += len(projects)
    totals["milestones"] += len(milestones)
    totals["reports"] += len(reports)
    totals["blockers"] += blockers


# Where each stage's certification date sits in a project's row.
CERTIFIED_COLUMN = {
    INTRODUCED: PROJECT_FIELDS.index("introduced_certified_on"),
    STARTED: PROJECT_FIELDS.index("started_certified_on"),
    COMPLETED: PROJECT_FIELDS.index("completed_certified_on"),
}


def _report_problems(rng, campaign, now, plans, reports, report_ids, raised, context):
    """Problems raised in reports: named again by each later report until solved.

    ``raised`` holds (project index, the report raising it, the end of its reports); ``now``
    is the latest moment to record and the district's offset from UTC. Some
    are solved a few dekads on, some dispatched to the department that can solve them;
    the rest are still open. Returns how many were raised.
    """
    if not raised:
        return 0
    ids = reserve_ids(Blocker, len(raised))
    blockers, named, steps = [], [], []
    owners = context["owners"]
    latest, offset = now
    for blocker_id, (index, first, end) in zip(ids, raised, strict=True):
        project_id, unit_id = plans[index][0], plans[index][1]
        title, _code, resolution = BLOCKERS[rng.randrange(len(BLOCKERS))]
        raised_at = reports[first][SUBMITTED_AT]
        raised_on = (raised_at + offset).date()
        last = end - 1
        # Most problems raised two months ago or more are solved; a third of the newer ones.
        solved = first + 1 < end and rng.random() < (0.85 if end - first > 6 else 0.35)
        if solved:
            last = rng.randrange(first, end - 1)
        resolved_on = (reports[last + 1][SUBMITTED_AT] + offset).date() if solved else None
        owner = unit_id
        helper = owners.get(title)
        if helper and helper != unit_id and rng.random() < 0.6:
            owner = helper
            steps.append(
                (
                    blocker_id,
                    StepKind.DISPATCHED.value,
                    "请牵头协调解决",
                    unit_id,
                    helper,
                    context["certifier"],
                    min(raised_at + _days(2), latest),
                )
            )
        blockers.append(
            (
                blocker_id,
                campaign.pk,
                title,
                owner,
                BlockerState.RESOLVED.value if solved else BlockerState.OPEN.value,
                raised_on,
                resolved_on,
                resolution if solved else "",
                problems.SOURCE.key,
                project_id,
                report_ids[first],
                reports[first][REPORTER_AT],
            )
        )
        named.extend((report_ids[k], blocker_id) for k in range(first, last + 1))
    insert_rows(Blocker, BLOCKER_FIELDS, blockers)
    insert_rows(DekadReport.blockers.through, NAMED_FIELDS, named)
    insert_rows(BlockerStep, STEP_FIELDS, steps)
    return len(blockers)


def _local_offset(day):
    """The district's offset from UTC on ``day`` (the settings' time zone)."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=zone).utcoffset()


def _at(day, time, offset):
    """``day`` at the district's ``time``, as an aware UTC moment."""
    return datetime.datetime.combine(day, time, tzinfo=datetime.UTC) - offset
