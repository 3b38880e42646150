"""``vanguard setup --admin NAME``: prepare a deployment without demo data.

Migrates, then creates the three administrators (三员分立: system, security, audit), each
a different person with a one-time password printed once and changed at first login.
"""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from vanguard.accounts.actions import mark_must_change, one_time_password
from vanguard.org.access import SYSTEM
from vanguard.org.actions import do_assign_role, do_create_person
from vanguard.org.choices import Role

_ROLES = [
    ("admin", Role.SYSTEM_ADMIN, "系统管理员"),
    ("security_admin", Role.SECURITY_ADMIN, "安全保密管理员"),
    ("audit_admin", Role.AUDIT_ADMIN, "安全审计员"),
]


class Command(BaseCommand):
    help = (
        "Migrate and create the administrators of a deployment (no demo data); "
        "each gets a one-time password printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--admin", required=True, help="username of the system administrator")
        parser.add_argument("--security-admin", help="username of the security administrator")
        parser.add_argument("--audit-admin", help="username of the audit administrator")

    def handle(self, *args, **options):
        wanted = [(options[key], role, post) for key, role, post in _ROLES if options[key]]
        usernames = [username for username, _role, _post in wanted]
        if len(set(usernames)) != len(usernames):
            raise CommandError(
                "三名管理员必须是不同的人 / the three administrators must be different people: "
                + ", ".join(usernames)
            )
        call_command("migrate", interactive=False, verbosity=0)
        existing = set(
            get_user_model()
            .objects.filter(username__in=usernames)
            .values_list("username", flat=True)
        )
        for username, role, post in wanted:
            if username in existing:
                self.stdout.write(
                    "账户 {} 已存在，未改动 / account {} exists, left unchanged.".format(
                        username, username
                    )
                )
                continue
            password = self._create(username, role, post)
            self.stdout.write(
                "{}（{}）一次性密码 / one-time password: {}".format(post, username, password)
            )
        self.stdout.write(
            "一次性密码只显示这一次，首次登录后必须修改。未加载演示数据。\n"
            "One-time passwords are shown once and must be changed at first login. "
            "No demo data was loaded. Next: vanguard check --deploy"
        )

    @staticmethod
    def _create(username, role, post):
        password = one_time_password()
        with transaction.atomic():
            person = do_create_person(
                username=username, name=username, post=post, password=password, actor=SYSTEM
            )
            user = person.user
            # Django's admin lets in staff only; the role decides what they see there.
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            mark_must_change(user)
            do_assign_role(person, role, actor=SYSTEM)
        return password
