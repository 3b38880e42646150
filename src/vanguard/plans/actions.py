"""Writes of the plans app: loading a validated plan into the campaign's records.

``do_load_plan`` is the one door: it upserts by natural keys (campaign code; task force
by campaign and battle; deadline by campaign and cadence; target by campaign and code;
checkpoint by target and period; area by campaign and level; indicator by campaign and
code, its responsible unit by name), logs every created, updated or deleted row in the
same transaction, and leaves unchanged rows alone, so loading a file twice writes
nothing the second time.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.indicators.models import Area, Indicator
from vanguard.org import access
from vanguard.org.models import Campaign, Headquarters, Office, ReportDeadline, TaskForce, Unit
from vanguard.plans.schema import InvalidPlan, KeyNodeSpec, Plan, Problem
from vanguard.projects.models import KeyNode
from vanguard.supervision.tasks import schedule_recompute
from vanguard.targets.models import Checkpoint, Target
from vanguard.targets.trajectory import plan_checkpoints

# Order and bilingual names of the summary's rows.
KINDS = (
    ("campaign", "攻坚行动"),
    ("headquarters", "总指挥部"),
    ("office", "办公室"),
    ("task force", "专班"),
    ("report deadline", "报送时限"),
    ("key node", "关键节点"),
    ("target", "目标"),
    ("checkpoint", "节点目标"),
    ("area", "地区"),
    ("indicator", "指标"),
)
OUTCOMES = (
    ("created", "新建"),
    ("updated", "更新"),
    ("deleted", "删除"),
    ("unchanged", "未变"),
)


@dataclass
class LoadReport:
    """What loading a plan did (or, in a dry run, would do), counted per kind of record."""

    campaign: str
    dry_run: bool = False
    counts: dict[str, Counter] = field(default_factory=dict)
    logged: int = 0
    key_nodes: tuple[KeyNodeSpec, ...] = ()
    # Targets of the campaign that the file no longer lists: kept, since reports may
    # point at them; the office removes them by hand if they are really gone.
    not_in_file: list[str] = field(default_factory=list)
    # Indicators of the campaign the file no longer lists: kept, since observations
    # point at them.
    indicators_not_in_file: list[str] = field(default_factory=list)
    # Responsible units the file names that no unit in the database bears (yet): the
    # indicator is linked when the plan is loaded again after the unit is created.
    units_not_found: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        """Add n to the count of an outcome for a kind of record."""
        self.counts.setdefault(kind, Counter())[outcome] += n

    def total(self, outcome: str) -> int:
        """The count of an outcome over all kinds of record."""
        return sum(c[outcome] for c in self.counts.values())

    @property
    def changed(self) -> bool:
        """Tell whether anything was (or would be) created, updated or deleted."""
        return any(self.total(o) for o in ("created", "updated", "deleted"))

    def lines(self) -> list[str]:
        """The summary a person reads after a load, Chinese first."""
        head = "攻坚行动 {} / campaign {}".format(self.campaign, self.campaign)
        if self.dry_run:
            head += "（试运行，未写入 / dry run, nothing written）"
        out = [head]
        for kind, zh in KINDS:
            counts = self.counts.get(kind, Counter())
            parts = [
                "{} {} {}".format(ozh, outcome, counts[outcome])
                for outcome, ozh in OUTCOMES
                if counts[outcome] or outcome != "deleted"
            ]
            out.append("  {} {}: {}".format(zh, kind, "，".join(parts)))
        if self.not_in_file:
            codes = ", ".join(self.not_in_file)
            out.append(
                "  文件未列出、保留未动的目标 / targets kept though not in the file: " + codes
            )
        if self.indicators_not_in_file:
            out.append(
                "  文件未列出、保留未动的指标 / indicators kept though not in the file: "
                + ", ".join(self.indicators_not_in_file)
            )
        if self.units_not_found:
            out.append(
                "  未找到的责任单位（建立单位后重新载入计划即可关联）/ responsible units not"
                " found (load the plan again once they exist): " + "、".join(self.units_not_found)
            )
        if self.changed:
            out.append(
                "新建 {}、更新 {}、删除 {}、未变 {}，变更日志 {} 条 / {} created, {} updated,"
                " {} deleted, {} unchanged, {} change-log entries".format(
                    *(self.total(o) for o in ("created", "updated", "deleted", "unchanged")),
                    self.logged,
                    *(self.total(o) for o in ("created", "updated", "deleted", "unchanged")),
                    self.logged,
                )
            )
        else:
            out.append("无变化 / no changes")
        return out


class _Sync:
    """Upserts rows, remembering the change-log entries and counts they make."""

    def __init__(self, report: LoadReport):
        self.report = report
        self.changes: list[Change] = []

    def upsert(self, kind, model, existing, lookup: dict, values: dict):
        """Create the row if missing, else update the fields that differ; return it."""
        if existing is None:
            obj = model(**lookup, **values)
            obj.save(force_insert=True)
            self.changes.append(Change(obj, ChangeAction.CREATE, after=snapshot(obj)))
            self.report.count(kind, "created")
            return obj
        changed = [name for name, value in values.items() if _differs(existing, name, value)]
        if not changed:
            self.report.count(kind, "unchanged")
            return existing
        before = snapshot(existing, changed)
        for name in changed:
            setattr(existing, name, values[name])
        existing.save(update_fields=changed)
        self.changes.append(
            Change(existing, ChangeAction.UPDATE, before=before, after=snapshot(existing, changed))
        )
        self.report.count(kind, "updated")
        return existing


def _differs(obj, name: str, value) -> bool:
    """Tell whether a field of a saved row differs from the plan's value."""
    model_field = obj._meta.get_field(name)
    if model_field.is_relation:
        return getattr(obj, model_field.attname) != (value.pk if value is not None else None)
    current = getattr(obj, name)
    if isinstance(value, tuple):
        value = list(value)
    return current != value


def _measure_conflicts(plan: Plan, campaign: Campaign | None) -> list[Problem]:
    """Targets in the database under another code that hold a measure+period of the file."""
    if campaign is None:
        return []
    codes = {t.code for t in plan.targets}
    others = {
        (measure, period): code
        for code, measure, period in Target.objects.filter(campaign=campaign)
        .exclude(code__in=codes)
        .values_list("code", "measure", "period")
    }
    problems = []
    for spec in plan.targets:
        other = others.get((spec.measure, spec.period.label))
        if other:
            problems.append(
                Problem(
                    spec.line,
                    spec.path + ".measure",
                    "指标 {} 在 {} 已由库中目标 {} 使用（目标代码不能更改）".format(
                        spec.measure, spec.period.label, other
                    ),
                    "measure {} for {} is already held by target {} in the database"
                    " (a target's code cannot change)".format(
                        spec.measure, spec.period.label, other
                    ),
                )
            )
    return problems


def _sync_checkpoints(sync: _Sync, targets: list[tuple[Target, dict]]) -> None:
    """Bring each target's checkpoints in line with its trajectory, touching only changes."""
    existing: dict[int, dict[str, Checkpoint]] = {}
    for cp in Checkpoint.objects.filter(target__in=[t for t, _pins in targets]):
        existing.setdefault(cp.target_id, {})[cp.period] = cp
    to_create, to_update, to_delete, updates = [], [], [], []
    for target, pins in targets:
        current = existing.get(target.pk, {})
        wanted = plan_checkpoints(
            kind=target.kind,
            start=target.period_start,
            end=target.period_end,
            value=target.value,
            pins=pins,
        )
        for planned in wanted:
            values = {
                "period_kind": planned.period_kind,
                "end_date": planned.end_date,
                "value": planned.value,
            }
            cp = current.pop(planned.label, None)
            if cp is None:
                to_create.append(Checkpoint(target=target, period=planned.label, **values))
                continue
            changed = [name for name, value in values.items() if getattr(cp, name) != value]
            if not changed:
                sync.report.count("checkpoint", "unchanged")
                continue
            before = snapshot(cp, changed)
            for name in changed:
                setattr(cp, name, values[name])
            to_update.append(cp)
            updates.append((cp, before, changed))
        to_delete.extend(current.values())
    if to_delete:
        for cp in to_delete:
            sync.changes.append(Change(cp, ChangeAction.DELETE, before=snapshot(cp)))
        Checkpoint.objects.filter(pk__in=[cp.pk for cp in to_delete]).delete()
        sync.report.count("checkpoint", "deleted", len(to_delete))
    if to_update:
        Checkpoint.objects.bulk_update(to_update, ["period_kind", "end_date", "value"])
        for cp, before, changed in updates:
            sync.changes.append(
                Change(cp, ChangeAction.UPDATE, before=before, after=snapshot(cp, changed))
            )
        sync.report.count("checkpoint", "updated", len(to_update))
    if to_create:
        # bulk_create sets primary keys on SQLite and PostgreSQL, which the log needs.
        Checkpoint.objects.bulk_create(to_create)
        for cp in to_create:
            sync.changes.append(Change(cp, ChangeAction.CREATE, after=snapshot(cp)))
        sync.report.count("checkpoint", "created", len(to_create))


def _sync_indicators(sync: _Sync, campaign: Campaign, plan: Plan) -> None:
    """Upsert the campaign's areas (by level) and indicators (by code)."""
    areas = {a.level: a for a in Area.objects.filter(campaign=campaign)}
    for spec in plan.areas:
        sync.upsert(
            "area",
            Area,
            areas.get(spec.level),
            {"campaign": campaign, "level": spec.level},
            {"name": spec.name},
        )
    names = {i.responsible_unit for i in plan.indicators}
    units = {u.name: u for u in Unit.objects.filter(name__in=names)}
    sync.report.units_not_found = sorted(names - set(units))
    indicators = {i.code: i for i in Indicator.objects.filter(campaign=campaign)}
    for spec in plan.indicators:
        sync.upsert(
            "indicator",
            Indicator,
            indicators.pop(spec.code, None),
            {"campaign": campaign, "code": spec.code},
            {
                "name": spec.name,
                "name_en": spec.name_en,
                "aliases": list(spec.aliases),
                "unit_of_measure": spec.unit_of_measure,
                "kind": spec.kind,
                "good_direction": spec.good_direction,
                "frequency": spec.frequency,
                "sector": spec.sector,
                "responsible_unit": units.get(spec.responsible_unit),
                "responsible_unit_name": spec.responsible_unit,
                "main": spec.main,
                "comparators": list(spec.comparators),
                "sort_order": spec.sort_order,
                "project_increment_rate": spec.project_increment_rate,
            },
        )
    if plan.indicators:
        sync.report.indicators_not_in_file = sorted(indicators)


def do_load_plan(plan: Plan, *, actor, dry_run: bool = False) -> LoadReport:
    """Create or update a campaign, its organisation, targets and checkpoints from a plan
    (the office, or the system: the ``loadplan`` command and the demo)."""
    access.require_load_plan(actor)
    report = LoadReport(campaign=plan.campaign.code, dry_run=dry_run, key_nodes=plan.key_nodes)
    sync = _Sync(report)
    with transaction.atomic():
        campaign = Campaign.objects.filter(code=plan.campaign.code).first()
        problems = _measure_conflicts(plan, campaign)
        if problems:
            raise InvalidPlan(problems)

        spec = plan.campaign
        values = {
            "name": spec.name,
            "year": spec.year,
            "start_date": spec.start_date,
            "end_date": spec.end_date,
        }
        if spec.status:
            values["status"] = spec.status
        campaign = sync.upsert("campaign", Campaign, campaign, {"code": spec.code}, values)

        headquarters = sync.upsert(
            "headquarters",
            Headquarters,
            Headquarters.objects.filter(campaign=campaign).first(),
            {"campaign": campaign},
            {"name": plan.headquarters.name, "commander": plan.headquarters.commander},
        )
        sync.upsert(
            "office",
            Office,
            Office.objects.filter(headquarters=headquarters).first(),
            {"headquarters": headquarters},
            {"name": plan.office.name},
        )

        forces = {tf.battle: tf for tf in TaskForce.objects.filter(campaign=campaign)}
        for tf in plan.task_forces:
            forces[tf.battle] = sync.upsert(
                "task force",
                TaskForce,
                forces.get(tf.battle),
                {"campaign": campaign, "battle": tf.battle},
                {"name": tf.name, "cadence": tf.cadence, "duties": tf.duties},
            )

        deadlines = {d.cadence: d for d in ReportDeadline.objects.filter(campaign=campaign)}
        for d in plan.report_deadlines:
            sync.upsert(
                "report deadline",
                ReportDeadline,
                deadlines.get(d.cadence),
                {"campaign": campaign, "cadence": d.cadence},
                {"working_days_after": d.working_days_after},
            )

        nodes = {n.code: n for n in KeyNode.objects.filter(campaign=campaign)}
        for order, node in enumerate(plan.key_nodes, start=1):
            sync.upsert(
                "key node",
                KeyNode,
                nodes.get(node.code),
                {"campaign": campaign, "code": node.code},
                {"name": node.name, "name_en": node.name_en, "order": order},
            )

        targets = {t.code: t for t in Target.objects.filter(campaign=campaign)}
        loaded = []
        for t in plan.targets:
            target = sync.upsert(
                "target",
                Target,
                targets.pop(t.code, None),
                {"campaign": campaign, "code": t.code},
                {
                    "battle": t.battle,
                    "task_force": forces[t.battle],
                    "name": t.name,
                    "period": t.period.label,
                    "period_start": t.period.start,
                    "period_end": t.period.end,
                    "kind": t.kind,
                    "measure": t.measure,
                    "value": t.value,
                    "unit_of_measure": t.unit_of_measure,
                    "comparators": list(t.comparators),
                    "description": t.description,
                    "sort_order": t.sort_order,
                },
            )
            loaded.append((target, t.pins))
        report.not_in_file = sorted(targets)
        _sync_checkpoints(sync, loaded)
        _sync_indicators(sync, campaign, plan)

        report.logged = len(record_changes(sync.changes, actor=actor))
        if report.changed and not dry_run:
            # A target's value or a checkpoint moved: the lights judged on them follow.
            schedule_recompute([campaign.pk])
        if dry_run:
            # The counts above come from really doing the work; undo it all.
            transaction.set_rollback(True)
    return report
