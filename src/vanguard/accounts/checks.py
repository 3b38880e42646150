"""Deployment checks run by ``vanguard check --deploy``: each problem is an error.

Django's own deployment checks only warn; a district's server must not start with the
demo password, DEBUG, plain HTTP, the embedded database, an unset AUDIT_KEY or a job
queue in the cache's Redis database, so these refuse. Messages are in Chinese and
English: they are read on a console.

The demo app names its accounts and their shared password here when it starts
(``register_shared_password``), so this check knows them without importing the demo.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

# Published passwords and the accounts created with them: a deployment that still has one
# of them active with that password was started with `make run` or `vanguard demo`.
_SHARED_PASSWORDS = {}


def register_shared_password(password, usernames):
    """Refuse a deployment where an active account of ``usernames`` has ``password``."""
    _SHARED_PASSWORDS[password] = tuple(usernames)


def _database_engine():
    return settings.DATABASES["default"]["ENGINE"]


def _same_redis_database(first, second):
    """Whether two Redis URLs name one database (no number is database 0)."""

    def where(url):
        parts = urlsplit(url)
        number = parts.path.strip("/") or "0"
        return (parts.hostname, parts.port or 6379, number)

    return where(first) == where(second)


def _demo_password_accounts():
    found = set()
    for password, usernames in _SHARED_PASSWORDS.items():
        users = get_user_model().objects.filter(username__in=usernames, is_active=True)
        found.update(user.username for user in users if user.check_password(password))
    return sorted(found)


@register(Tags.security, deploy=True)
def check_deployment(app_configs=None, **kwargs):
    """Refuse what would make a deployment a demo."""
    errors = []
    if settings.DEBUG:
        errors.append(
            Error(
                "DEBUG 已开启：生产环境必须关闭 / DEBUG is on.", hint="DEBUG=0", id="vanguard.E001"
            )
        )
    if not settings.SECURE_SSL_REDIRECT:
        errors.append(
            Error(
                "未强制 HTTPS / SECURE_SSL_REDIRECT is off.",
                hint="SECURE_SSL_REDIRECT=1 (behind a TLS proxy also BEHIND_PROXY=1)",
                id="vanguard.E002",
            )
        )
    if settings.SECURE_HSTS_SECONDS < 3600:
        errors.append(
            Error(
                "未启用 HSTS / SECURE_HSTS_SECONDS is unset or under an hour.",
                hint="SECURE_HSTS_SECONDS=31536000",
                id="vanguard.E003",
            )
        )
    if not (settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE):
        errors.append(
            Error(
                "Cookie 未设 Secure / session and CSRF cookies are not secure-only.",
                hint="SECURE_COOKIES=1",
                id="vanguard.E004",
            )
        )
    if settings.PRODUCTION and _database_engine().endswith("sqlite3"):
        errors.append(
            Error(
                "生产环境不能使用内嵌 SQLite 数据库 / the embedded SQLite database is for demos.",
                hint="DATABASE_URL=postgres://...",
                id="vanguard.E005",
            )
        )
    if settings.PRODUCTION and not settings.AUDIT_KEY:
        errors.append(
            Error(
                "未设置 AUDIT_KEY / AUDIT_KEY is unset: the change log would be signed with "
                "SECRET_KEY.",
                hint="AUDIT_KEY (or AUDIT_KEY_FILE), kept apart from SECRET_KEY",
                id="vanguard.E006",
            )
        )
    if settings.REDIS_URL and _same_redis_database(settings.QUEUE_URL, settings.REDIS_URL):
        errors.append(
            Error(
                "任务队列与缓存共用同一个 Redis 库 / the job queue shares the cache's Redis "
                "database: clearing the cache would drop the jobs waiting.",
                hint="QUEUE_URL=redis://host:6379/1 beside REDIS_URL=redis://host:6379/0",
                id="vanguard.E010",
            )
        )
    try:
        demo_accounts = _demo_password_accounts()
    except DatabaseError as exc:
        errors.append(
            Error(
                "无法检查演示账户 / the demo accounts cannot be checked: {}".format(exc),
                hint="run `vanguard check --deploy` where the database answers, after migrate",
                id="vanguard.E007",
            )
        )
    else:
        if demo_accounts:
            errors.append(
                Error(
                    "演示密码仍然有效 / the shared demo password still opens: {}".format(
                        ", ".join(demo_accounts)
                    ),
                    hint="deactivate these accounts or reset their passwords; see docs/deploy.md",
                    id="vanguard.E008",
                )
            )
    return errors
