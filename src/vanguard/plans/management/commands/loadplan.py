"""``vanguard loadplan FILE [--dry-run] [--user NAME]``: load a campaign plan file."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from vanguard.org.access import SYSTEM
from vanguard.plans.loader import InvalidPlan, load_plan


class Command(BaseCommand):
    """Check a plan file whole, then create or update its campaign, task forces and targets."""

    help = "载入攻坚行动计划文件（YAML）/ Load a campaign plan file (YAML)."

    def add_arguments(self, parser):
        """Declare the file, --dry-run and --user."""
        parser.add_argument("file", help="计划文件 / plan file, e.g. plans/xihaian.yaml")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="只校验并统计，不写入 / check and count, write nothing",
        )
        parser.add_argument(
            "--user",
            help="以此办公室用户载入并记入变更日志（默认 system）/ "
            "load as this office user, recorded in the change log (default: system)",
        )

    def handle(self, *args, **options):
        """Load the file and print what changed, or every problem found."""
        actor = SYSTEM
        if options["user"]:
            user_model = get_user_model()
            try:
                actor = user_model.objects.get_by_natural_key(options["user"])
            except user_model.DoesNotExist:
                raise CommandError(
                    "没有用户 {} / no user {}".format(options["user"], options["user"])
                ) from None
        path = options["file"]
        try:
            report = load_plan(Path(path), actor=actor, dry_run=options["dry_run"])
        except OSError as exc:
            raise CommandError(
                "无法读取 {}：{} / cannot read {}: {}".format(
                    path, exc.strerror, path, exc.strerror
                )
            ) from None
        except PermissionDenied:
            raise CommandError(
                "{} 不是总指挥部办公室人员，不能载入计划 / {} is not of the headquarters office "
                "and may not load the plan".format(options["user"], options["user"])
            ) from None
        except InvalidPlan as exc:
            lines = [
                "{} 有 {} 处错误，未写入任何数据 / {} has {} problems; nothing was written:".format(
                    path, len(exc.problems), path, len(exc.problems)
                )
            ]
            lines += ["  {}".format(problem) for problem in exc.problems]
            raise CommandError("\n".join(lines)) from None
        self.stdout.write("\n".join(report.lines()))
