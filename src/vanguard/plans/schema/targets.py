"""The targets section: periods, kinds, measures, comparators and pinned trajectories."""

import re
from decimal import Decimal

from vanguard.calendar.periods import parse_label
from vanguard.org.choices import Battle
from vanguard.plans.schema.checker import Checker, choices_text
from vanguard.plans.schema.source import MISSING, child_path
from vanguard.plans.schema.specs import TargetSpec
from vanguard.targets.choices import Comparator, TargetKind

MEASURE_RE = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+")
KIND_NAMES_ZH = {TargetKind.COUNT: "计数", TargetKind.GROWTH: "增速", TargetKind.RELATIVE: "相对"}
TARGET_KEYS = (
    "code",
    "battle",
    "name",
    "period",
    "kind",
    "measure",
    "value",
    "unit_of_measure",
    "comparators",
    "description",
    "trajectory",
)


def check_targets(c: Checker, data, year, task_forces) -> list[TargetSpec]:
    """Check every target, then uniqueness of codes and of measure+period."""
    battles_with_force = {tf.battle for tf in task_forces}
    result, codes, measures = [], {}, {}
    for i, item in enumerate(c.sequence(data, "targets")):
        path = f"targets[{i}]"
        item = c.mapping(item, path, TARGET_KEYS)
        if item is None:
            continue
        spec = _target(c, item, path, i, year, battles_with_force)
        code_ok = measure_ok = True
        if isinstance(item.get("code"), str):
            code_ok = c.unique(codes, item["code"], path + ".code", "目标代码", "target code")
        if isinstance(item.get("measure"), str) and isinstance(item.get("period"), str | int):
            key = (item["measure"], str(item["period"]))
            measure_ok = c.unique(
                measures, key, path + ".measure", "同一周期的指标", "measure for the same period"
            )
        if spec is not None and code_ok and measure_ok:
            result.append(spec)
    return result


def _target(c: Checker, item, path, index, year, battles_with_force) -> TargetSpec | None:
    """Check one target."""
    before = len(c.problems)
    code = c.code(item, "code", path)
    battle = c.choice(item, "battle", path, Battle, "攻坚战", "battle")
    if battle and battle not in battles_with_force:
        c.add(
            path + ".battle",
            f'攻坚战 "{battle}" 没有对应的专班（请在 task_forces 中设立）',
            f'no task force for battle "{battle}" (add one under task_forces)',
        )
    name = c.text(item, "name", path)
    period = c.period(item, "period", path)
    if period and year and period.start.year != year:
        c.add(
            path + ".period",
            f"周期 {period.label} 不在攻坚行动年度 {year} 内",
            f"period {period.label} is outside the campaign year {year}",
        )
    kind = c.choice(item, "kind", path, TargetKind, "目标类型", "target kind")
    measure = c.text(item, "measure", path, max_length=100)
    if measure and not MEASURE_RE.fullmatch(measure):
        c.add(
            path + ".measure",
            f"指标键 {measure!r} 应为小写点分形式，如 projects.started",
            f"measure {measure!r} must be a lower-case dotted key like projects.started",
        )
    elif measure and battle and measure.split(".")[0] != battle:
        # The measure names its battle first, so a target filed under the wrong battle shows.
        c.add(
            path + ".measure",
            f'指标键 {measure!r} 不属于攻坚战 "{battle}"',
            f'measure {measure!r} does not belong to battle "{battle}"',
        )
    value = _target_value(c, item, path, kind)
    unit = c.text(item, "unit_of_measure", path, required=False, max_length=16) or ""
    comparators = _comparators(c, item, path, kind)
    description = c.text(item, "description", path, required=False, max_length=None) or ""
    if kind == TargetKind.RELATIVE and not comparators and not description:
        c.add(
            path + ".comparators",
            "相对目标须列出比较对象，或以 description 说明",
            "a relative target needs comparators or a description",
        )
    trajectory = _trajectory(c, item, path, kind, period, value)
    if len(c.problems) > before:
        return None
    return TargetSpec(
        code=code,
        battle=battle,
        name=name,
        period=period,
        kind=kind,
        measure=measure,
        value=value,
        unit_of_measure=unit,
        comparators=comparators,
        description=description,
        trajectory=trajectory,
        sort_order=index + 1,
        line=c.line(path),
        path=path,
    )


def _target_value(c: Checker, item, path, kind) -> Decimal | None:
    """The value: required for count and growth, optional for relative, whole for counts."""
    raw = item.get("value", MISSING)
    where = path + ".value"
    if raw is MISSING or raw is None:
        if kind in (TargetKind.COUNT, TargetKind.GROWTH):
            c.add(
                where,
                f"{KIND_NAMES_ZH[kind]}目标缺少目标值",
                f"a {kind} target needs a value",
            )
        return None
    value = c.number(raw, where)
    if value is not None and kind == TargetKind.COUNT and value != value.to_integral_value():
        c.add(
            where,
            f"计数目标应为整数：{raw}",
            f"a count target must be whole: {raw}",
        )
        return None
    return value


def _comparators(c: Checker, item, path, kind) -> tuple[str, ...]:
    """The comparator series of a relative target."""
    raw = item.get("comparators")
    where = path + ".comparators"
    if raw is None:
        return ()
    if kind and kind != TargetKind.RELATIVE:
        c.add(where, "只有相对目标才有比较对象", "only a relative target has comparators")
        return ()
    if not isinstance(raw, list):
        c.add(where, "应为列表", "expected a list")
        return ()
    result, seen = [], {}
    for j, value in enumerate(raw):
        here = f"{where}[{j}]"
        if value not in Comparator.values:
            c.add(
                here,
                '未知的比较对象 "{}"（可选：{}）'.format(value, choices_text(Comparator, "、")),
                'unknown comparator "{}" (choices: {})'.format(
                    value, choices_text(Comparator, ", ")
                ),
            )
        elif c.unique(seen, value, here, "比较对象", "comparator"):
            result.append(value)
    return tuple(result)


def _trajectory(c: Checker, item, path, kind, period, value) -> tuple[tuple[str, Decimal], ...]:
    """Pinned cumulative values: inside the period, within the value, never falling."""
    raw = item.get("trajectory")
    where = path + ".trajectory"
    if raw is None:
        return ()
    if kind and kind != TargetKind.COUNT:
        c.add(
            where,
            "只有计数目标可以钉住中间值",
            "only a count target can pin values along its trajectory",
        )
        return ()
    if not isinstance(raw, dict):
        c.add(where, "应为映射（周期: 累计值）", "expected a mapping (period: cumulative value)")
        return ()
    pins = []
    for label, raw_value in raw.items():
        here = child_path(where, label)
        try:
            pin_period = parse_label(str(label))
        except ValueError as exc:
            zh, _, en = str(exc).partition(" / ")
            c.add(here, zh, en or zh)
            continue
        if period and not (period.start <= pin_period.start and pin_period.end <= period.end):
            c.add(
                here,
                f"周期 {label} 不在目标周期 {period.label} 内",
                f"period {label} is not inside the target's period {period.label}",
            )
            continue
        if raw_value is None:
            c.add(here, "缺少累计值", "cumulative value is missing")
            continue
        pin_value = c.number(raw_value, here)
        if pin_value is None or value is None:
            continue
        if pin_value > value:
            c.add(
                here,
                f"累计值 {raw_value} 高于目标值 {value}",
                f"cumulative value {raw_value} is above the target value {value}",
            )
            continue
        if period and pin_period.end == period.end and pin_value != value:
            c.add(
                here,
                f"期末累计值 {raw_value} 应等于目标值 {value}",
                f"the value at the period's end, {raw_value}, must equal the target value {value}",
            )
            continue
        pins.append((pin_period.end, str(label), pin_value, here))
    # Cumulative values never fall: a later pin below an earlier one is a typo.
    pins.sort()
    for (end0, label0, v0, _), (end1, label1, v1, here) in zip(pins, pins[1:], strict=False):
        if v1 < v0 or (end1 == end0 and v1 != v0):
            c.add(
                here,
                f"累计值 {v1} ({label1}) 低于或不同于更早的 {v0} ({label0})",
                f"cumulative value {v1} at {label1} falls below or differs from {v0} at {label0}",
            )
    return tuple((label, v) for _end, label, v, _here in pins)
