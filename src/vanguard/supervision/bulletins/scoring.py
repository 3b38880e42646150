"""Scoring and ranking: a checked rule (``rules.parse_rule``) applied to the units' facts.

Pure functions of the rule and the facts, with no database: the same rule and facts give
the same lines, which is what lets an issued bulletin be recomputed and compared.

score = Σ item points (full at or above the item's threshold, less ``per_point_below``
for each percentage point under it, never below 0) − Σ deductions per event (each
capped if its rule says so, all together at ``deduction_cap``) + Σ bonuses (each capped).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
RED, BLACK = "red", "black"


def _d(value):
    return Decimal(str(value)) if value is not None else None


def _round(value):
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Line:
    """One unit's line: its group, score and how it is made, its rank and list."""

    unit_id: int
    group: str
    score: Decimal
    components: list
    facts: dict
    ranked: bool
    rank: int | None = None
    listed: str = ""
    rates: dict = field(default_factory=dict)


def score_unit(spec, facts):
    """``(score, components, rates)`` of one unit's facts under ``spec``."""
    components, rates, base = [], {}, Decimal(0)
    for item in spec["items"]:
        full, threshold = _d(item["points"]), _d(item["threshold"])
        done = facts.get(item["numerator"], 0)
        owed = facts.get(item["denominator"], 0)
        if owed:
            rate = Decimal(done) / Decimal(owed)
            short = max(Decimal(0), threshold - rate) * 100
            points = max(Decimal(0), full - short * _d(item["per_point_below"]))
            rates[item["code"]] = rate
        else:
            rate, points = None, full  # nothing owed, nothing lost
        points = _round(points)
        base += points
        components.append(
            {
                "kind": "item",
                "code": item["code"],
                "label": item["label"],
                "facts": [item["numerator"], item["denominator"]],
                "done": done,
                "owed": owed,
                "rate": str(_round(rate * 100)) if rate is not None else None,
                "points": str(points),
                "max": str(full),
            }
        )
    deducted = Decimal(0)
    for event in spec["deductions"]:
        count = facts.get(event["fact"], 0)
        points = Decimal(count) * _d(event["points"])
        if event.get("cap"):
            points = min(points, _d(event["cap"]))
        if count:
            components.append(_event("deduction", event, count, -_round(points)))
        deducted += points
    if spec.get("deduction_cap"):
        deducted = min(deducted, _d(spec["deduction_cap"]))
    bonus = Decimal(0)
    for event in spec["bonuses"]:
        count = facts.get(event["fact"], 0)
        points = min(Decimal(count) * _d(event["points"]), _d(event["cap"]))
        if count:
            components.append(_event("bonus", event, count, _round(points)))
        bonus += points
    return _round(base - deducted + bonus), components, rates


def _event(kind, event, count, points):
    return {
        "kind": kind,
        "code": event["fact"],
        "facts": [event["fact"]],
        "count": count,
        "points": str(points),
    }


def group_of(spec):
    """``{unit kind: group code}``."""
    return {kind: group["code"] for group in spec["groups"] for kind in group["kinds"]}


def rank_units(spec, units, facts_by_unit):
    """The lines of ``units`` (``[(id, kind)]``) that have facts, ranked in their groups."""
    groups = group_of(spec)
    sample = spec.get("min_sample")
    lines = []
    for unit_id, kind in units:
        facts = facts_by_unit.get(unit_id)
        if not facts or kind not in groups:
            continue
        score, components, rates = score_unit(spec, facts)
        ranked = sample is None or facts.get(sample["fact"], 0) >= _d(sample["at_least"])
        lines.append(
            Line(unit_id, groups[kind], score, components, dict(facts), ranked, rates=rates)
        )
    for group in spec["groups"]:
        members = [line for line in lines if line.group == group["code"] and line.ranked]
        members.sort(key=lambda line: -line.score)
        for position, line in enumerate(members):
            if position and line.score == members[position - 1].score:
                line.rank = members[position - 1].rank
            else:
                line.rank = position + 1
        count = len(members)
        for line in members:
            red, black = spec.get("red_list"), spec.get("black_list")
            if red and line.rank <= red["top"] and _holds(red, line):
                line.listed = RED
            elif black and line.rank > count - black["bottom"] and _holds(black, line):
                line.listed = BLACK
    return lines


def _holds(condition, line):
    """True when the line meets a list's condition (a fact's count or an item's rate)."""
    if condition.get("fact"):
        value = Decimal(line.facts.get(condition["fact"], 0))
    else:
        value = line.rates.get(condition["item"])
        if value is None:
            return False
    if "at_least" in condition:
        return value >= _d(condition["at_least"])
    return value <= _d(condition["at_most"])
