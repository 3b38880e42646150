"""``vanguard audit verify``: check the change log's hash chain."""

from django.core.management.base import BaseCommand, CommandError

from vanguard.audit.log import verify_chain


class Command(BaseCommand):
    help = "Verify the tamper-evident change log and report the first broken link."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("verify", help="recompute every entry's hash in order")

    def handle(self, *args, verb, **options):
        result = verify_chain()
        if result.ok:
            self.stdout.write(
                f"变更日志完整 / change log intact: {result.checked} entries verified."
            )
            return
        raise CommandError(
            f"变更日志在第 {result.broken_seq} 条处断开 / change log broken at entry #{result.broken_seq}: {result.problem}"
        )
