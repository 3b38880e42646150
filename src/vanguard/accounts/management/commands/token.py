"""``vanguard token create USERNAME --name NAME [--days N]``: print a new API token once."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from vanguard.accounts.tokens import do_create_token


class Command(BaseCommand):
    help = "Create an API token for an account and print it once."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="create a token")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="what the token is for")
        create.add_argument(
            "--days",
            type=int,
            default=settings.API_TOKEN_DAYS,
            help="days until it expires (default %(default)s)",
        )

    def handle(self, *args, verb, username, name, days, **options):
        if not get_user_model().objects.filter(username=username).exists():
            raise CommandError(f"账户不存在 / no such account: {username}")
        if not name.strip():
            raise CommandError("令牌名称不能为空 / --name must not be empty")
        if not 1 <= days <= 366:
            raise CommandError(f"有效天数须在 1 到 366 之间 / --days must be 1 to 366: {days}")
        self.stdout.write(do_create_token(username, name=name.strip(), days=days))
