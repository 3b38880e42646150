"""``vanguard bulletin``: the monthly bulletin from the command line.

vanguard bulletin rule --campaign CODE --file RULE.yaml     load a scoring rule version
vanguard bulletin draft --campaign CODE --month YYYY-MM     create or refresh the draft
vanguard bulletin docx --campaign CODE --month YYYY-MM --out FILE
"""

import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vanguard.org.access import SYSTEM
from vanguard.org.models import Campaign
from vanguard.supervision.bulletins.actions import do_draft_bulletin, do_load_scoring_rule
from vanguard.supervision.bulletins.document import bulletin_docx, bulletin_xlsx
from vanguard.supervision.bulletins.rules import InvalidRule
from vanguard.supervision.models import Bulletin, BulletinState


def _month(text):
    try:
        return datetime.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise CommandError(
            "月份应写作 YYYY-MM / the month must read YYYY-MM: {!r}".format(text)
        ) from None


def _campaign(code):
    campaign = Campaign.objects.filter(code=code).first()
    if campaign is None:
        raise CommandError("未找到攻坚行动 {0!r} / no campaign with code {0!r}".format(code))
    return campaign


def bulletin_of(campaign, month):
    """The month's bulletin to print: the draft if there is one, else the issued one."""
    live = Bulletin.objects.filter(
        campaign=campaign, month=month, state__in=[BulletinState.DRAFT, BulletinState.ISSUED]
    ).select_related("rule", "campaign")
    return (
        live.filter(state=BulletinState.DRAFT).first()
        or live.filter(state=BulletinState.ISSUED).first()
    )


class Command(BaseCommand):
    help = "The monthly bulletin: load a scoring rule, draft a month, write its DOCX or XLSX."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        rule = actions.add_parser("rule", help="Load a scoring rule file as the next version.")
        rule.add_argument("--campaign", required=True)
        rule.add_argument("--file", required=True)
        draft = actions.add_parser("draft", help="Create or refresh the draft of a month.")
        draft.add_argument("--campaign", required=True)
        draft.add_argument("--month", required=True, help="YYYY-MM")
        draft.add_argument(
            "--correction", action="store_true", help="Draft a correction of an issued month."
        )
        for name in ("docx", "xlsx"):
            out = actions.add_parser(name, help="Write the month's bulletin as {}.".format(name))
            out.add_argument("--campaign", required=True)
            out.add_argument("--month", required=True, help="YYYY-MM")
            out.add_argument("--out", required=True)
            out.add_argument("--base-url", help="The site's address for the figures' links.")

    def handle(self, *args, **options):
        campaign = _campaign(options["campaign"])
        action = options["action"]
        try:
            if action == "rule":
                path = Path(options["file"])
                if not path.is_file():
                    raise CommandError("找不到文件 / no such file: {}".format(path))
                rule = do_load_scoring_rule(
                    campaign, path.read_text(encoding="utf-8"), actor=SYSTEM, source_name=path.name
                )
                self.stdout.write(
                    "评分规则第{}版 / scoring rule version {}".format(rule.version, rule.version)
                )
                return
            month = _month(options["month"])
            if action == "draft":
                bulletin = do_draft_bulletin(
                    campaign, month, actor=SYSTEM, correction=options["correction"]
                )
                self.stdout.write(
                    "{} 草稿第{}版，{}个单位 / draft version {}, {} units".format(
                        bulletin.month_label,
                        bulletin.version,
                        bulletin.lines.count(),
                        bulletin.version,
                        bulletin.lines.count(),
                    )
                )
                return
            bulletin = bulletin_of(campaign, month)
            if bulletin is None:
                raise CommandError(
                    "{0} 尚无月通报，请先起草 / no bulletin for {0}: draft it first".format(
                        options["month"]
                    )
                )
            build = bulletin_docx if action == "docx" else bulletin_xlsx
            Path(options["out"]).write_bytes(build(bulletin, options.get("base_url")))
            self.stdout.write(options["out"])
        except InvalidRule as exc:
            raise CommandError("\n".join(exc.lines())) from None
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
