"""The statistics bureau's monthly table as it is laid out: its headers, its month, its cells.

The table is laid out the way the bureau publishes it::

    2026年1-10月西海岸新区主要经济指标                  (title row, merged across)
    指标 | 计量单位 | 1-10月累计 | 同比增长(%) | 全市增速(%) | 全省增速(%)
    ...one row per indicator...
    注：...                                            (footnotes)

A workbook holds one sheet per month, or one sheet whose title row names the month.
The month comes from the title row ("2026年1-10月..."), else the cumulative column's
header ("1-10月累计"), else the sheet's name ("10月", "2026-10"); a sheet whose name
says another month than its title is refused rather than filed under either. A
growth typed as 7.8% in a percent cell is read as 7.8; a dash or a slash is no figure.
An indicator's name is matched without its numbering, "其中：" or notes in brackets.
"""

import datetime
import re

from django.utils.translation import gettext as _

from vanguard.exchange.importing import Problem
from vanguard.exchange.parsers import CellError, Percent, decimal, text
from vanguard.exchange.reading import normalise_header
from vanguard.indicators.choices import AreaLevel

_SEPARATORS = ("-", "—", "－", "~", "～", "至", "–", "―")
# "2026年1-10月", "2026年10月", "2026年1—10月"
_TITLE_MONTH = re.compile(r"(\d{4})\s*年\s*(?:1\s*[-—－~～至–―]\s*)?(\d{1,2})\s*月")
# "1-10月累计", "1-10月", "10月累计"
_HEADER_MONTH = re.compile(r"^(?:1\s*[-—－~～至–―]\s*)?(\d{1,2})\s*月")
# Sheet names: "2026年10月", "2026-10", "2026.10", else "10月"
_SHEET_YEAR_MONTH = re.compile(r"(\d{4})\s*[-年./]\s*(\d{1,2})")
_SHEET_MONTH = re.compile(r"(\d{1,2})\s*月")
# A growth column of an area the campaign does not know: "全国增速", "北京市增长(%)".
AREA_GROWTH = re.compile(r"^(全\S+?|\S+?[市省区县国])(同比)?(增速|增长)")
# What tables write in a cell that has no figure.
_NO_FIGURE = {"-", "—", "－", "–", "―", "/", "…", "……", "--", "——", "x", "×"}
# Leading numbering and "其中：" of indented rows, and notes in brackets, are not the name.
_NAME_NOISE = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|\d+[、.．]|其中[:：]|#|\s)+")
_BRACKETS = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")

COMPARATOR_HEADERS = {AreaLevel.CITY: "全市增速(%)", AreaLevel.PROVINCE: "全省增速(%)"}
LEVEL_HEADER = "累计"
GROWTH_HEADER = "同比增长(%)"


def level_aliases():
    names = ["本年累计", "累计值", "累计数", "本年累计值", "1月", "1月累计"]
    for n in range(1, 13):
        names += ["{}月累计".format(n)]
        for sep in _SEPARATORS:
            names += ["1{}{}月".format(sep, n), "1{}{}月累计".format(sep, n)]
            names += ["1{}{}月累计值".format(sep, n)]
    return tuple(names)


def indicator_key(name):
    """An indicator's name reduced for matching: no numbering, brackets or spaces."""
    name = _NAME_NOISE.sub("", str(name))
    name = _BRACKETS.sub("", name)
    return normalise_header(name)


def parse_figure(value, note=""):
    """A number; a dash or slash means no figure."""
    if isinstance(value, str):
        stripped = value.strip()
        if stripped in _NO_FIGURE:
            return None
        value = stripped.rstrip("%").strip()
    return decimal(2)(value, note)


def parse_level(value, note=""):
    """A cumulative amount: a percentage here is a growth rate in the wrong column."""
    if (isinstance(value, str) and "%" in value) or isinstance(value, Percent):
        raise CellError(
            _(
                "The level column holds a percentage “{value}”: a level is an amount (e.g."
                " 812.4); put the growth rate in the growth column."
            ).format(value=text()(value))
        )
    return parse_figure(value, note)


def month_of_sheet(info, campaign_year):
    """The month a sheet's figures are for, or a problem saying why it is unclear.

    From the title row, else the level column's header, else the sheet's name; a year
    named nowhere is the campaign's.
    """
    title_month = None
    for row in info.preamble:
        for value in row.values():
            match = _TITLE_MONTH.search(str(value))
            if match:
                title_month = (int(match.group(1)), int(match.group(2)))
                break
        if title_month:
            break
    header_month, header_text = None, ""
    for _position, (column, _note, header) in info.columns.items():
        if column.key == "level":
            match = _HEADER_MONTH.match(normalise_header(header))
            if match:
                header_month, header_text = int(match.group(1)), header
    sheet_month = None
    match = _SHEET_YEAR_MONTH.search(info.title)
    if match:
        sheet_month = (int(match.group(1)), int(match.group(2)))
    elif match := _SHEET_MONTH.search(info.title):
        sheet_month = (0, int(match.group(1)))
    if title_month and header_month and title_month[1] != header_month:
        return None, Problem(
            _("The header “{header}” does not match the title's {year}-{month:02d}.").format(
                header=header_text, year=title_month[0], month=title_month[1]
            ),
            sheet=info.title,
            row=info.header_row,
        )
    named = title_month or ((0, header_month) if header_month else None)
    if (
        named
        and sheet_month
        and (
            named[1] != sheet_month[1]
            or (named[0] and sheet_month[0] and named[0] != sheet_month[0])
        )
    ):
        # A sheet renamed or copied from another month: which month is meant is unclear.
        return None, Problem(
            _(
                "The sheet's name “{sheet}” says another month than its {where}"
                " (“{month}”): nothing is imported from it. Correct the title or the"
                " sheet's name."
            ).format(
                sheet=info.title,
                where=_("title") if title_month else _("header"),
                month=(
                    _("{year}-{month:02d}").format(year=title_month[0], month=title_month[1])
                    if title_month
                    else header_text
                ),
            ),
            sheet=info.title,
            row=info.header_row,
        )
    year = (title_month or (0, 0))[0] or (sheet_month or (0, 0))[0] or campaign_year
    month = (title_month or (0, 0))[1] or header_month or (sheet_month or (0, 0))[1]
    if not month or not 1 <= month <= 12:
        return None, Problem(
            _(
                "Cannot tell the month: write it in the title ({year}年1-10月) or the"
                " header (1-10月累计)."
            ).format(year=campaign_year),
            sheet=info.title,
            row=info.header_row,
        )
    return datetime.date(year, month, 1), None
