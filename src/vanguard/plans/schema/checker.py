"""The checker: collects problems with their line and field path while reading sections."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from vanguard.calendar.periods import Period, PeriodKind, parse_label
from vanguard.plans.schema.source import MISSING, child_path
from vanguard.plans.schema.specs import Problem

CODE_RE = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
# A target is set for a year, a quarter or a month; checkpoints come from months and quarters.
TARGET_PERIOD_KINDS = (PeriodKind.YEAR, PeriodKind.QUARTER, PeriodKind.MONTH)
# Target.value is DecimalField(max_digits=14, decimal_places=2).
MAX_VALUE = Decimal("999999999999.99")


def choices_text(choices, sep) -> str:
    """List the allowed values of a choices class."""
    return sep.join(str(v) for v in choices.values)


class Checker:
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
                    child_path(path, key),
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
        where = child_path(path, key)
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
                child_path(path, key),
                f"代码 {value!r} 只能含小写字母、数字、- 和 _",
                f"code {value!r} may hold only lower-case letters, digits, - and _",
            )
            return None
        return value

    def choice(self, data, key, path, choices, zh_what, en_what) -> str | None:
        """A value from a Django choices class."""
        value = data.get(key, MISSING)
        where = child_path(path, key)
        if value is MISSING or value is None:
            self.add(where, f"缺少{zh_what}", f"{en_what} is missing")
            return None
        if value not in choices.values:
            self.add(
                where,
                '未知的{} "{}"（可选：{}）'.format(zh_what, value, choices_text(choices, "、")),
                'unknown {} "{}" (choices: {})'.format(en_what, value, choices_text(choices, ", ")),
            )
            return None
        return str(value)

    def integer(self, data, key, path, *, default=MISSING, minimum=None) -> int | None:
        """A whole number, optionally with a default and a lower bound."""
        value = data.get(key, MISSING)
        where = child_path(path, key)
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
        where = child_path(path, key)
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
        where = child_path(path, key)
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
