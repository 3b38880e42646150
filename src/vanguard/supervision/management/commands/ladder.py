"""``vanguard ladder rules|run``: load a campaign's ladder rules, or run the ladder now."""

import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from vanguard.org.access import SYSTEM
from vanguard.org.choices import CampaignStatus
from vanguard.org.models import Campaign
from vanguard.supervision.orders.actions import current_rules, do_set_ladder_rules
from vanguard.supervision.orders.ladder import do_run_ladder
from vanguard.supervision.orders.rules import dump_rules


def _campaign(code):
    campaign = Campaign.objects.filter(code=code).first()
    if campaign is None:
        raise CommandError("未找到攻坚行动 {0!r} / no campaign with code {0!r}".format(code))
    return campaign


class Command(BaseCommand):
    help = "The escalation ladder: load its rules for a campaign, or run it now."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        rules = actions.add_parser(
            "rules", help="Load a rule file (YAML or JSON) as the next version, or show the rules."
        )
        rules.add_argument("--campaign", required=True, help="Campaign code.")
        rules.add_argument("--file", help="The rule file; without it the current rules are shown.")
        rules.add_argument("--note", default="", help="Why the rules change.")
        run = actions.add_parser("run", help="Run the ladder: propose, and raise colours.")
        run.add_argument("--campaign", help="Campaign code (default: every active campaign).")
        run.add_argument("--date", help="Judge as of this date, YYYY-MM-DD (default: today).")

    def handle(self, *args, **options):
        if options["action"] == "rules":
            return self._rules(options)
        return self._run(options)

    def _rules(self, options):
        campaign = _campaign(options["campaign"])
        if options.get("file"):
            path = Path(options["file"])
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(
                    "无法读取 {} / cannot read {}: {}".format(path, path, error)
                ) from None
            try:
                row = do_set_ladder_rules(campaign, text, actor=SYSTEM, note=options["note"])
            except ValidationError as error:
                raise CommandError("{}:\n  {}".format(path, "\n  ".join(error.messages))) from None
            self.stdout.write(
                _("{campaign}: ladder rules version {version} loaded.").format(
                    campaign=campaign.code, version=row.version
                )
            )
        version, rules = current_rules(campaign)
        self.stdout.write(
            _("{campaign}: ladder rules version {version}").format(
                campaign=campaign.code, version=version or _("(defaults)")
            )
        )
        self.stdout.write(dump_rules(rules))

    def _run(self, options):
        today = None
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    "日期应写作 YYYY-MM-DD / the date must read YYYY-MM-DD: {!r}".format(
                        options["date"]
                    )
                ) from None
        if options.get("campaign"):
            campaigns = [_campaign(options["campaign"])]
        else:
            campaigns = list(Campaign.objects.filter(status=CampaignStatus.ACTIVE).order_by("pk"))
        for campaign in campaigns:
            result = do_run_ladder(campaign, actor=SYSTEM, today=today)
            self.stdout.write(
                _(
                    "{campaign} as of {date} (rules version {version}): {orders} order "
                    "proposal(s), {talks} talk proposal(s), {escalated} order(s) raised a colour"
                ).format(
                    campaign=campaign.code,
                    date=result.as_of.isoformat(),
                    version=result.rules_version,
                    orders=result.proposed.get("order", 0),
                    talks=result.proposed.get("talk", 0),
                    escalated=result.escalated,
                )
            )
