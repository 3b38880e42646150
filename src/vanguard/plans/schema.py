"""The plan file: YAML read with line numbers, checked whole, returned as typed specs.

Nothing here touches the database. ``parse_plan`` collects every problem of a file
before it gives up, so an office clerk fixes a file in one pass, and each problem
names its line (1-based) and field path (0-based indexes, e.g. ``targets[3].value``)
in Chinese, then in English after " / ".
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import yaml

from vanguard.calendar.periods import Period, PeriodKind, parse_label
from vanguard.indicators.choices import AreaLevel, Frequency, GoodDirection, IndicatorKind
from vanguard.org.choices import Battle, Cadence, CampaignStatus
from vanguard.targets.choices import Comparator, TargetKind

CODE_RE = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
# An indicator's code is a segment of its targets' measure key (indicators.<code>.growth).
INDICATOR_CODE_RE = re.compile(r"[a-z][a-z0-9_]*")
# Measure groups that are not one indicator: "main" covers every indicator marked main.
INDICATOR_GROUPS = ("main",)
MEASURE_RE = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+")
# A target is set for a year, a quarter or a month; checkpoints come from months and quarters.
TARGET_PERIOD_KINDS = (PeriodKind.YEAR, PeriodKind.QUARTER, PeriodKind.MONTH)
# Target.value is DecimalField(max_digits=14, decimal_places=2).
MAX_VALUE = Decimal("999999999999.99")
KIND_NAMES_ZH = {TargetKind.COUNT: "计数", TargetKind.GROWTH: "增速", TargetKind.RELATIVE: "相对"}

TOP_KEYS = (
    "campaign",
    "headquarters",
    "office",
    "task_forces",
    "report_deadlines",
    "key_nodes",
    "targets",
    "areas",
    "indicators",
)
CAMPAIGN_KEYS = ("code", "name", "year", "start_date", "end_date", "status")
HEADQUARTERS_KEYS = ("name", "commander")
OFFICE_KEYS = ("name",)
TASK_FORCE_KEYS = ("battle", "name", "cadence", "duties")
DEADLINE_KEYS = ("cadence", "working_days_after")
KEY_NODE_KEYS = ("code", "name", "name_en")
AREA_KEYS = ("level", "name")
INDICATOR_KEYS = (
    "code",
    "name",
    "name_en",
    "aliases",
    "unit_of_measure",
    "kind",
    "good_direction",
    "frequency",
    "sector",
    "responsible_unit",
    "main",
    "comparators",
    "project_increment_rate",
)
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


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a plan file, with where it is."""

    line: int | None
    path: str
    zh: str
    en: str

    def __str__(self):
        where = f"第 {self.line} 行 " if self.line else ""
        return "{}{}：{} / {}".format(where, self.path or "(plan)", self.zh, self.en)


class InvalidPlan(Exception):
    """A plan file that cannot be loaded; ``problems`` lists everything wrong with it."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class CampaignSpec:
    """The campaign as the plan states it."""

    code: str
    name: str
    year: int
    start_date: date
    end_date: date
    status: str | None = None


@dataclass(frozen=True)
class HeadquartersSpec:
    """The headquarters (总指挥部) as the plan states it."""

    name: str
    commander: str = ""


@dataclass(frozen=True)
class OfficeSpec:
    """The headquarters' office (办公室) as the plan states it."""

    name: str


@dataclass(frozen=True)
class TaskForceSpec:
    """One task force (专班): its battle, name, cadence and duties."""

    battle: str
    name: str
    cadence: str
    duties: str = ""


@dataclass(frozen=True)
class DeadlineSpec:
    """When reports of one cadence fall due, in working days after the period ends."""

    cadence: str
    working_days_after: int = 1


@dataclass(frozen=True)
class KeyNodeSpec:
    """One of a major project's key nodes (关键节点)."""

    code: str
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class AreaSpec:
    """The campaign's own area or a comparator area, by level."""

    level: str
    name: str


@dataclass(frozen=True)
class IndicatorSpec:
    """One economic indicator of the catalogue (经济运行重点指标)."""

    code: str
    name: str
    unit_of_measure: str
    kind: str
    responsible_unit: str
    name_en: str = ""
    aliases: tuple[str, ...] = ()
    good_direction: str = GoodDirection.UP
    frequency: str = Frequency.MONTHLY
    sector: str = ""
    main: bool = False
    comparators: tuple[str, ...] = ()
    sort_order: int = 0
    # What a major project starting production adds to the indicator a year, per yuan
    # invested, in the indicator's unit scaled from yuan (the forecast's increment).
    project_increment_rate: Decimal | None = None


@dataclass(frozen=True)
class TargetSpec:
    """One target with its period resolved and its pinned trajectory values."""

    code: str
    battle: str
    name: str
    period: Period
    kind: str
    measure: str
    value: Decimal | None
    unit_of_measure: str = ""
    comparators: tuple[str, ...] = ()
    description: str = ""
    trajectory: tuple[tuple[str, Decimal], ...] = ()
    sort_order: int = 0
    line: int | None = None
    path: str = ""

    @property
    def pins(self) -> dict[str, Decimal]:
        """Pinned cumulative values keyed by period label."""
        return dict(self.trajectory)


@dataclass(frozen=True)
class Plan:
    """A whole validated plan, ready for the loader."""

    campaign: CampaignSpec
    headquarters: HeadquartersSpec
    office: OfficeSpec
    task_forces: tuple[TaskForceSpec, ...]
    report_deadlines: tuple[DeadlineSpec, ...]
    key_nodes: tuple[KeyNodeSpec, ...]
    targets: tuple[TargetSpec, ...]
    areas: tuple[AreaSpec, ...] = ()
    indicators: tuple[IndicatorSpec, ...] = ()


# ---------------------------------------------------------------------------
# YAML with line numbers


class _Missing:
    """Marker for a key that is absent, as opposed to present with a null value."""


MISSING = _Missing()


def _read_yaml(text: str) -> tuple[object, dict[str, int], list[Problem]]:
    """Parse YAML into plain values plus a map from field path to 1-based line."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        detail = " ".join(s for s in (exc.context, exc.problem) if s)
        return None, {}, [Problem(line, "(yaml)", f"YAML 语法错误：{detail}", detail)]
    except yaml.YAMLError as exc:
        return None, {}, [Problem(None, "(yaml)", "YAML 语法错误", str(exc))]
    finally:
        loader.dispose()
    if root is None:
        return None, {}, []
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    value = _to_python(loader, root, "", lines, problems)
    return value, lines, problems


def _to_python(loader, node, path, lines, problems):
    """Build plain values from a YAML node, recording each value's line under its path."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = _scalar(loader, key_node)
            key = str(key) if isinstance(key, int | date) else key
            child = _child(path, key)
            if key in result:
                problems.append(
                    Problem(
                        key_node.start_mark.line + 1,
                        child,
                        "字段重复",
                        "duplicate key",
                    )
                )
                continue
            result[key] = _to_python(loader, value_node, child, lines, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(loader, item, f"{path}[{i}]", lines, problems)
            for i, item in enumerate(node.value)
        ]
    return _scalar(loader, node)


def _scalar(loader, node):
    """Construct a scalar; keep the raw text when YAML cannot (e.g. the date 2026-13-01)."""
    if not isinstance(node, yaml.ScalarNode):
        return node
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, yaml.YAMLError):
        return node.value


def _child(path, key):
    """The path of a mapping's key: plain names dotted, anything else quoted in brackets."""
    key = str(key)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        return f"{path}.{key}" if path else key
    return f'{path}["{key}"]'


# ---------------------------------------------------------------------------
# Checking


def _choices_text(choices, sep) -> str:
    """List the allowed values of a choices class."""
    return sep.join(str(v) for v in choices.values)


class _Checker:
    """Collects problems while reading the parsed YAML into specs."""

    def __init__(self, lines: dict[str, int]):
        self.lines = lines
        self.problems: list[Problem] = []

    def line(self, path: str) -> int | None:
        """Line of a path, or of its nearest parent that the file has."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""

    def add(self, path: str, zh: str, en: str) -> None:
        """Record a problem at a path."""
        self.problems.append(Problem(self.line(path), path, zh, en))

    # Shapes -----------------------------------------------------------------

    def mapping(self, data, path: str, allowed: tuple[str, ...]) -> dict | None:
        """Require a mapping and flag keys the schema does not know."""
        if data is None or data is MISSING:
            self.add(path, "缺少必填部分", "required section is missing")
            return None
        if not isinstance(data, dict):
            self.add(path, "应为映射（键: 值）", "expected a mapping (key: value)")
            return None
        for key in data:
            if key not in allowed:
                self.add(
                    _child(path, key),
                    "未知字段 {!r}（可选：{}）".format(key, "、".join(allowed)),
                    "unknown field {!r} (allowed: {})".format(key, ", ".join(allowed)),
                )
        return data

    def sequence(self, data, key: str) -> list:
        """Require a list under a top-level key."""
        value = data.get(key, MISSING)
        if value is MISSING or value is None:
            self.add(key, "缺少列表", "missing list")
            return []
        if not isinstance(value, list):
            self.add(key, "应为列表", "expected a list")
            return []
        return value

    # Scalars ----------------------------------------------------------------

    def text(self, data, key, path, *, required=True, max_length=200) -> str | None:
        """A non-empty string, or None (with a problem if required)."""
        value = data.get(key, MISSING)
        where = _child(path, key)
        if value is MISSING or value is None or value == "":
            if required:
                self.add(where, "缺少必填字段", "required field is missing")
            return None
        if not isinstance(value, str):
            self.add(where, "应为文本", "expected text")
            return None
        value = value.strip()
        if max_length and len(value) > max_length:
            self.add(
                where,
                f"长度 {len(value)} 超过上限 {max_length}",
                f"{len(value)} characters, more than {max_length}",
            )
            return None
        return value

    def code(self, data, key, path, *, max_length=64) -> str | None:
        """A lower-case code of letters, digits, dashes and underscores."""
        value = self.text(data, key, path, max_length=max_length)
        if value is not None and not CODE_RE.fullmatch(value):
            self.add(
                _child(path, key),
                f"代码 {value!r} 只能含小写字母、数字、- 和 _",
                f"code {value!r} may hold only lower-case letters, digits, - and _",
            )
            return None
        return value

    def choice(self, data, key, path, choices, zh_what, en_what) -> str | None:
        """A value from a Django choices class."""
        value = data.get(key, MISSING)
        where = _child(path, key)
        if value is MISSING or value is None:
            self.add(where, f"缺少{zh_what}", f"{en_what} is missing")
            return None
        if value not in choices.values:
            self.add(
                where,
                '未知的{} "{}"（可选：{}）'.format(zh_what, value, _choices_text(choices, "、")),
                'unknown {} "{}" (choices: {})'.format(
                    en_what, value, _choices_text(choices, ", ")
                ),
            )
            return None
        return str(value)

    def integer(self, data, key, path, *, default=MISSING, minimum=None) -> int | None:
        """A whole number, optionally with a default and a lower bound."""
        value = data.get(key, MISSING)
        where = _child(path, key)
        if value is MISSING or value is None:
            if default is MISSING:
                self.add(where, "缺少必填字段", "required field is missing")
                return None
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(
                where,
                f"应为整数，而不是 {value!r}",
                f"expected a whole number, not {value!r}",
            )
            return None
        if minimum is not None and value < minimum:
            self.add(
                where,
                f"不能小于 {minimum}",
                f"must be at least {minimum}",
            )
            return None
        return value

    def number(self, value, where) -> Decimal | None:
        """A number as Decimal: at most two decimals, not negative, within the column's size."""
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            self.add(
                where,
                f"应为数字，而不是 {value!r}",
                f"expected a number, not {value!r}",
            )
            return None
        try:
            # str() first: a YAML 6.5 is the float 6.5, and Decimal(6.5 float) is exact but
            # Decimal(0.1 float) would carry binary noise into the database.
            number = Decimal(str(value))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.add(where, "不是有效数字", "not a finite number")
            return None
        if number < 0:
            self.add(where, f"不能为负数：{value}", f"must not be negative: {value}")
            return None
        if number != number.quantize(Decimal("0.01")):
            self.add(where, f"最多两位小数：{value}", f"at most two decimals: {value}")
            return None
        if number > MAX_VALUE:
            self.add(where, f"数值过大：{value}", f"too large: {value}")
            return None
        return number

    def date(self, data, key, path) -> date | None:
        """A calendar date written as YYYY-MM-DD."""
        value = data.get(key, MISSING)
        where = _child(path, key)
        if value is MISSING or value is None:
            self.add(where, "缺少日期", "date is missing")
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        self.add(
            where,
            f"不是有效日期 {value!r}，应形如 2026-01-17",
            f"not a valid date {value!r}; expected e.g. 2026-01-17",
        )
        return None

    def period(self, data, key, path) -> Period | None:
        """A calendar period label such as 2026 or 2026-Q1."""
        value = data.get(key, MISSING)
        where = _child(path, key)
        if value is MISSING or value is None:
            self.add(where, "缺少周期", "period is missing")
            return None
        try:
            period = parse_label(str(value))
        except ValueError as exc:
            zh, _, en = str(exc).partition(" / ")
            self.add(where, zh, en or zh)
            return None
        if period.kind not in TARGET_PERIOD_KINDS:
            self.add(
                where,
                f"目标周期须为年、季度或月，而不是 {value}",
                f"a target's period must be a year, quarter or month, not {value}",
            )
            return None
        return period

    def unique(self, seen: dict, key, where: str, zh_what: str, en_what: str) -> bool:
        """Remember a key; flag it (naming the first place) when it has been seen before."""
        if key in seen:
            first = seen[key]
            self.add(
                where,
                f"{zh_what}重复：{_show(key)}（已见于 {first}）",
                f"duplicate {en_what} {_show(key)} (first at {first})",
            )
            return False
        seen[key] = where
        return True


def _show(key) -> str:
    """Show a uniqueness key for a message."""
    if isinstance(key, tuple):
        return "+".join(str(k) for k in key)
    return str(key)


# ---------------------------------------------------------------------------
# Sections


def _campaign(c: _Checker, data) -> tuple[CampaignSpec | None, int | None]:
    """Check the campaign section; return its spec and, for the targets' check, its year."""
    section = c.mapping(data.get("campaign"), "campaign", CAMPAIGN_KEYS)
    if section is None:
        return None, None
    before = len(c.problems)
    code = c.code(section, "code", "campaign")
    name = c.text(section, "name", "campaign")
    year = c.integer(section, "year", "campaign", minimum=2000)
    start = c.date(section, "start_date", "campaign")
    end = c.date(section, "end_date", "campaign")
    status = None
    if section.get("status") is not None:
        status = c.choice(section, "status", "campaign", CampaignStatus, "状态", "status")
    if start and end and end < start:
        c.add(
            "campaign.end_date",
            f"结束日期 {end} 早于开始日期 {start}",
            f"end date {end} is before start date {start}",
        )
    # A campaign is year-long: its dates must lie in its year, or year targets would not fit.
    for key, day in (("start_date", start), ("end_date", end)):
        if year and day and day.year != year:
            c.add(
                f"campaign.{key}",
                f"日期 {day} 不在攻坚行动年度 {year} 内",
                f"date {day} is outside the campaign year {year}",
            )
    if len(c.problems) > before:
        return None, year
    return CampaignSpec(code, name, year, start, end, status), year


def _headquarters(c: _Checker, data) -> tuple[HeadquartersSpec | None, OfficeSpec | None]:
    """Check the headquarters and office sections."""
    hq = office = None
    section = c.mapping(data.get("headquarters"), "headquarters", HEADQUARTERS_KEYS)
    if section is not None:
        name = c.text(section, "name", "headquarters")
        commander = c.text(section, "commander", "headquarters", required=False) or ""
        hq = HeadquartersSpec(name, commander) if name else None
    section = c.mapping(data.get("office"), "office", OFFICE_KEYS)
    if section is not None:
        name = c.text(section, "name", "office")
        office = OfficeSpec(name) if name else None
    return hq, office


def _task_forces(c: _Checker, data) -> list[TaskForceSpec]:
    """Check the task forces: one per battle, each with a known cadence."""
    result, seen = [], {}
    for i, item in enumerate(c.sequence(data, "task_forces")):
        path = f"task_forces[{i}]"
        item = c.mapping(item, path, TASK_FORCE_KEYS)
        if item is None:
            continue
        battle = c.choice(item, "battle", path, Battle, "攻坚战", "battle")
        name = c.text(item, "name", path)
        cadence = c.choice(item, "cadence", path, Cadence, "调度频次", "cadence")
        duties = c.text(item, "duties", path, required=False, max_length=None) or ""
        if battle and not c.unique(
            seen, battle, path + ".battle", "专班的攻坚战", "task force battle"
        ):
            continue
        if None not in (battle, name, cadence):
            result.append(TaskForceSpec(battle, name, cadence, duties))
    return result


def _deadlines(c: _Checker, data, task_forces) -> list[DeadlineSpec]:
    """Check report deadlines; a cadence a task force uses but the file omits gets the default."""
    result, seen = [], {}
    items = data.get("report_deadlines")
    items = c.sequence(data, "report_deadlines") if items is not None else []
    for i, item in enumerate(items):
        path = f"report_deadlines[{i}]"
        item = c.mapping(item, path, DEADLINE_KEYS)
        if item is None:
            continue
        cadence = c.choice(item, "cadence", path, Cadence, "调度频次", "cadence")
        days = c.integer(item, "working_days_after", path, default=1, minimum=1)
        if cadence and not c.unique(seen, cadence, path + ".cadence", "调度频次", "cadence"):
            continue
        if cadence and days is not None:
            result.append(DeadlineSpec(cadence, days))
    listed = {d.cadence for d in result} | set(seen)
    for tf in task_forces:
        if tf.cadence not in listed:
            result.append(DeadlineSpec(tf.cadence))
            listed.add(tf.cadence)
    return result


def _key_nodes(c: _Checker, data) -> list[KeyNodeSpec]:
    """Check the key nodes of a major project: unique codes and names."""
    result, codes, names = [], {}, {}
    items = data.get("key_nodes")
    items = c.sequence(data, "key_nodes") if items is not None else []
    for i, item in enumerate(items):
        path = f"key_nodes[{i}]"
        item = c.mapping(item, path, KEY_NODE_KEYS)
        if item is None:
            continue
        code = c.code(item, "code", path)
        name = c.text(item, "name", path)
        name_en = c.text(item, "name_en", path, required=False) or ""
        ok = True
        if code:
            ok = c.unique(codes, code, path + ".code", "关键节点代码", "key node code") and ok
        if name:
            ok = c.unique(names, name, path + ".name", "关键节点名称", "key node name") and ok
        if ok and code and name:
            result.append(KeyNodeSpec(code, name, name_en))
    return result


def _targets(c: _Checker, data, year, task_forces) -> list[TargetSpec]:
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


def _target(c: _Checker, item, path, index, year, battles_with_force) -> TargetSpec | None:
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


def _target_value(c: _Checker, item, path, kind) -> Decimal | None:
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


def _comparators(c: _Checker, item, path, kind) -> tuple[str, ...]:
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
                '未知的比较对象 "{}"（可选：{}）'.format(value, _choices_text(Comparator, "、")),
                'unknown comparator "{}" (choices: {})'.format(
                    value, _choices_text(Comparator, ", ")
                ),
            )
        elif c.unique(seen, value, here, "比较对象", "comparator"):
            result.append(value)
    return tuple(result)


def _trajectory(c: _Checker, item, path, kind, period, value) -> tuple[tuple[str, Decimal], ...]:
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
        here = _child(where, label)
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


def _areas(c: _Checker, data) -> list[AreaSpec]:
    """Check the areas: one per level; the district is the campaign's own."""
    result, seen = [], {}
    items = data.get("areas")
    items = c.sequence(data, "areas") if items is not None else []
    for i, item in enumerate(items):
        path = f"areas[{i}]"
        item = c.mapping(item, path, AREA_KEYS)
        if item is None:
            continue
        level = c.choice(item, "level", path, AreaLevel, "地区层级", "area level")
        name = c.text(item, "name", path, max_length=100)
        if level and not c.unique(seen, level, path + ".level", "地区层级", "area level"):
            continue
        if level and name:
            result.append(AreaSpec(level, name))
    return result


def _indicators(c: _Checker, data, areas) -> list[IndicatorSpec]:
    """Check the indicator catalogue: unique codes and names, kinds that fit their units."""
    items = data.get("indicators")
    if items is None:
        return []
    items = c.sequence(data, "indicators")
    levels = {a.level for a in areas}
    if items and AreaLevel.DISTRICT not in levels:
        c.add(
            "areas",
            "指标须有本区地区（areas 中 level: district）",
            "indicators need the campaign's own area (an area with level: district)",
        )
    result, codes, names = [], {}, {}
    for i, item in enumerate(items):
        path = f"indicators[{i}]"
        item = c.mapping(item, path, INDICATOR_KEYS)
        if item is None:
            continue
        spec = _indicator(c, item, path, i, levels)
        ok = True
        for key, seen, zh, en in (
            ("code", codes, "指标代码", "indicator code"),
            ("name", names, "指标名称", "indicator name"),
        ):
            if isinstance(item.get(key), str):
                ok = c.unique(seen, item[key].strip(), f"{path}.{key}", zh, en) and ok
        # An alias is a name too: a table row must name one indicator only.
        for j, alias in enumerate(spec.aliases if spec else ()):
            ok = c.unique(names, alias, f"{path}.aliases[{j}]", "指标名称", "indicator name") and ok
        if spec is not None and ok:
            result.append(spec)
    return result


def _indicator(c: _Checker, item, path, index, levels) -> IndicatorSpec | None:
    """Check one indicator."""
    before = len(c.problems)
    code = c.text(item, "code", path, max_length=64)
    if code and not INDICATOR_CODE_RE.fullmatch(code):
        c.add(
            path + ".code",
            f"指标代码 {code!r} 只能含小写字母、数字和 _，且以字母开头（它是指标键的一段）",
            f"indicator code {code!r} may hold only lower-case letters, digits and _, starting"
            " with a letter (it is a segment of the measure key)",
        )
    elif code in INDICATOR_GROUPS:
        c.add(
            path + ".code",
            f"指标代码 {code!r} 已保留给指标组",
            f"indicator code {code!r} is reserved for a group of indicators",
        )
    name = c.text(item, "name", path, max_length=100)
    name_en = c.text(item, "name_en", path, required=False) or ""
    aliases = _text_list(c, item, "aliases", path)
    unit = c.text(item, "unit_of_measure", path, max_length=16)
    kind = c.choice(item, "kind", path, IndicatorKind, "指标类型", "indicator kind")
    if unit and kind == IndicatorKind.GROWTH and unit != "%":
        c.add(
            path + ".unit_of_measure",
            f"只发布增速的指标计量单位应为 %，而不是 {unit}",
            f"an indicator published as a growth rate only is measured in %, not {unit}",
        )
    elif unit and kind == IndicatorKind.LEVEL and unit == "%":
        c.add(
            path + ".unit_of_measure",
            "累计值指标的计量单位应为数量单位（如 亿元），不能是 %",
            "a level indicator's unit is an amount (e.g. 亿元), not %",
        )
    direction = GoodDirection.UP
    if item.get("good_direction") is not None:
        direction = c.choice(
            item, "good_direction", path, GoodDirection, "向好方向", "good direction"
        )
    frequency = Frequency.MONTHLY
    if item.get("frequency") is not None:
        frequency = c.choice(item, "frequency", path, Frequency, "发布频次", "frequency")
    sector = c.text(item, "sector", path, required=False, max_length=100) or ""
    unit_name = c.text(item, "responsible_unit", path)
    main = item.get("main", False)
    if not isinstance(main, bool):
        c.add(path + ".main", "应为 true 或 false", "expected true or false")
    comparators = _area_list(c, item, path, levels)
    rate = None
    if item.get("project_increment_rate") is not None:
        rate = c.number(item["project_increment_rate"], path + ".project_increment_rate")
        if rate is not None and kind == IndicatorKind.GROWTH:
            c.add(
                path + ".project_increment_rate",
                "只发布增速的指标没有累计值，不能计入项目增量",
                "an indicator published as a growth rate only has no level to add projects to",
            )
    if len(c.problems) > before:
        return None
    return IndicatorSpec(
        code=code,
        name=name,
        name_en=name_en,
        aliases=aliases,
        unit_of_measure=unit,
        kind=kind,
        good_direction=direction,
        frequency=frequency,
        sector=sector,
        responsible_unit=unit_name,
        main=main,
        comparators=comparators,
        sort_order=index + 1,
        project_increment_rate=rate,
    )


def _text_list(c: _Checker, item, key, path) -> tuple[str, ...]:
    """An optional list of non-empty texts."""
    raw = item.get(key)
    where = _child(path, key)
    if raw is None:
        return ()
    if not isinstance(raw, list):
        c.add(where, "应为列表", "expected a list")
        return ()
    result = []
    for j, value in enumerate(raw):
        if not isinstance(value, str) or not value.strip():
            c.add(f"{where}[{j}]", "应为非空文本", "expected non-empty text")
        else:
            result.append(value.strip())
    return tuple(result)


def _area_list(c: _Checker, item, path, levels) -> tuple[str, ...]:
    """An indicator's comparator areas: areas of the file other than the district."""
    raw = item.get("comparators")
    where = path + ".comparators"
    if raw is None:
        return ()
    if not isinstance(raw, list):
        c.add(where, "应为列表", "expected a list")
        return ()
    result, seen = [], {}
    allowed = [lv for lv in AreaLevel.values if lv != AreaLevel.DISTRICT]
    for j, value in enumerate(raw):
        here = f"{where}[{j}]"
        if value not in allowed:
            c.add(
                here,
                '未知的比较地区 "{}"（可选：{}）'.format(value, "、".join(allowed)),
                'unknown comparator area "{}" (choices: {})'.format(value, ", ".join(allowed)),
            )
        elif value not in levels:
            c.add(
                here,
                f'比较地区 "{value}" 未在 areas 中列出',
                f'comparator area "{value}" is not listed under areas',
            )
        elif c.unique(seen, value, here, "比较地区", "comparator area"):
            result.append(value)
    return tuple(result)


def _indicator_measures(c: _Checker, data, indicators) -> None:
    """With a catalogue, an indicator target's growth measure must name one of its indicators."""
    if data.get("indicators") is None:
        return
    codes = {i.code for i in indicators}
    targets = data.get("targets")
    for i, item in enumerate(targets if isinstance(targets, list) else []):
        measure = item.get("measure") if isinstance(item, dict) else None
        if not isinstance(measure, str):
            continue
        parts = measure.split(".")
        if len(parts) != 3 or parts[0] != Battle.INDICATORS or parts[2] != "growth":
            continue
        if parts[1] not in codes and parts[1] not in INDICATOR_GROUPS:
            c.add(
                f"targets[{i}].measure",
                f"指标键 {measure!r} 指向未在 indicators 中列出的指标 {parts[1]!r}",
                f"measure {measure!r} names indicator {parts[1]!r}, which indicators does not list",
            )


# ---------------------------------------------------------------------------
# Entry point


def parse_plan(text: str) -> Plan:
    """Parse and check a plan's YAML text; raise InvalidPlan listing every problem."""
    data, lines, problems = _read_yaml(text)
    checker = _Checker(lines)
    checker.problems.extend(problems)
    if problems and data is None:
        raise InvalidPlan(checker.problems)
    data = checker.mapping(data, "", TOP_KEYS) if data is not None else None
    if data is None:
        if not checker.problems:
            checker.add("", "计划文件为空", "the plan file is empty")
        raise InvalidPlan(checker.problems)
    campaign, year = _campaign(checker, data)
    headquarters, office = _headquarters(checker, data)
    task_forces = _task_forces(checker, data)
    deadlines = _deadlines(checker, data, task_forces)
    key_nodes = _key_nodes(checker, data)
    targets = _targets(checker, data, year, task_forces)
    areas = _areas(checker, data)
    indicators = _indicators(checker, data, areas)
    _indicator_measures(checker, data, indicators)
    if checker.problems:
        # Report in file order so the clerk can walk down the file.
        raise InvalidPlan(sorted(checker.problems, key=lambda p: p.line or 0))
    return Plan(
        campaign=campaign,
        headquarters=headquarters,
        office=office,
        task_forces=tuple(task_forces),
        report_deadlines=tuple(deadlines),
        key_nodes=tuple(key_nodes),
        targets=tuple(targets),
        areas=tuple(areas),
        indicators=tuple(indicators),
    )
