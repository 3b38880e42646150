"""``vanguard audit verify [--checkpoints FILE]``, ``vanguard audit checkpoint`` and
``vanguard audit verify-bundle FILE.zip``."""

from django.core.management.base import BaseCommand, CommandError

from vanguard.audit.bundle import verify_bundle
from vanguard.audit.log import verify_chain, verify_checkpoints, write_checkpoint


class Command(BaseCommand):
    help = "Verify the tamper-evident change log, or publish a checkpoint of its head."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        verify = sub.add_parser("verify", help="check every entry's signature in order")
        verify.add_argument(
            "--checkpoints",
            metavar="FILE",
            help="also prove the log against the checkpoints published in FILE",
        )
        checkpoint = sub.add_parser(
            "checkpoint", help="append the chain's head, signed, to the checkpoint file"
        )
        checkpoint.add_argument("--file", help="another file than AUDIT_CHECKPOINT_FILE")
        bundle = sub.add_parser(
            "verify-bundle",
            help="prove an exported case file (ZIP) complete and unaltered against the log",
        )
        bundle.add_argument("file", metavar="FILE.zip")

    def handle(self, *args, verb, **options):
        if verb == "verify-bundle":
            self._verify_bundle(options["file"])
            return
        if verb == "checkpoint":
            line = write_checkpoint(options.get("file"))
            self.stdout.write(
                "检查点已记录 / checkpoint written: #{seq} {hash} {time}".format(**line)
            )
            return
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"变更日志在第 {result.broken_seq} 条处断开 / change log broken at entry "
                f"#{result.broken_seq}: {result.problem}"
            )
        self.stdout.write(f"变更日志完整 / change log intact: {result.checked} entries verified.")
        path = options.get("checkpoints")
        if not path:
            return
        try:
            points = verify_checkpoints(path)
        except OSError as exc:
            raise CommandError(f"无法读取检查点文件 / cannot read {path}: {exc}") from exc
        if not points.ok:
            raise CommandError(
                f"变更日志与检查点不符，第 {points.broken_seq} 条 / the log does not match its "
                f"checkpoints at entry #{points.broken_seq}: {points.problem}"
            )
        self.stdout.write(
            f"与 {points.checked} 个检查点一致 / matches {points.checked} checkpoints."
        )

    def _verify_bundle(self, path):
        check = verify_bundle(path)
        if not check.ok:
            for failure in check.failures:
                self.stderr.write(failure)
            raise CommandError(
                "卷宗未通过校验 / the bundle failed verification: {} problem(s).".format(
                    len(check.failures)
                )
            )
        self.stdout.write(
            "卷宗完整且未被改动 / bundle complete and unaltered: {} files, {} log entries.".format(
                check.files, check.entries
            )
        )
