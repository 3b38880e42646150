"""Cell parsers for office sheets: dates, money in 万元/亿元, numbers, choices, lists.

A parser is called as ``parse(value, note)``: ``value`` is the cell's value as openpyxl
read it (never blank: blank cells do not reach parsers), ``note`` is what the header
said in brackets, e.g. "万元" for "总投资（万元）". It returns the Python value or raises
CellError with a message in the reader's language.
"""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl.utils.datetime import from_excel

from vanguard.core import money as amounts
from vanguard.core.text import INVISIBLE as _INVISIBLE
from vanguard.core.text import clean_text, number_text

# The largest amount a BigIntegerField holds: an amount beyond it is refused at the
# cell, not by the database at apply.
MAX_STORED = 2**63 - 1
# Dates outside these years are typing mistakes (1900 is Excel's day 1; 2126 a slip).
EARLIEST_YEAR = 1950
LATEST_YEAR = 2100
# Line breaks inside a one-line name (invisible characters go too: core.text.INVISIBLE).
_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029\x0b\x0c]+\s*")


class Percent(float):
    """A number from a cell formatted as a percentage: 0.078 shown as 7.8%.

    Excel, WPS and LibreOffice store "7.8%" typed into a percent cell as 0.078; the
    person means 7.8 (%), so that is what ``shown`` gives and what parsers read.
    """

    @property
    def shown(self):
        return Decimal(repr(float(self))) * 100


class CellError(ValueError):
    """A cell's value cannot be read; the message says why, in the reader's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def join_list(items):
    """Names in a message, joined as each language lists them: 甲、乙 / A, B."""
    return pgettext("list separator", ", ").join(str(i) for i in items)


def clean_name(value):
    """A one-line name without zero-width characters or line breaks."""
    return _LINE_BREAKS.sub("", _INVISIBLE.sub("", str(value))).strip()


def is_blank(value):
    """True for an empty cell (None, or only whitespace)."""
    return value is None or (isinstance(value, str) and not value.strip())


def _text_of(value):
    """A cell as text: whole numbers without a trailing '.0' (codes typed as numbers)."""
    if isinstance(value, Percent):
        return "{}%".format(format(value.shown.normalize(), "f"))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return clean_text(str(value)).strip()


def text(max_length=None, *, one_line=False):
    """A text cell, stripped; longer than ``max_length`` is an error.

    ``one_line``: a name or code, from which zero-width characters and line breaks
    (left by copying from web pages and documents) are removed.
    """

    def parse(value, note=""):
        result = _INVISIBLE.sub("", _text_of(value)).strip()
        if one_line:
            result = clean_name(result)
        if max_length is not None and len(result) > max_length:
            raise CellError(
                _("Too long: {n} characters, at most {max}.").format(n=len(result), max=max_length)
            )
        return result

    return parse


parse_text = text()

LIST_SEPARATORS = re.compile(r"[、,，;；\n\r/]+")


def text_list(value, note=""):
    """Several names in one cell, separated by 、 , ， ; ； / or new lines."""
    parts = LIST_SEPARATORS.split(_INVISIBLE.sub("", _text_of(value)))
    return [part.strip() for part in parts if part.strip()]


_NUMBERING = re.compile(r"^\s*(?:[(（]?\d{1,3}[)）.、．]|[①-⑳]|[-•·*])\s*")


def lines(value, note=""):
    """One entry per line; a leading "1." "（2）" "3、" or bullet is dropped."""
    result = []
    for line in re.split(r"[\r\n]+", _text_of(value)):
        line = _NUMBERING.sub("", line).strip()
        if line:
            result.append(line)
    return result


# 2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日 (with an optional time after it).
_DATE_RE = re.compile(
    r"^(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
# Excel's serial day numbers for 1982-01-01 .. 2173-10-14: a date typed into a cell
# formatted as a number.
_SERIAL_RANGE = (30000, 100000)


def parse_date(value, note=""):
    """A date written as 2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日, or a real Excel date."""
    return _plausible_date(_read_date(value))


def _read_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value < _SERIAL_RANGE[1]:
            return from_excel(value).date()
        raise _bad_date(_text_of(value))
    raw = _INVISIBLE.sub("", _text_of(value))
    # Full-width digits and punctuation typed with a Chinese input method.
    raw = raw.translate(str.maketrans("０１２３４５６７８９－／．", "0123456789-/."))
    match = _DATE_RE.match(raw)
    if not match:
        raise _bad_date(raw)
    try:
        return datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        raise CellError(_("“{value}” is not a real date.").format(value=raw)) from None


_TIME_RE = re.compile(r"[T\s]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?(?:\.\d+)?$")


def parse_datetime(value, note=""):
    """A moment: a real Excel date and time, an Excel serial number, or text such as
    2026-12-01 09:15 (any date form ``parse_date`` reads, then HH:MM[:SS]); local time.
    A date without a time is its midnight."""
    from django.utils import timezone

    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not _SERIAL_RANGE[0] <= value < _SERIAL_RANGE[1]:
            raise _bad_moment(_text_of(value))
        moment = from_excel(value)
    else:
        raw = _INVISIBLE.sub("", _text_of(value)).strip()
        raw = raw.translate(str.maketrans("０１２３４５６７８９－／．：", "0123456789-/.:"))
        day = _read_date(raw)
        time = _TIME_RE.search(raw)
        try:
            moment = datetime.datetime.combine(
                day,
                datetime.time(int(time["h"]), int(time["mi"]), int(time["s"] or 0))
                if time
                else datetime.time(),
            )
        except ValueError:
            raise _bad_moment(raw) from None
    _plausible_date(moment.date())
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _bad_moment(value):
    return CellError(
        _(
            "Cannot read the time “{value}”: write 2026-12-01 09:15 or an Excel date and time."
        ).format(value=value)
    )


def _plausible_date(day):
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise CellError(
            _(
                "{date} cannot be right: dates from {earliest} to {latest} are accepted;"
                " check the year."
            ).format(date=day.isoformat(), earliest=EARLIEST_YEAR, latest=LATEST_YEAR)
        )
    return day


def _bad_date(value):
    return CellError(
        _(
            "Cannot read the date “{value}”: write 2025-03-01, 2025/3/1, 2025.3.1 or 2025年3月1日."
        ).format(value=value)
    )


def _decimal(value):
    if isinstance(value, bool):
        raise InvalidOperation
    if isinstance(value, Percent):
        return value.shown
    if isinstance(value, float):
        # repr() gives the shortest text that reads back as the same float, so a value
        # typed as 1234.5678 stays exactly that.
        return Decimal(repr(value))
    if isinstance(value, int | Decimal):
        return Decimal(value)
    return Decimal(_number_text(value))


def _number_text(value):
    """A typed number without thousands separators, spaces or odd minus signs."""
    return number_text(_text_of(value))


def decimal(places=None, minimum=None, maximum=None):
    """A decimal number, rounded to ``places``, within [minimum, maximum]."""

    def parse(value, note=""):
        try:
            number = _decimal(value)
        except (InvalidOperation, ValueError):
            raise CellError(_("“{value}” is not a number.").format(value=_text_of(value))) from None
        if not number.is_finite():
            raise CellError(_("“{value}” is not a number.").format(value=value))
        if places is not None:
            number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        _check_range(number, minimum, maximum)
        return number

    return parse


def _check_range(number, minimum, maximum):
    if minimum is not None and number < minimum:
        if minimum == 0:
            raise CellError(_("Must not be negative: {value}.").format(value=number))
        raise CellError(_("{value} is below the minimum {min}.").format(value=number, min=minimum))
    if maximum is not None and number > maximum:
        raise CellError(_("{value} is above the maximum {max}.").format(value=number, max=maximum))


def integer(minimum=None, maximum=None):
    """A whole number (12, 12.0 and "1,200" are fine; 12.5 is not)."""
    as_decimal = decimal()

    def parse(value, note=""):
        number = as_decimal(value, note)
        if number != number.to_integral_value():
            raise CellError(_("Must be a whole number: {value}.").format(value=number))
        number = int(number)
        _check_range(number, minimum, maximum)
        return number

    return parse


def money(default_unit=None, minimum=0, maximum=MAX_STORED):
    """An amount converted to whole yuan (core.money reads it).

    The unit comes from the cell ("12亿", "3500万"), else from the header ("总投资（万元）"),
    else ``default_unit``; an amount with no unit anywhere is an error rather than a
    guess, because a wrong guess is off by ten thousand.
    """

    def parse(value, note=""):
        typed = _typed_amount(value)
        try:
            yuan = amounts.parse(typed, unit=amounts.unit_named(note) or default_unit)
        except amounts.MoneyError as exc:
            if exc.no_unit:
                raise CellError(
                    _(
                        "The amount {value} has no unit: put (万元) or (亿元) in the header, or"
                        " write 万 or 亿 after the number."
                    ).format(value=_text_of(value))
                ) from None
            raise CellError(
                _(
                    "Cannot read the amount “{value}”: write a number, optionally with its"
                    " unit, e.g. 3500, 3500万, 12亿."
                ).format(value=exc.text)
            ) from None
        if minimum is not None and yuan < minimum:
            raise CellError(
                _("The amount must not be negative: {value}.").format(value=amounts.read(typed)[0])
            )
        if maximum is not None and yuan > maximum:
            raise CellError(
                _(
                    "The amount {value} is far too large ({yuan} yuan): check the number and"
                    " its unit."
                ).format(value=_text_of(value), yuan=yuan)
            )
        return yuan

    return parse


def _typed_amount(value):
    """A cell as core.money reads it: a number as shown (7.8 for 7.8%), else its text."""
    if isinstance(value, Percent):
        return value.shown
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    return _text_of(value)


def _squash(label):
    return re.sub(r"[\s()（）/]+", "", str(label)).lower()


def choice(choices, labels=None, synonyms=None):
    """One of ``choices`` (a TextChoices class or (value, label) pairs), by its label.

    ``labels`` ({value: "工业"}) are the words the sheet itself writes (exports use
    them too); also accepted are the stored value, the label in each configured
    language, and ``synonyms`` ({"工业项目": value}) for other words offices write.
    """
    from django.conf import settings

    pairs = list(choices.choices if hasattr(choices, "choices") else choices)
    known = {}
    for value, label in pairs:
        known[_squash(value)] = value
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                known[_squash(label)] = value
    for word, value in {**(synonyms or {}), **{w: v for v, w in (labels or {}).items()}}.items():
        known[_squash(word)] = value
    options = "、".join((labels or {}).get(value) or str(label) for value, label in pairs)

    def parse(value, note=""):
        raw = _text_of(value)
        found = known.get(_squash(raw))
        if found is None:
            raise CellError(
                _("Cannot read “{value}”; expected one of: {options}.").format(
                    value=raw, options=options
                )
            )
        return found

    return parse
