"""``vanguard token create USERNAME``: print a new API token (shown once)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from vanguard.core.security import do_create_token


class Command(BaseCommand):
    help = "Create an API token for an account and print it once."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="create a token")
        create.add_argument("username")
        create.add_argument("--name", default="", help="what the token is for")

    def handle(self, *args, verb, username, name, **options):
        if not get_user_model().objects.filter(username=username).exists():
            raise CommandError(f"账户不存在 / no such account: {username}")
        self.stdout.write(do_create_token(username, name=name))
