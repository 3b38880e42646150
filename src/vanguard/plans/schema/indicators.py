"""The areas and indicators sections: the catalogue of economic indicators and its comparators."""

import re

from vanguard.indicators.choices import AreaLevel, Frequency, GoodDirection, IndicatorKind
from vanguard.org.choices import Battle
from vanguard.plans.schema.checker import Checker
from vanguard.plans.schema.source import child_path
from vanguard.plans.schema.specs import AreaSpec, IndicatorSpec

# An indicator's code is a segment of its targets' measure key (indicators.<code>.growth).
INDICATOR_CODE_RE = re.compile(r"[a-z][a-z0-9_]*")
# Measure groups that are not one indicator: "main" covers every indicator marked main.
INDICATOR_GROUPS = ("main",)
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


def check_areas(c: Checker, data) -> list[AreaSpec]:
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


def check_indicators(c: Checker, data, areas) -> list[IndicatorSpec]:
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


def _indicator(c: Checker, item, path, index, levels) -> IndicatorSpec | None:
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


def _text_list(c: Checker, item, key, path) -> tuple[str, ...]:
    """An optional list of non-empty texts."""
    raw = item.get(key)
    where = child_path(path, key)
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


def _area_list(c: Checker, item, path, levels) -> tuple[str, ...]:
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


def check_indicator_measures(c: Checker, data, indicators) -> None:
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
