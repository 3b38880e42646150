"""Money as offices write it: stored in whole yuan, typed and shown in 万元 and 亿元.

The one place that knows the units. ``parse`` reads an amount as a person typed it
(a number, optionally followed by its unit: 3500, 3500万, 12亿元; thousands separators,
full-width digits and minus signs as Chinese input methods give them); ``to_yuan`` and
``to_wan`` convert between the yuan stored and the 万元 forms show; ``wan_number`` is
an amount in 万元 for a sheet's cell or a chart; ``format_yuan`` and ``format_wan``
write it for people.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from vanguard.core.text import number_text

YI = 100_000_000  # 1亿元 in yuan
WAN = 10_000  # 1万元 in yuan
# Yuan in each unit, as offices write it after a number or in a header ("总投资（万元）").
UNITS = {"亿元": YI, "亿": YI, "万元": WAN, "万": WAN, "元": 1}

_AMOUNT_RE = re.compile(r"^(?P<number>[+-]?\d+(?:\.\d+)?)(?P<unit>亿元|亿|万元|万|元)?$")
_UNIT_IN_NOTE = re.compile(r"(亿元|万元|元)")


class MoneyError(ValueError):
    """An amount that cannot be read (``text``, as read), or that names no unit (``no_unit``)."""

    def __init__(self, text, *, no_unit=False):
        super().__init__(text)
        self.text = text
        self.no_unit = no_unit


def unit_named(note):
    """The money unit (in yuan) a header's note names ("万元", "单位：亿元"), or None."""
    match = _UNIT_IN_NOTE.search(note or "")
    return UNITS[match.group(1)] if match else None


def read(value):
    """(number, unit) of a typed amount: the unit in yuan when written after it, else None.

    A number (int, float, Decimal) has no unit; a float reads as typed (1234.5678 stays
    that, not its binary neighbour). Raises MoneyError when the text is no amount.
    """
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            raise MoneyError(str(value)) from None
        if not number.is_finite():
            raise MoneyError(str(value))
        return number, None
    text = number_text(str(value))
    match = _AMOUNT_RE.match(text)
    if not match:
        raise MoneyError(text)
    return Decimal(match["number"]), UNITS.get(match["unit"] or "")


def parse(value, *, unit=None):
    """Whole yuan of a typed amount, in its own unit, else in ``unit`` (yuan per unit).

    An amount with no unit anywhere is refused (MoneyError, ``no_unit``) rather than
    guessed, because a wrong guess is off by ten thousand.
    """
    number, written = read(value)
    unit = written or unit
    if unit is None:
        raise MoneyError(str(value), no_unit=True)
    return to_yuan(number, unit)


def to_yuan(amount, unit=WAN):
    """Whole yuan of an amount in ``unit`` (by default 万元, as forms take it); None stays None."""
    if amount is None:
        return None
    return int((Decimal(amount) * unit).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def to_wan(yuan):
    """Yuan as 万元 for a form's value: 1200, 1234.5 (never 1.2E+3); None stays None."""
    if yuan is None:
        return None
    value = Decimal(yuan) / WAN
    return value if value == value.to_integral() else value.normalize()


def wan_number(yuan, places=None):
    """Yuan as a number of 万元 for a sheet's cell or a chart: whole when it is one.

    Every digit by default, so that a sheet exported and imported again changes
    nothing; ``places`` rounds (a chart's two decimals). None stays None.
    """
    if yuan is None:
        return None
    amount = Decimal(yuan) / WAN
    if places is not None:
        amount = round(amount, places)
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def format_yuan(yuan, *, exact=False):
    """ "12亿元", "3.5亿元", "3908万元", "0万元": 亿元 from 100 million up; None gives "".

    Two decimals at most, as pages show amounts; ``exact`` keeps every digit, as an
    import's preview shows a change ("1234.5678万元"), where a yuan's difference counts.
    """
    if yuan is None:
        return ""
    if abs(yuan) >= YI:
        return "{}亿元".format(_plain(yuan, YI, exact))
    return "{}万元".format(_plain(yuan, WAN, exact))


def format_wan(yuan):
    """Always in 万元 with two decimals ("3908.00万元", "41843.10万元"): for columns whose
    rows must compare, digit under digit."""
    if yuan is None:
        return ""
    return "{}万元".format((Decimal(yuan) / WAN).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _plain(yuan, unit, exact):
    """The amount in ``unit`` without trailing zeros, never in scientific notation."""
    if exact:
        return format((Decimal(yuan) / unit).normalize(), "f")
    return "{:.2f}".format(round(yuan / unit, 2)).rstrip("0").rstrip(".")
