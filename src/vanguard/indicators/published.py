"""Officially published cumulative figures read from a CSV file, as forecast series.

The file's shape (``data/README.md``): one row per area, indicator, year and months
(``1-2`` … ``1-12``; ``1`` for January alone), with the cumulative level, its unit, the
cumulative growth (%) as published, the source and a note. A missing month is missing,
never filled in. Every series is an area's indicator in one year; last year's figures
of the same area and indicator ride along for the base effect, and the area with the
most figures of the same indicator and year is the comparator of the others.

A malformed file stops with the file, the line and the column in words
(``SeriesFileError``), and nothing is read from it.
"""

import csv
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from vanguard.indicators.forecast import Series

DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED = DATA_DIR / "published-growth-2022-2023.csv"
REQUIRED = ("area", "indicator", "year", "months", "growth_pct")
OPTIONAL = ("level", "unit", "source", "note")
MONTHS = re.compile(r"^\s*1\s*(?:[-–—~至]\s*(\d{1,2}))?\s*月?\s*$")


class SeriesFileError(ValueError):
    """A CSV of published figures that cannot be read: where, and what is wrong."""

    def __init__(self, path, line, column, problem):
        self.path, self.line, self.column, self.problem = str(path), line, column, problem
        if line is None:
            text = _("{file}: {problem}").format(file=self.path, problem=problem)
        elif column is None:
            text = _("{file}, line {line}: {problem}").format(
                file=self.path, line=line, problem=problem
            )
        else:
            text = _("{file}, line {line}, column “{column}”: {problem}").format(
                file=self.path, line=line, column=column, problem=problem
            )
        super().__init__(text)


@dataclass
class Figure:
    """One row of the file: a published cumulative figure and where it was read."""

    area: str
    indicator: str
    year: int
    month: int
    level: float | None
    growth: float | None
    unit: str = ""
    source: str = ""
    note: str = ""
    line: int = 0


@dataclass
class Case:
    """One series of the file, its key, its comparator's series and its figures' sources."""

    area: str
    indicator: str
    year: int
    series: Series
    companion: Series | None = None
    figures: list = field(default_factory=list)

    @property
    def key(self):
        return (self.area, self.indicator, self.year)

    @property
    def name(self):
        return "{} {} {}".format(self.area, self.indicator, self.year)


def _number(text, path, line, column):
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        problem = _("“{value}” is not a number").format(value=text)
        raise SeriesFileError(path, line, column, problem) from None
    return value


def read_figures(path):
    """Every row of the file as a ``Figure``; ``SeriesFileError`` at the first bad one."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SeriesFileError(path, None, None, _("no such file")) from None
    except UnicodeDecodeError:
        raise SeriesFileError(path, None, None, _("the file is not UTF-8 text")) from None
    except OSError as exc:
        raise SeriesFileError(path, None, None, exc.strerror or str(exc)) from None
    reader = csv.DictReader(text.splitlines())
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise SeriesFileError(
            path, 1, None, _("missing column(s): {columns}").format(columns=", ".join(missing))
        )
    figures, seen = [], {}
    for row in reader:
        line = reader.line_num
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if not any(row.values()):
            continue
        for column in ("area", "indicator"):
            if not row.get(column):
                raise SeriesFileError(path, line, column, _("is empty"))
        year = row.get("year", "")
        year = int(year) if year.isascii() and year.isdigit() else None
        if year is None or not 1949 <= year <= 2100:
            raise SeriesFileError(
                path, line, "year", _("“{value}” is not a year").format(value=row.get("year"))
            )
        found = MONTHS.match(row.get("months", ""))
        month = int(found.group(1) or 1) if found else None
        if month is None or not 1 <= month <= 12:
            raise SeriesFileError(
                path,
                line,
                "months",
                _("“{value}” is not a cumulative period such as 1-3 (months 1 to N)").format(
                    value=row.get("months", "")
                ),
            )
        level = _number(row.get("level"), path, line, "level")
        growth = _number(row.get("growth_pct"), path, line, "growth_pct")
        if level is None and growth is None:
            raise SeriesFileError(path, line, "growth_pct", _("neither a growth nor a level"))
        if growth is not None and growth <= -100:
            raise SeriesFileError(
                path, line, "growth_pct", _("a cumulative growth must be above −100")
            )
        if level is not None and level < 0:
            raise SeriesFileError(path, line, "level", _("a level cannot be negative"))
        key = (row["area"], row["indicator"], year, month)
        if key in seen:
            raise SeriesFileError(
                path,
                line,
                "months",
                _("the same area, indicator and months as line {line}").format(line=seen[key]),
            )
        seen[key] = line
        figures.append(
            Figure(
                area=row["area"],
                indicator=row["indicator"],
                year=year,
                month=month,
                level=level,
                growth=growth,
                unit=row.get("unit", ""),
                source=row.get("source", ""),
                note=row.get("note", ""),
                line=line,
            )
        )
    if not figures:
        raise SeriesFileError(path, None, None, _("no figures in the file"))
    return figures


def cases(figures):
    """The file's series (``Case``), each with last year's figures and its comparator."""
    by_key = {}
    for figure in figures:
        case = by_key.setdefault(
            (figure.area, figure.indicator, figure.year),
            Case(figure.area, figure.indicator, figure.year, Series()),
        )
        case.figures.append(figure)
        if figure.growth is not None:
            case.series.growth[figure.month] = figure.growth
        if figure.level is not None:
            case.series.level[figure.month] = figure.level
    for (area, indicator, year), case in by_key.items():
        before = by_key.get((area, indicator, year - 1))
        if before is not None:
            case.series.last_year_level = dict(before.series.level)
            case.series.last_year_growth = dict(before.series.growth)
    # The comparator: the area with the most growth figures of the same indicator and year.
    for case in by_key.values():
        others = [
            c
            for c in by_key.values()
            if c.indicator == case.indicator and c.year == case.year and c is not case
        ]
        densest = max(others, key=lambda c: len(c.series.growth), default=None)
        if densest is not None and len(densest.series.growth) > len(case.series.growth):
            case.companion = densest.series
    return sorted(by_key.values(), key=lambda c: (c.year, c.indicator, c.area))


def read_cases(path):
    """The series of a CSV file of published figures (``SeriesFileError`` when malformed)."""
    return cases(read_figures(path))
