"""``vanguard remind``: remind of due dates (before, on the day, overdue).

vanguard remind                         remind for today and send
vanguard remind --on 2026-12-04         as of that day
vanguard remind --on 2026-12-04 --dry-run
                                        print what would be sent, one JSON object a line
"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from vanguard.notices.delivery import send_pending
from vanguard.supervision.reminders import remind


def _day(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            "日期应写作 YYYY-MM-DD / the date must read YYYY-MM-DD: {!r}".format(text)
        ) from None


class Command(BaseCommand):
    help = "Remind the responsible people of what falls due; with --dry-run only print it."

    def add_arguments(self, parser):
        parser.add_argument("--on", type=_day, default=None, help="YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be sent; send nothing."
        )

    def handle(self, *args, on=None, dry_run=False, **options):
        lines = remind(on, dry_run=dry_run)
        for line in lines:
            self.stdout.write(json.dumps(line, ensure_ascii=False))
        if not dry_run:
            sent, failed = send_pending()
            self.stderr.write("sent {}, failed {} (failed ones are retried)".format(sent, failed))
