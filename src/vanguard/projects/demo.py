"""Synthetic major projects: a plausible year of pipeline, key nodes, reports and certification.

Deterministic for a seed. Units perform unevenly (a few lag badly), so lights, gaps and
charts show something real. Everything is bulk-inserted in chunks; the change log gets
one summary entry per generated table, since per-row entries for a million synthetic
reports would tell a reader nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import connection

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes
from vanguard.calendar.periods import PeriodKind, period_containing
from vanguard.calendar.services import load_calendar
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
from vanguard.projects.deadlines import dekad_due_date
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
    "city": (100_000, 10),
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
        dekads.append((dekad, dekad_due_date(campaign, dekad, calendar)))
        dekad = dekad.next()
    if recent:
        dekads = dekads[-recent:]
    # Each unit's pace: most keep time, some slip, a few lag far behind.
    pace = {u.pk: rng.choice([0, 0, 0, 5, 10, 20, 45, 90]) for u in units}

    totals = {"projects": 0, "milestones": 0, "reports": 0}
    chunk = 5000
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
    return totals


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
    projects, plans = [], []
    for i in numbers:
        unit = units[rng.randrange(len(units))]
        industry, sector, kind = INDUSTRIES[rng.randrange(len(INDUSTRIES))]
        investment = _investment(rng)
        if rng.random() < 0.68:
            # Carried over from last year: introduced then, starting or finishing now.
            introduced_planned = year_start - datetime.timedelta(days=rng.randint(20, 300))
            started_planned = introduced_planned + datetime.timedelta(days=rng.randint(30, 240))
            completed_planned = started_planned + datetime.timedelta(days=rng.randint(150, 420))
        else:
            introduced_planned = year_start + datetime.timedelta(days=rng.randint(0, 345))
            started_planned = introduced_planned + datetime.timedelta(days=rng.randint(30, 120))
            completed_planned = started_planned + datetime.timedelta(days=rng.randint(240, 540))
        slip = pace[unit.pk] + rng.randint(-5, 20)
        actual = {}
        for stage, planned in (
            (Stage.INTRODUCED, introduced_planned),
            (Stage.STARTED, started_planned),
            (Stage.COMPLETED, completed_planned),
        ):
            day = planned + datetime.timedelta(days=slip)
            if day > today - datetime.timedelta(days=12):
                break
            actual[stage] = day
        stage = max(actual, key=lambda s: Stage.values.index(s)) if actual else Stage.NEGOTIATING
        lat = 35.85 + rng.random() * 0.25
        lng = 119.85 + rng.random() * 0.35
        project = Project(
            campaign=campaign,
            code="XHA-{}-{:06d}".format(campaign.year, i + 1),
            name="{}{}{}".format(
                PLACES[rng.randrange(len(PLACES))], industry, SUFFIXES[rng.randrange(len(SUFFIXES))]
            ),
            lead_unit=unit,
            investment_yuan=investment,
            size_class=size_class_for(investment),
            sector=sector,
            kind=kind,
            address="青岛西海岸新区{}".format(PLACES[rng.randrange(len(PLACES))]),
            latitude=round(lat, 6),
            longitude=round(lng, 6),
            stage=stage,
            introduced_planned=introduced_planned,
            started_planned=started_planned,
            completed_planned=completed_planned,
        )
        for s, day in actual.items():
            setattr(project, s.value + "_on", day)
            certified = day + datetime.timedelta(days=rng.randint(8, 14))
            setattr(project, s.value + "_certified_on", min(certified, today))
        projects.append(project)
        plans.append((project, slip, actual))
    Project.objects.bulk_create(projects, batch_size=2000)

    milestones, reached_by_project = [], {}
    for project, slip, actual in plans:
        span = (project.started_planned - project.introduced_planned).days
        reached = {}
        for k, node in enumerate(nodes):
            planned = project.introduced_planned + datetime.timedelta(
                days=span * (k + 1) // (len(nodes) + 1)
            )
            done_on = planned + datetime.timedelta(days=slip + rng.randint(-3, 10))
            done = done_on <= today - datetime.timedelta(days=10) and Stage.INTRODUCED in actual
            if Stage.STARTED in actual:
                done = True
                done_on = min(done_on, actual[Stage.STARTED])
            done_on = max(done_on, project.introduced_planned)
            milestones.append(
                Milestone(
                    project=project,
                    node=node,
                    planned_date=planned,
                    actual_date=done_on if done else None,
                    state=MilestoneState.DONE if done else MilestoneState.PENDING,
                )
            )
            if done:
                reached[node.pk] = done_on
        reached_by_project[project.pk] = reached
    Milestone.objects.bulk_create(milestones, batch_size=5000)

    reports, report_nodes = [], []
    last_dekad = dekads[-1][0] if dekads else None
    for project, _slip, actual in plans:
        reporter = reporters.get(project.lead_unit_id)
        if reporter is None:
            continue
        active_from = project.introduced_planned - datetime.timedelta(days=45)
        for dekad, due in dekads:
            if dekad.end < active_from or (
                project.completed_on and dekad.start > project.completed_on
            ):
                continue
            current = dekad == last_dekad
            if current and rng.random() < 0.4:
                continue  # not yet reported this dekad
            stage_reached = ""
            stage_date = None
            for s, day in actual.items():
                if dekad.start <= day <= dekad.end:
                    stage_reached, stage_date = s, day
            late = rng.random() < 0.08 + pace[project.lead_unit_id] / 300
            submitted = min(
                datetime.datetime.combine(
                    due
                    + datetime.timedelta(days=rng.randint(1, 6) if late else -rng.randint(0, 3)),
                    datetime.time(9 + rng.randrange(8), rng.randrange(60)),
                    tzinfo=datetime.UTC,
                ),
                datetime.datetime.combine(today, datetime.time(8), tzinfo=datetime.UTC),
            )
            previous = len(dekads) > 1 and dekad == dekads[-2][0]
            waiting = current or (previous and rng.random() < 0.5)
            status = ReportStatus.SUBMITTED if waiting else ReportStatus.CERTIFIED
            if waiting and rng.random() < 0.05:
                status = ReportStatus.RETURNED
            report = DekadReport(
                project=project,
                unit_id=project.lead_unit_id,
                period=dekad.label,
                period_start=dekad.start,
                period_end=dekad.end,
                due_date=due,
                status=status,
                progress=PROGRESS[rng.randrange(len(PROGRESS))],
                investment_yuan=project.investment_yuan // rng.randint(60, 200)
                if Stage.STARTED in actual and actual[Stage.STARTED] <= dekad.end
                else 0,
                stage_reached=stage_reached,
                stage_date=stage_date,
                submitted_by_id=reporter,
                submitted_at=submitted,
                late=late and submitted.date() > due,
                reviewed_by_id=certifier if status != ReportStatus.SUBMITTED else None,
                reviewed_at=submitted + datetime.timedelta(days=2)
                if status != ReportStatus.SUBMITTED
                else None,
                return_reason="请补充节点证明材料" if status == ReportStatus.RETURNED else "",
            )
            reports.append(report)
            nodes_in = [
                (node_id, day)
                for node_id, day in reached_by_project[project.pk].items()
                if dekad.start <= day <= dekad.end
            ]
            if nodes_in:
                report_nodes.append((report, nodes_in))
    DekadReport.objects.bulk_create(reports, batch_size=5000)
    ReportedNode.objects.bulk_create(
        [
            ReportedNode(report=r, node_id=n, actual_date=d)
            for r, items in report_nodes
            for n, d in items
        ],
        batch_size=5000,
    )
    totals["projects"] += len(projects)
    totals["milestones"] += len(milestones)
    totals["reports"] += len(reports)
    if connection.vendor == "sqlite":
        connection.cursor().execute("PRAGMA optimize")
