"""Synthetic major projects: a plausible year of pipeline, key nodes, reports and certification.

Deterministic for a seed. Units perform unevenly (a few lag badly), so lights, gaps and
charts show something real. Rows are built as plain tuples and written in chunks
through ``core.bulk.insert_rows`` (ids reserved first, so reports and milestones name
their projects), which at city scale is about four times faster than ``bulk_create``.
The change log gets one summary entry per generated table, since per-row entries for a
million synthetic reports would tell a reader nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import connection

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes
from vanguard.calendar.periods import PeriodKind, period_containing
from vanguard.calendar.services import load_calendar
from vanguard.core.bulk import insert_rows, reserve_ids, sqlite_cache
from vanguard.org.choices import Role, UnitKind
from vanguard.org.models import RoleAssignment, Unit
from vanguard.projects.choices import (
    WAN,
    YI,
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
PROGRESS = [
    "完成场地平整，施工队伍进场",
    "桩基施工完成过半",
    "主体结构施工中",
    "钢结构吊装",
    "设备采购合同签订",
    "办理施工许可手续",
    "完成土方开挖",
    "厂房封顶",
    "设备安装调试",
    "配套道路施工",
    "与投资方洽谈合作细节",
    "签订投资协议",
]
BLOCKERS = [
    "用地指标未落实",
    "电力接入需协调",
    "环评批复待下达",
    "施工用水未接通",
    "征迁未完成",
    "融资未到位",
    "规划条件需调整",
]

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


def generate(rng, scale, campaign, today):
    """Create projects, milestones, dekad reports and certifications up to ``today``."""
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

    totals = {"projects": 0, "milestones": 0, "reports": 0}
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
            )
    record_changes(
        [
            Change(
                campaign,
                ChangeAction.CREATE,
                after={"demo": "projects", **totals},
                reason="demo data",
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
)
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

# Plain strings: the rows go to the database driver without passing through a model.
INTRODUCED, STARTED, COMPLETED = Stage.INTRODUCED.value, Stage.STARTED.value, Stage.COMPLETED.value
STAGE_INDEX = {stage: i for i, stage in enumerate(Stage.values)}
DONE, PENDING = MilestoneState.DONE.value, MilestoneState.PENDING.value
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
):
    """Generate and insert one chunk of projects with their milestones and reports.

    Rows are plain tuples written by ``core.bulk.insert_rows``; the random draws are
    made in the same order as when these were model instances, so a seed gives the
    same data as before.
    """
    stage_by_index = Stage.values
    projects, plans = [], []
    ids = reserve_ids(Project, len(numbers))
    twelve_days_ago = today - _days(12)
    ten_days_ago = today - _days(10)
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
        stage = (
            stage_by_index[max(STAGE_INDEX[s] for s in actual)]
            if actual
            else Stage.NEGOTIATING.value
        )
        lat = 35.85 + rng.random() * 0.25
        lng = 119.85 + rng.random() * 0.35
        code = "XHA-{}-{:06d}".format(campaign.year, i + 1)
        name = "{}{}{}".format(
            PLACES[rng.randrange(len(PLACES))], industry, SUFFIXES[rng.randrange(len(SUFFIXES))]
        )
        address = "青岛西海岸新区{}".format(PLACES[rng.randrange(len(PLACES))])
        certified = {}
        for s, day in actual.items():
            certified[s] = min(day + _days(rng.randint(8, 14)), today)
        projects.append(
            (
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
                actual.get(INTRODUCED),
                actual.get(STARTED),
                actual.get(COMPLETED),
                certified.get(INTRODUCED),
                certified.get(STARTED),
                certified.get(COMPLETED),
            )
        )
        plans.append(
            (project_id, unit.pk, investment, introduced_planned, started_planned, slip, actual)
        )
    insert_rows(Project, PROJECT_FIELDS, projects)

    milestones, reached_by_project = [], {}
    node_count = len(nodes)
    for project_id, _unit, _inv, introduced_planned, started_planned, slip, actual in plans:
        span = (started_planned - introduced_planned).days
        reached = {}
        introduced = INTRODUCED in actual
        started_on = actual.get(STARTED)
        for k, node in enumerate(nodes):
            planned = introduced_planned + _days(span * (k + 1) // (node_count + 1))
            done_on = planned + _days(slip + rng.randint(-3, 10))
            done = done_on <= ten_days_ago and introduced
            if started_on is not None:
                done = True
                done_on = min(done_on, started_on)
            done_on = max(done_on, introduced_planned)
            milestones.append(
                (
                    project_id,
                    node.pk,
                    planned,
                    done_on if done else None,
                    DONE if done else PENDING,
                )
            )
            if done:
                reached[node.pk] = done_on
        reached_by_project[project_id] = reached
    insert_rows(Milestone, MILESTONE_FIELDS, milestones)

    reports, report_nodes = [], []
    # Each dekad once as plain values: a million reports compare and label cheaply.
    last = len(dekads) - 1
    windows = [
        (dekad.label, dekad.start, dekad.end, due.day, due.provisional, i == last, i == last - 1)
        for i, (dekad, due) in enumerate(dekads)
    ]
    eight_am = datetime.datetime.combine(today, datetime.time(8), tzinfo=datetime.UTC)
    two_days = _days(2)
    times = [datetime.time(h, m) for h in range(24) for m in range(60)]
    for project_id, unit_id, investment, introduced_planned, _s, _slip, actual in plans:
        reporter = reporters.get(unit_id)
        if reporter is None:
            continue
        active_from = introduced_planned - _days(45)
        completed_on = actual.get(COMPLETED)
        started_on = actual.get(STARTED)
        unit_pace = pace[unit_id] / 300
        reached = reached_by_project[project_id]
        for label, start, end, due, provisional, current, previous in windows:
            if end < active_from or (completed_on and start > completed_on):
                continue
            if current and rng.random() < 0.4:
                continue  # not yet reported this dekad
            stage_reached = ""
            stage_date = None
            for s, day in actual.items():
                if start <= day <= end:
                    stage_reached, stage_date = s, day
            late = rng.random() < 0.08 + unit_pace
            submitted = min(
                datetime.datetime.combine(
                    due + (_days(rng.randint(1, 6)) if late else -_days(rng.randint(0, 3))),
                    times[(9 + rng.randrange(8)) * 60 + rng.randrange(60)],
                    tzinfo=datetime.UTC,
                ),
                eight_am,
            )
            waiting = current or (previous and rng.random() < 0.5)
            status = SUBMITTED if waiting else CERTIFIED
            if waiting and rng.random() < 0.05:
                status = RETURNED
            reviewed = status != SUBMITTED
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
                    PROGRESS[rng.randrange(len(PROGRESS))],
                    investment // rng.randint(60, 200)
                    if started_on is not None and started_on <= end
                    else 0,
                    stage_reached,
                    stage_date,
                    reporter,
                    submitted,
                    late and submitted.date() > due,
                    certifier if reviewed else None,
                    submitted + two_days if reviewed else None,
                    "请补充节点证明材料" if status == RETURNED else "",
                )
            )
            nodes_in = [(node_id, day) for node_id, day in reached.items() if start <= day <= end]
            if nodes_in:
                report_nodes.append((len(reports) - 1, nodes_in))
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
    totals["projects"] += len(projects)
    totals["milestones"] += len(milestones)
    totals["reports"] += len(reports)
