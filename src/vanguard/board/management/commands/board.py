"""``vanguard board link --screen NAME``: a hall screen's kiosk link to the display board.

    vanguard board link --screen hall-1 [--campaign CODE] [--days N] [--rotate S] [--refresh S]
    vanguard board revoke --screen hall-1
    vanguard board links

``link`` prints the URL; a new link for a screen stops its earlier one. ``revoke`` stops
the screen's link at once. ``links`` lists the screens, their expiry and last visit.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vanguard.board.models import ScreenLink
from vanguard.board.screens import LinkRefused, do_issue_link, do_revoke_link, url_of
from vanguard.org.access import SYSTEM
from vanguard.org.models import Campaign
from vanguard.org.queries import current_campaign


class Command(BaseCommand):
    help = "Issue, revoke or list the display board's kiosk links for hall screens."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["link", "revoke", "links"])
        parser.add_argument("--screen", help="the screen's name: letters, digits, - and _")
        parser.add_argument("--campaign", help="the campaign's code (default: the current one)")
        parser.add_argument("--days", type=int, help="the link expires after this many days")
        parser.add_argument("--rotate", type=int, help="seconds each page shows (default 20)")
        parser.add_argument("--refresh", type=int, help="seconds between refreshes (default 60)")

    def handle(self, *args, action, screen, campaign, days, rotate, refresh, **options):
        if action == "links":
            return self._list()
        if not screen or not all(c.isalnum() or c in "-_" for c in screen) or len(screen) > 64:
            raise CommandError(
                "--screen 须为屏幕名称（字母、数字、- 或 _，至多64个字符）/ "
                "--screen must name the screen: letters, digits, - and _, at most 64"
            )
        for name, value in (("--days", days), ("--rotate", rotate), ("--refresh", refresh)):
            if value is not None and value < 1:
                raise CommandError(
                    "{} 须为正整数 / {} must be a positive number".format(name, name)
                )
        if action == "revoke":
            try:
                do_revoke_link(screen, actor=SYSTEM)
            except LinkRefused as refused:
                raise CommandError(str(refused)) from refused
            self.stdout.write("已撤销 / revoked: {}".format(screen))
            return
        if campaign and not Campaign.objects.filter(code=campaign).exists():
            raise CommandError("没有代码为 {} 的行动 / no campaign {}".format(campaign, campaign))
        chosen = current_campaign(campaign)
        link = do_issue_link(
            screen, chosen, actor=SYSTEM, days=days, rotate=rotate, refresh=refresh
        )
        self.stdout.write(url_of(link))

    def _list(self):
        now = timezone.now()
        for link in ScreenLink.objects.select_related("campaign"):
            state = "有效 active" if link.usable(now) else "已失效 stopped"
            self.stdout.write(
                "{}\t{}\t{}\texpires {}\tlast seen {}".format(
                    link.name,
                    link.campaign.code,
                    state,
                    link.expires_at or "-",
                    link.last_seen_at or "-",
                )
            )
