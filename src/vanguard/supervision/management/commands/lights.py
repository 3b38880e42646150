"""``vanguard lights recompute``: recompute the status lights now and print the counts."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from vanguard.org.choices import CampaignStatus
from vanguard.org.models import Campaign
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

    def handle(self, *args, **options):
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
