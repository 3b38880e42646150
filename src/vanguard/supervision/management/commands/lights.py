"""``vanguard lights recompute``: recompute the status lights now and print the counts.

``vanguard lights months`` lists the light events' monthly partitions (PostgreSQL),
``vanguard lights archive --before YYYY-MM-DD`` detaches the months before that date's
month (kept as tables, never deleted), ``vanguard lights attach NAME`` brings one back.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from vanguard.org.choices import CampaignStatus
from vanguard.org.models import Campaign
from vanguard.supervision import partitions
from vanguard.supervision.choices import Light
from vanguard.supervision.kinds import kinds, rules_for
from vanguard.supervision.lights import recompute


def _date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            "日期应写作 YYYY-MM-DD / the date must read YYYY-MM-DD: {!r}".format(text)
        ) from None


class Command(BaseCommand):
    help = "Status lights: recompute them for one campaign or every active one."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        again = actions.add_parser("recompute", help="Recompute the lights and print the counts.")
        again.add_argument("--campaign", help="Campaign code (default: every active campaign).")
        again.add_argument(
            "--date", help="Judge as of this date, YYYY-MM-DD (default: today in Beijing)."
        )
        actions.add_parser("months", help="List the light events' months (PostgreSQL).")
        archive = actions.add_parser(
            "archive", help="Detach the light events of the months before a date (PostgreSQL)."
        )
        archive.add_argument("--before", required=True, help="YYYY-MM-DD: its month is kept.")
        attach = actions.add_parser("attach", help="Attach an archived month again (PostgreSQL).")
        attach.add_argument("name", help="The month's table, as `lights months` lists it.")

    def handle(self, *args, **options):
        if options["action"] != "recompute":
            return self._months(options)
        today = _date(options["date"]) if options.get("date") else None
        code = options.get("campaign")
        if code:
            campaigns = list(Campaign.objects.filter(code=code))
            if not campaigns:
                raise CommandError(
                    "未找到攻坚行动 {0!r} / no campaign with code {0!r}".format(code)
                )
        else:
            campaigns = list(Campaign.objects.filter(status=CampaignStatus.ACTIVE).order_by("pk"))
        for campaign in campaigns:
            result = recompute(campaign, today=today)
            self.stdout.write(
                _("{campaign} as of {date}: {events} light(s) changed").format(
                    campaign=campaign.code, date=result.as_of.isoformat(), events=result.events
                )
            )
            for kind in kinds():
                counts = "  ".join(
                    "{} {}".format(light.label, result.count(kind, light)) for light in Light
                )
                self.stdout.write("  {}: {}".format(rules_for(kind).label, counts))

    def _months(self, options):
        if not partitions.is_partitioned():
            raise CommandError(
                "亮灯变化记录仅在 PostgreSQL 上按月分区，此数据库无可归档的月份 / the light "
                "events are partitioned by month on PostgreSQL only: this database has no "
                "months to archive"
            )
        if options["action"] == "archive":
            for name in partitions.detach_before(_date(options["before"])):
                self.stdout.write(_("archived (detached, kept): {name}").format(name=name))
        elif options["action"] == "attach":
            try:
                partitions.attach(options["name"])
            except ValueError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(_("attached: {name}").format(name=options["name"]))
        for name, first, attached in partitions.partitions():
            state = _("in use") if attached else _("archived")
            self.stdout.write("{}  {}  {}".format(first.strftime("%Y-%m"), name, state))
