"""The escalation ladder's rules: a small YAML (or JSON) file per campaign, checked item by item.

A file names only what it changes; everything else takes the default. Example::

    propose_order:
      red_periods_running: 2     # a subject red two periods running: propose a red order
      period: month              # week, dekad or month
    propose_talk:
      red_orders_in_quarter: 3   # three red orders for one unit in a quarter: propose a talk
      still_red_after_deadline: true
    grace_working_days: 3        # an unanswered order rises a colour after this
    blue_within_working_days: 3  # an open order this close to its deadline is due soon
    answer_working_days: {blue: 10, yellow: 7, red: 5}

An unknown item, a wrong type or a value out of range is refused with its line.
"""

import copy
import json

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULTS = {
    "propose_order": {"red_periods_running": 2, "period": "month"},
    "propose_talk": {"red_orders_in_quarter": 3, "still_red_after_deadline": True},
    "grace_working_days": 3,
    "blue_within_working_days": 3,
    "answer_working_days": {"blue": 10, "yellow": 7, "red": 5},
}

PERIODS = ("week", "dekad", "month")

# item -> (type, low, high) for numbers; a dict for a section; a tuple of words for a choice.
SCHEMA = {
    "propose_order": {"red_periods_running": (int, 0, 12), "period": PERIODS},
    "propose_talk": {"red_orders_in_quarter": (int, 0, 100), "still_red_after_deadline": bool},
    "grace_working_days": (int, 1, 60),
    "blue_within_working_days": (int, 0, 60),
    "answer_working_days": {"blue": (int, 1, 120), "yellow": (int, 1, 120), "red": (int, 1, 120)},
}


class RuleFileError(ValidationError):
    """A rule file that cannot be loaded; ``problems`` lists each one with its line."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__(problems)


def _line(node):
    return node.start_mark.line + 1 if node is not None else None


def _type_name(expected):
    if expected is bool:
        return _("true or false")
    if isinstance(expected, tuple) and expected and expected[0] is int:
        return _("a whole number from {low} to {high}").format(low=expected[1], high=expected[2])
    if isinstance(expected, tuple):
        return _("one of {choices}").format(choices=", ".join(expected))
    return _("a section of items")


def _check(value, node, expected, path, problems):
    """Check ``value`` (its YAML ``node``) against ``expected``; add problems with their lines."""

    def problem(message):
        problems.append(
            _("line {line}, {item}: {message}").format(
                line=_line(node) or "?", item=".".join(path), message=message
            )
        )

    if isinstance(expected, dict):
        if not isinstance(value, dict):
            problem(_("expected {what}").format(what=_type_name(expected)))
            return
        children = {}
        if isinstance(node, yaml.MappingNode):
            children = {key.value: (key, val) for key, val in node.value}
        for key, item in value.items():
            key_node, value_node = children.get(str(key), (node, node))
            if key not in expected:
                problems.append(
                    _("line {line}, {item}: unknown item (known: {known})").format(
                        line=_line(key_node) or "?",
                        item=".".join([*path, str(key)]),
                        known=", ".join(expected),
                    )
                )
                continue
            _check(item, value_node, expected[key], [*path, str(key)], problems)
        return
    if expected is bool:
        if not isinstance(value, bool):
            problem(
                _("expected {what}, found {value!r}").format(what=_type_name(bool), value=value)
            )
        return
    if isinstance(expected, tuple) and expected and expected[0] is int:
        if isinstance(value, bool) or not isinstance(value, int):
            problem(
                _("expected {what}, found {value!r}").format(what=_type_name(expected), value=value)
            )
        elif not expected[1] <= value <= expected[2]:
            problem(
                _("{value} is out of range: expected {what}").format(
                    value=value, what=_type_name(expected)
                )
            )
        return
    if value not in expected:
        problem(
            _("expected {what}, found {value!r}").format(what=_type_name(expected), value=value)
        )


def parse_rules(text):
    """The rules a file's text names, merged over the defaults; ``RuleFileError`` lists problems."""
    text = text or ""
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise RuleFileError(
            [
                _("line {line}: the file cannot be read as YAML or JSON ({problem})").format(
                    line=mark.line + 1 if mark else "?", problem=getattr(error, "problem", error)
                )
            ]
        ) from None
    if data is None:
        data = {}
    problems = []
    if not isinstance(data, dict):
        problems.append(_("line 1: the rule file must be a set of items (name: value)"))
    else:
        _check(data, node, SCHEMA, [], problems)
    if problems:
        raise RuleFileError(problems)
    return merged(data)


def merged(data):
    """``data`` laid over the defaults, section by section."""
    rules = copy.deepcopy(DEFAULTS)
    for key, value in (data or {}).items():
        if isinstance(value, dict):
            rules[key].update(value)
        else:
            rules[key] = value
    return rules


def dump_rules(rules):
    """The rules as the YAML text an office edits."""
    return yaml.safe_dump(rules, allow_unicode=True, sort_keys=False)


def as_json(rules):
    return json.loads(json.dumps(rules))
