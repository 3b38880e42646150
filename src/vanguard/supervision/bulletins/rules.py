"""A campaign's scoring rule for the monthly bulletin, read from a YAML file and checked.

The rule is data (decision 0024): base points per item from a rate against a threshold,
deductions per event, capped bonuses, ranking groups by kind of unit, a minimum sample
before a unit is ranked, and the red and black lists, each needing both a condition
and a rank cut-off. ``parse_rule(text)`` returns the checked rule as plain values (what
``ScoringRule.spec`` stores) or raises ``InvalidRule`` listing every problem with its
line and field. The West Coast rule is ``plans/xihaian-bulletin-rule.yaml``.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import yaml
from django.utils.translation import get_language

from vanguard.org.choices import UnitKind
from vanguard.supervision.bulletins.facts import known_facts

TOP_KEYS = (
    "title",
    "total",
    "items",
    "deductions",
    "deduction_cap",
    "bonuses",
    "groups",
    "min_sample",
    "red_list",
    "black_list",
)
ITEM_KEYS = ("label", "points", "numerator", "denominator", "threshold", "per_point_below")
EVENT_KEYS = ("points", "cap")
GROUP_KEYS = ("label", "kinds")
SAMPLE_KEYS = ("fact", "at_least")
LIST_KEYS = ("top", "bottom", "condition")
CONDITION_KEYS = ("fact", "item", "at_least", "at_most")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a rule file: where (line, field) and what, in Chinese and English."""

    line: int | None
    field: str
    zh: str
    en: str

    def __str__(self):
        where = "{}:{}".format(self.line, self.field) if self.line else self.field
        chinese = (get_language() or "zh-hans").lower().startswith("zh")
        return "{} {}".format(where, self.zh if chinese else self.en)


class InvalidRule(Exception):
    """A rule file that cannot be loaded; ``problems`` lists everything wrong with it."""

    def __init__(self, problems, source="rule"):
        self.problems = list(problems)
        self.source = source
        super().__init__("\n".join("{}:{}".format(source, p) for p in self.problems))

    def lines(self):
        return ["{}:{}".format(self.source, p) for p in self.problems]


def _read(text):
    """YAML into plain values and ``{field path: line}``."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = " ".join(s for s in (exc.context, exc.problem) if s)
        raise InvalidRule(
            [Problem(mark.line + 1 if mark else None, "(yaml)", "YAML 语法错误：" + detail, detail)]
        ) from None
    finally:
        loader.dispose()
    lines = {}

    def walk(node, path):
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            found = {}
            for key_node, value_node in node.value:
                key = loader.construct_object(key_node)
                found[str(key)] = walk(value_node, _child(path, key))
                # A field is where its key is written.
                lines[_child(path, key)] = key_node.start_mark.line + 1
            return found
        if isinstance(node, yaml.SequenceNode):
            return [walk(item, "{}[{}]".format(path, i)) for i, item in enumerate(node.value)]
        return loader.construct_object(node)

    return (walk(root, "") if root is not None else None), lines


def _child(path, key):
    return "{}.{}".format(path, key) if path else str(key)


class _Checker:
    def __init__(self, lines):
        self.lines = lines
        self.problems = []

    def add(self, path, zh, en):
        probe = path
        while probe and probe not in self.lines:
            probe = probe.rpartition(".")[0]
        self.problems.append(Problem(self.lines.get(probe), path or "(file)", zh, en))

    def is_mapping(self, value, path):
        if not isinstance(value, dict):
            self.add(path, "应为映射（键: 值）", "expected a mapping (key: value)")
            return False
        return True

    def mapping(self, value, path, allowed, required=()):
        if not isinstance(value, dict):
            self.add(path, "应为映射（键: 值）", "expected a mapping (key: value)")
            return None
        for key in value:
            if key not in allowed:
                self.add(
                    _child(path, key),
                    "未知字段 {!r}（可选：{}）".format(key, "、".join(allowed)),
                    "unknown field {!r} (allowed: {})".format(key, ", ".join(allowed)),
                )
        for key in required:
            if key not in value:
                self.add(_child(path, key), "缺少必填字段", "required field is missing")
        return value

    def number(self, value, path, *, minimum=Decimal(0), maximum=None):
        if isinstance(value, bool) or value is None:
            value = "?"
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.add(path, "应为数字：{!r}".format(value), "expected a number: {!r}".format(value))
            return None
        if number < minimum or (maximum is not None and number > maximum):
            bound = "{}–{}".format(minimum, maximum if maximum is not None else "∞")
            self.add(path, "应在 {} 之间：{}".format(bound, value), "must lie in {}".format(bound))
            return None
        return number

    def fact(self, value, path, facts):
        if value not in facts:
            self.add(
                path,
                "未知事实 {!r}（可用：{}）".format(value, "、".join(sorted(facts))),
                "unknown fact {!r} (known: {})".format(value, ", ".join(sorted(facts))),
            )
            return False
        return True


def parse_rule(text, source="rule"):
    """The checked rule as plain values (decimals as strings); ``InvalidRule`` otherwise."""
    data, lines = _read(text)
    check = _Checker(lines)
    facts = known_facts()
    data = check.mapping(data if data is not None else None, "", TOP_KEYS, ("total", "items"))
    if data is None:
        raise InvalidRule(check.problems, source)
    spec = {"title": str(data.get("title") or ""), "total": None}
    total = check.number(data.get("total"), "total", minimum=Decimal("0.01"))
    spec["total"] = str(total) if total is not None else None
    spec["items"] = _items(check, data.get("items"), facts)
    if total is not None and spec["items"] and len(spec["items"]) == len(data["items"]):
        added = sum(Decimal(item["points"]) for item in spec["items"])
        if added != total:
            check.add(
                "items",
                "各项分值之和为 {}，与总分 {} 不符".format(added, total),
                "the items' points add up to {}, not the total {}".format(added, total),
            )
    spec["deductions"] = _events(check, data.get("deductions") or {}, "deductions", facts)
    cap = data.get("deduction_cap")
    spec["deduction_cap"] = str(check.number(cap, "deduction_cap")) if cap is not None else None
    spec["bonuses"] = _events(check, data.get("bonuses") or {}, "bonuses", facts, capped=True)
    spec["groups"] = _groups(check, data.get("groups"))
    spec["min_sample"] = _sample(check, data.get("min_sample"), facts)
    items = {item["code"] for item in spec["items"]}
    spec["red_list"] = _list(check, data.get("red_list"), "red_list", "top", facts, items)
    spec["black_list"] = _list(check, data.get("black_list"), "black_list", "bottom", facts, items)
    if check.problems:
        raise InvalidRule(check.problems, source)
    return spec


def _items(check, items, facts):
    if not check.is_mapping(items, "items"):
        return []
    if not items:
        check.add("items", "至少需要一个评分项", "at least one item is needed")
    found = []
    for code, item in items.items():
        path = _child("items", code)
        if check.mapping(item, path, ITEM_KEYS, ITEM_KEYS[1:5]) is None:
            continue
        numbers = {
            "points": check.number(item.get("points"), path + ".points"),
            "threshold": check.number(
                item.get("threshold"), path + ".threshold", maximum=Decimal(1)
            ),
            "per_point_below": check.number(
                item.get("per_point_below", 1), path + ".per_point_below"
            ),
        }
        ok = all(
            check.fact(item.get(key), _child(path, key), facts)
            for key in ("numerator", "denominator")
            if key in item
        )
        if ok and None not in numbers.values():
            found.append(
                {
                    "code": str(code),
                    "label": str(item.get("label") or code),
                    "numerator": item["numerator"],
                    "denominator": item["denominator"],
                    **{key: str(value) for key, value in numbers.items()},
                }
            )
    return found


def _events(check, events, path, facts, capped=False):
    if not check.is_mapping(events, path):
        return []
    found = []
    for fact, event in events.items():
        here = _child(path, fact)
        if not check.fact(fact, here, facts):
            continue
        if check.mapping(event, here, EVENT_KEYS, ("points", "cap") if capped else ("points",)):
            points = check.number(event.get("points"), here + ".points")
            cap = event.get("cap")
            cap = check.number(cap, here + ".cap") if cap is not None else None
            if points is not None:
                found.append(
                    {"fact": fact, "points": str(points), "cap": str(cap) if cap else None}
                )
    return found


def _groups(check, groups):
    if groups is None:
        return [
            {"code": kind.value, "label": str(kind.label), "kinds": [kind.value]}
            for kind in UnitKind
        ]
    if not check.is_mapping(groups, "groups"):
        return []
    found, claimed = [], {}
    for code, group in groups.items():
        path = _child("groups", code)
        if check.mapping(group, path, GROUP_KEYS, GROUP_KEYS) is None:
            continue
        kinds = group["kinds"] if isinstance(group["kinds"], list) else [group["kinds"]]
        for i, kind in enumerate(kinds):
            where = "{}.kinds[{}]".format(path, i)
            if kind not in UnitKind.values:
                check.add(
                    where,
                    "未知单位类别 {!r}（可选：{}）".format(kind, "、".join(UnitKind.values)),
                    "unknown kind of unit {!r} (allowed: {})".format(
                        kind, ", ".join(UnitKind.values)
                    ),
                )
            elif kind in claimed:
                check.add(
                    where,
                    "单位类别 {!r} 已属于分组 {}".format(kind, claimed[kind]),
                    "kind {!r} already belongs to group {}".format(kind, claimed[kind]),
                )
            else:
                claimed[kind] = code
        found.append({"code": str(code), "label": str(group["label"]), "kinds": list(kinds)})
    return found


def _sample(check, sample, facts):
    if sample is None:
        return None
    if check.mapping(sample, "min_sample", SAMPLE_KEYS, SAMPLE_KEYS) is None:
        return None
    if not check.fact(sample.get("fact"), "min_sample.fact", facts):
        return None
    at_least = check.number(sample.get("at_least"), "min_sample.at_least")
    return {"fact": sample["fact"], "at_least": str(at_least)} if at_least is not None else None


def _list(check, spec, path, cut, facts, items):
    if spec is None:
        return None
    if check.mapping(spec, path, (cut, "condition"), (cut, "condition")) is None:
        return None
    count = check.number(spec.get(cut), _child(path, cut), minimum=Decimal(1))
    here = path + ".condition"
    condition = check.mapping(spec.get("condition"), here, CONDITION_KEYS)
    if condition is None:
        return None
    if ("fact" in condition) == ("item" in condition):
        check.add(here, "条件须指定 fact 或 item 之一", "a condition names one fact or one item")
        return None
    if ("at_least" in condition) == ("at_most" in condition):
        check.add(
            here, "条件须指定 at_least 或 at_most 之一", "a condition names at_least or at_most"
        )
        return None
    if "fact" in condition and not check.fact(condition["fact"], here + ".fact", facts):
        return None
    if "item" in condition and condition["item"] not in items:
        check.add(
            here + ".item",
            "未知评分项 {!r}（可用：{}）".format(condition["item"], "、".join(sorted(items))),
            "unknown item {!r} (known: {})".format(condition["item"], ", ".join(sorted(items))),
        )
        return None
    bound = "at_least" if "at_least" in condition else "at_most"
    value = check.number(condition[bound], _child(here, bound), minimum=Decimal(-1000000))
    if count is None or value is None:
        return None
    return {
        cut: int(count),
        "fact": condition.get("fact"),
        "item": condition.get("item"),
        bound: str(value),
    }
