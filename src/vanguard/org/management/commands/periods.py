"""``vanguard periods``: list a year's scheduling periods with their due dates.

The command lives in ``org`` because ``--campaign`` applies a campaign's deadline rule;
the periods and the counting of working days are the calendar's.
"""

import argparse
import json
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.calendar.due import due
from vanguard.calendar.periods import FIRST_YEAR, LAST_YEAR, PeriodKind, periods_of_year
from vanguard.calendar.services import load_calendar
from vanguard.calendar.workdays import CalendarNotCovered


def _bounded_int(low: int, high: int):
    """Return an argparse type that accepts integers from low to high."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}, got {value}")
        return value

    return parse


def _width(text: str) -> int:
    """Return how many terminal columns text takes; Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    """Left-align text in a column of the given terminal width."""
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "List the scheduling periods of a year with their due dates."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=_bounded_int(FIRST_YEAR, LAST_YEAR),
            help="Calendar year (ISO year for weeks); default: the current year.",
        )
        parser.add_argument(
            "--kind",
            choices=[kind.value for kind in PeriodKind],
            default=PeriodKind.MONTH.value,
            help="Period kind (default: month).",
        )
        parser.add_argument(
            "--working-days-after",
            type=_bounded_int(1, 366),
            default=1,
            help="Due on the N-th working day after the period ends (default: 1).",
        )
        parser.add_argument(
            "--campaign",
            help="Use this campaign's report deadline for the cadence of --kind "
            "(overrides --working-days-after).",
        )
        parser.add_argument(
            "--provisional",
            action="store_true",
            help="List a year whose holidays are not entered yet, with provisional due dates "
            "(weekends and fixed-date holidays only).",
        )
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args, **options):
        year = options["year"] or timezone.localdate().year
        if options["campaign"]:
            from vanguard.org.models import Campaign
            from vanguard.org.queries import report_working_days

            campaign = Campaign.objects.filter(code=options["campaign"]).first()
            if campaign is None:
                raise CommandError(
                    "未找到攻坚行动 {0!r} / no campaign with code {0!r}".format(options["campaign"])
                )
            options["working_days_after"] = report_working_days(campaign, options["kind"])
        calendar = load_calendar()
        if not calendar.covers(year) and not options["provisional"]:
            raise CommandError(
                f"{CalendarNotCovered(year)}；加 --provisional 可列出暂定截止日期"
                " / add --provisional for provisional due dates"
            )

        rows = [
            (period, due(period, calendar, options["working_days_after"]))
            for period in periods_of_year(options["kind"], year)
        ]
        # The last periods of a year fall due in the next one, whose arrangement is
        # published late in the year: their dates are provisional until it is entered.
        uncovered = sorted(
            {y for _period, when in rows for y in when.unknown_years}
            | ({year} if not calendar.covers(year) else set())
        )
        for missing in uncovered:
            self.stderr.write(
                f"{CalendarNotCovered(missing)}；落在该年的截止日期为暂定（只除去周末和固定日期的节日）"
                " / due dates falling in it are provisional (weekends and fixed-date holidays only)"
            )

        if options["json"]:
            data = [
                {
                    "kind": str(period.kind),
                    "label": period.label,
                    "start": period.start.isoformat(),
                    "end": period.end.isoformat(),
                    "due": when.day.isoformat(),
                    "due_provisional": when.provisional,
                }
                for period, when in rows
            ]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return

        table = [(_("Label"), _("Period"), _("Start"), _("End"), _("Due"))]
        table += [
            (
                period.label,
                period.display_label,
                period.start.isoformat(),
                period.end.isoformat(),
                when.day.isoformat() + (" " + _("provisional") if when.provisional else ""),
            )
            for period, when in rows
        ]
        widths = [max(_width(row[i]) for row in table) for i in range(len(table[0]))]
        for row in table:
            line = "  ".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(line.rstrip())
