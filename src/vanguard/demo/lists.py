"""Synthetic unit lists (一单位一清单): items, checkpoints, reports in every state.

Every unit that leads work gets a handful of items from the office, in the battle its
kind suits; each item has a checkpoint per period of its cadence (a quantity item) or a
few milestones. Units report period by period at their own pace (most keep time, some
slip, a few lag), the task force has verified most reports, returned a few with a
reason, and the latest wait for verification. The items' verified quantity and the
checkpoints reached follow from the verified reports alone, so the lights the demo
computes afterwards agree with what the pages show. Nothing is dated after ``today``.
Rows are written in bulk with one summary entry in the change log, as the other
generators do.
"""

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from vanguard.audit.choices import DEMO_REASON, ChangeAction
from vanguard.audit.log import Change, record_changes
from vanguard.calendar.periods import period_containing
from vanguard.calendar.services import load_calendar
from vanguard.core.bulk import insert_rows, reserve_ids, sqlite_cache
from vanguard.demo.org import POSTS_LEAD
from vanguard.lists.choices import Measure, ReportState
from vanguard.lists.models import Checkpoint, ListItem, ProgressReport
from vanguard.lists.periods import due_date, period_kind
from vanguard.org.choices import Battle, Cadence, Role, UnitKind
from vanguard.org.models import Person, RoleAssignment, Unit

# Items per unit, at each scale (a district's hundred units; the city's thousand).
ITEMS_PER_UNIT = {"district": (5, 9), "city": (8, 12)}

# (requirement with {n}, measuring unit, target range) per battle.
QUANTITIES = {
    Battle.PROJECTS: [
        ("新开工亿元以上项目{n}个", "个", (3, 12)),
        ("新签约引进项目{n}个", "个", (2, 10)),
        ("完成固定资产投资{n}万元", "万元", (20000, 150000)),
        ("新增入库项目{n}个", "个", (5, 30)),
    ],
    Battle.CITYWORK: [
        ("完成老旧小区改造{n}个", "个", (3, 15)),
        ("整治违法建设{n}处", "处", (20, 120)),
        ("打通断头路{n}公里", "公里", (2, 12)),
        ("整治占道经营点位{n}处", "处", (30, 200)),
        ("新建改造口袋公园{n}个", "个", (2, 8)),
    ],
    Battle.INDICATORS: [
        ("走访服务规上企业{n}家", "家", (20, 120)),
        ("新增规上入库企业{n}家", "家", (3, 15)),
        ("完成限上社会消费品零售额{n}万元", "万元", (50000, 300000)),
    ],
}
MILESTONES = {
    Battle.PROJECTS: (
        "完成重点项目前期手续",
        ["完成用地预审", "取得规划许可", "取得施工许可", "开工建设"],
    ),
    Battle.CITYWORK: (
        "打造市容示范道路",
        ["完成整治方案", "完成施工招标", "完成主体整治", "通过验收"],
    ),
    Battle.INDICATORS: (
        "完成重点企业纳统",
        ["完成企业摸排", "完成资料报送", "通过统计审核", "完成纳统"],
    ),
}
RETURN_REASONS = ["数量与台账不符，请核实", "缺少佐证材料", "累计数低于上期，请说明"]
NOTES = ["按计划推进", "已完成阶段任务", "受天气影响略有滞后", "正在加快推进"]
# Battles each kind of unit is given items in, weighted.
BATTLES = {
    UnitKind.DEPARTMENT: [Battle.PROJECTS, Battle.INDICATORS, Battle.CITYWORK],
    UnitKind.STREET: [Battle.CITYWORK, Battle.CITYWORK, Battle.PROJECTS],
    UnitKind.OTHER: [Battle.PROJECTS, Battle.PROJECTS, Battle.INDICATORS],
}
CADENCES = {
    Battle.PROJECTS: Cadence.DEKAD,
    Battle.CITYWORK: Cadence.WEEKLY,
    Battle.INDICATORS: Cadence.MONTHLY,
}


def _quantity(value, unit):
    whole = unit != "公里"
    step = Decimal(1) if whole else Decimal("0.01")
    return Decimal(value).quantize(step, rounding=ROUND_HALF_UP)


def _moment(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class _Context:
    """What every item draws on: the periods and their due dates, people, the clock."""

    def __init__(self, campaign, today):
        self.campaign = campaign
        self.today = today
        self.now = min(timezone.now(), _moment(today, 20))
        self.calendar = load_calendar()
        self._periods = {}
        self._due = {}

    def periods(self, cadence, deadline):
        """The periods of ``cadence`` from the campaign's start to ``deadline``."""
        key = (cadence, deadline)
        if key not in self._periods:
            kind = period_kind(cadence)
            periods, period = [], period_containing(kind, self.campaign.start_date)
            while period.start <= deadline:
                periods.append(period)
                period = period.next()
            self._periods[key] = periods
        return self._periods[key]

    def due(self, period):
        if period.label not in self._due:
            self._due[period.label] = due_date(self.campaign, period, self.calendar)
        return self._due[period.label]


def _people():
    """The head of each unit (responsible person) and a reporter account per unit."""
    heads = {}
    for unit_id, person_id in (
        Person.objects.filter(post__in=POSTS_LEAD)
        .order_by("unit_id", "pk")
        .values_list("unit_id", "pk")
    ):
        heads.setdefault(unit_id, person_id)
    reporters = {}
    for unit_id, user_id in (
        RoleAssignment.objects.filter(role=Role.UNIT_REPORTER)
        .order_by("unit_id", "person__user_id")
        .values_list("unit_id", "person__user_id")
    ):
        reporters.setdefault(unit_id, user_id)
    verifiers = {}
    for battle, user_id in (
        get_user_model()
        .objects.filter(person__roles__role=Role.TASK_FORCE_MEMBER)
        .order_by("pk")
        .values_list("person__roles__task_force__battle", "pk")
    ):
        verifiers.setdefault(battle, user_id)
    return heads, reporters, verifiers


def generate(rng, scale, campaign, today):
    """Create the units' lists up to ``today``; return the counts written."""
    rng = random.Random(rng.getrandbits(64))
    context = _Context(campaign, today)
    heads, reporters, verifiers = _people()
    units = list(Unit.objects.filter(kind__in=list(BATTLES)).exclude(code="zhb").order_by("pk"))
    low, high = ITEMS_PER_UNIT[scale]
    items, points, reports = [], [], []
    for unit in units:
        if unit.pk not in heads or unit.pk not in reporters:
            continue
        # Most units keep time, some slip, a few lag far behind.
        pace = rng.choice([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.9, 0.75, 0.5])
        for number in range(1, rng.randint(low, high) + 1):
            battle = rng.choice(BATTLES[unit.kind])
            item = _item(rng, context, unit, number, battle, heads[unit.pk])
            items.append(item)
            _plan_and_reports(
                rng, context, item, pace, reporters[unit.pk], verifiers, points, reports
            )
    ids = reserve_ids(ListItem, len(items))
    for item, pk in zip(items, ids, strict=True):
        item["id"] = pk
    with sqlite_cache():
        insert_rows(ListItem, ITEM_FIELDS, [tuple(i[f] for f in ITEM_FIELDS) for i in items])
        insert_rows(
            Checkpoint,
            POINT_FIELDS,
            [(p["item"]["id"], *(p[f] for f in POINT_FIELDS[1:])) for p in points],
        )
        insert_rows(
            ProgressReport,
            REPORT_FIELDS,
            [(r["item"]["id"], *(r[f] for f in REPORT_FIELDS[1:])) for r in reports],
        )
    totals = {"list_items": len(items), "checkpoints": len(points), "list_reports": len(reports)}
    record_changes(
        [
            Change(
                campaign, ChangeAction.CREATE, after={"demo": "lists", **totals}, reason=DEMO_REASON
            )
        ],
        actor=None,
    )
    return totals


ITEM_FIELDS = (
    "id",
    "campaign_id",
    "code",
    "unit_id",
    "battle",
    "requirement",
    "responsible_person_id",
    "deadline",
    "cadence",
    "measure",
    "target_quantity",
    "measuring_unit",
    "verified_quantity",
    "verified_period",
)
POINT_FIELDS = (
    "item_id",
    "period",
    "period_start",
    "due_date",
    "planned_quantity",
    "milestone",
    "reached_on",
)
REPORT_FIELDS = (
    "item_id",
    "period",
    "period_start",
    "quantity",
    "milestone_done",
    "note",
    "state",
    "return_reason",
    "reported_by_id",
    "reported_at",
    "verified_by_id",
    "verified_at",
)


def _item(rng, context, unit, number, battle, head):
    year = context.campaign.year
    deadline = datetime.date(year, rng.choice([6, 9, 12, 12]), 30 if rng.random() < 0.5 else 28)
    deadline = min(deadline, context.campaign.end_date)
    item = {
        "campaign_id": context.campaign.pk,
        "code": "{}-{:02d}".format(unit.code.upper(), number),
        "unit_id": unit.pk,
        "battle": str(battle),
        "responsible_person_id": head,
        "deadline": deadline,
        "cadence": str(CADENCES[battle] if rng.random() < 0.7 else Cadence.MONTHLY),
        "verified_quantity": None,
        "verified_period": "",
    }
    if rng.random() < 0.7:
        text, measuring_unit, (low, high) = rng.choice(QUANTITIES[battle])
        target = _quantity(rng.randint(low, high), measuring_unit)
        item.update(
            measure=str(Measure.QUANTITY),
            requirement=text.format(n=target),
            target_quantity=target,
            measuring_unit=measuring_unit,
        )
    else:
        text, _steps = MILESTONES[battle]
        item.update(
            measure=str(Measure.MILESTONE),
            requirement=text,
            target_quantity=None,
            measuring_unit="",
        )
    return item


def _plan_and_reports(rng, context, item, pace, reporter, verifiers, points, reports):
    """The item's checkpoints and the unit's reports on them, as the task force left them."""
    periods = context.periods(item["cadence"], item["deadline"])
    quantity = item["measure"] == Measure.QUANTITY
    if quantity:
        n = len(periods)
        planned = [
            _quantity(item["target_quantity"] * (k + 1) / n, item["measuring_unit"])
            for k in range(n)
        ]
        plan = list(zip(periods, planned, [""] * n, strict=True))
    else:
        steps = MILESTONES[item["battle"]][1]
        chosen = [periods[(len(periods) * (k + 1)) // len(steps) - 1] for k in range(len(steps))]
        plan = [(p, None, step) for p, step in zip(chosen, steps, strict=True)]
    rows = {}
    for period, planned_quantity, milestone in plan:
        row = {
            "item": item,
            "period": period.label,
            "period_start": period.start,
            "due_date": context.due(period),
            "planned_quantity": planned_quantity,
            "milestone": milestone,
            "reached_on": None,
        }
        points.append(row)
        rows[period.label] = row
    done = Decimal(0)
    verifier = verifiers.get(item["battle"])
    for period, planned_quantity, _milestone in plan:
        due = context.due(period)
        age = (context.today - due).days
        if period.end >= context.today or (age < 30 and rng.random() < 0.08):
            continue  # not over yet, or not reported yet
        reported_on = min(due, context.today)
        if quantity:
            share = Decimal(str(pace * rng.uniform(0.97, 1.08)))
            done = max(done, _quantity(planned_quantity * share, item["measuring_unit"]))
            if planned_quantity == item["target_quantity"] and rng.random() < pace:
                done = planned_quantity  # most finish by the deadline, if in a rush
            done = min(done, item["target_quantity"])
            milestone_done = False
        else:
            milestone_done = rng.random() < pace
        # The latest waits for verification; of the last month's, a few were returned
        # (older returns were corrected and verified since).
        if age < 4:
            state = ReportState.SUBMITTED
        elif age < 30 and rng.random() < 0.2:
            state = ReportState.RETURNED
        else:
            state = ReportState.VERIFIED
        verified_on = min(due + datetime.timedelta(days=rng.randint(1, 3)), context.today)
        report = {
            "item": item,
            "period": period.label,
            "period_start": period.start,
            "quantity": done if quantity else None,
            "milestone_done": milestone_done,
            "note": rng.choice(NOTES),
            "state": str(state),
            "return_reason": rng.choice(RETURN_REASONS) if state == ReportState.RETURNED else "",
            "reported_by_id": reporter,
            "reported_at": min(_moment(reported_on, 16), context.now),
            "verified_by_id": verifier if state != ReportState.SUBMITTED else None,
            "verified_at": min(_moment(verified_on, 10), context.now)
            if state != ReportState.SUBMITTED
            else None,
        }
        reports.append(report)
        if state != ReportState.VERIFIED:
            continue
        # Only verified progress counts: the item's figure, the checkpoints reached.
        if quantity:
            item["verified_quantity"], item["verified_period"] = done, period.label
            for row in rows.values():
                if row["reached_on"] is None and row["planned_quantity"] <= done:
                    row["reached_on"] = verified_on
        elif milestone_done:
            rows[period.label]["reached_on"] = verified_on
