"""First start versus deployment: `vanguard setup` and `vanguard check --deploy`."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from vanguard.accounts import checks
from vanguard.demo.org import DEMO_PASSWORD
from vanguard.org.access import access_for
from vanguard.org.choices import Role
from vanguard.org.models import Person, Unit

PRODUCTION = {
    "DEBUG": False,
    "PRODUCTION": True,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "AUDIT_KEY": "a-separate-audit-key-kept-apart-from-the-secret",
}


def run_setup(capsys, *args):
    call_command("setup", *args)
    return capsys.readouterr().out


def one_time_password_of(output, username):
    return re.search(r"（{}）.*: (\S+)".format(username), output).group(1)


def test_setup_creates_three_administrators_who_must_change_their_password(client, db, capsys):
    out = run_setup(
        capsys, "--admin", "wangxt", "--security-admin", "lians", "--audit-admin", "zhaosj"
    )
    assert not Unit.objects.exists()  # no demo data
    roles = {"wangxt": Role.SYSTEM_ADMIN, "lians": Role.SECURITY_ADMIN, "zhaosj": Role.AUDIT_ADMIN}
    assert Person.objects.filter(user__username__in=roles).count() == 3
    for username, role in roles.items():
        user = get_user_model().objects.get(username=username)
        assert access_for(user).has(role)
    password = one_time_password_of(out, "wangxt")
    response = client.post("/login/", {"username": "wangxt", "password": password})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302  # to the password page first
    assert client.get("/admin/")["Location"].startswith("/account/password/")


def test_setup_prints_each_password_once_and_keeps_existing_accounts(db, capsys):
    first = run_setup(capsys, "--admin", "wangxt")
    password = one_time_password_of(first, "wangxt")
    second = run_setup(capsys, "--admin", "wangxt")
    assert password not in second
    assert "已存在" in second


def test_setup_refuses_one_person_in_two_administrator_roles(db):
    with pytest.raises(CommandError, match="不同的人"):
        call_command("setup", "--admin", "wangxt", "--security-admin", "wangxt")


def deploy_errors():
    try:
        call_command("check", "--deploy", "--fail-level", "ERROR")
    except SystemCheckError as exc:
        return set(re.findall(r"vanguard\.E\d+", str(exc)))
    return set()


@pytest.fixture
def production(settings, monkeypatch):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    monkeypatch.setattr(checks, "_database_engine", lambda: "django.db.backends.postgresql")
    # A run with Redis (CI's PostgreSQL run) keeps the jobs in a database of their own.
    settings.QUEUE_URL = "redis://queue.invalid:6379/1"
    return settings


def test_the_deploy_check_is_clean_on_a_production_configuration(production, db):
    assert deploy_errors() == set()


@pytest.mark.parametrize(
    ("name", "value", "error"),
    [
        ("DEBUG", True, "vanguard.E001"),
        ("SECURE_SSL_REDIRECT", False, "vanguard.E002"),
        ("SECURE_HSTS_SECONDS", 0, "vanguard.E003"),
        ("SESSION_COOKIE_SECURE", False, "vanguard.E004"),
        ("AUDIT_KEY", "", "vanguard.E006"),
    ],
)
def test_the_deploy_check_refuses_each_missing_setting(production, db, name, value, error):
    setattr(production, name, value)
    assert deploy_errors() == {error}


def test_the_deploy_check_refuses_the_embedded_database_in_production(production, monkeypatch, db):
    monkeypatch.setattr(checks, "_database_engine", lambda: "django.db.backends.sqlite3")
    assert deploy_errors() == {"vanguard.E005"}


@pytest.mark.parametrize(
    ("cache", "queue", "refused"),
    [
        ("redis://cache:6379/0", "redis://cache:6379/0", True),
        ("redis://cache:6379", "redis://cache:6379/0", True),
        ("redis://cache:6379/0", "redis://cache:6379/1", False),
        ("redis://cache:6379/0", "redis://queue:6379/0", False),
        ("", "", False),
    ],
)
def test_the_deploy_check_refuses_a_job_queue_in_the_caches_redis_database(
    production, db, cache, queue, refused
):
    production.REDIS_URL, production.QUEUE_URL = cache, queue
    assert deploy_errors() == ({"vanguard.E010"} if refused else set())


def test_the_deploy_check_refuses_the_demo_password_on_an_active_account(production, db):
    from tests.conftest import make_person

    user = make_person("secadmin", "安全员", role=Role.SECURITY_ADMIN)
    user.password = make_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    assert deploy_errors() == {"vanguard.E008"}
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert deploy_errors() == set()


def vanguard_check_deploy(tmp_path, **env):
    base = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "MPLCONFIGDIR": str(tmp_path),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src"),
        "VANGUARD_VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": "k7#Qp2!zR9@wL4$xN8%vB1^mT6&yH3*cJ5(eF0)gD-uS_aK+oI=rP",
    }
    command = [sys.executable, "-m", "vanguard.cli", "check", "--deploy", "--fail-level", "ERROR"]
    return subprocess.run(command, env={**base, **env}, capture_output=True, text=True, timeout=120)


def test_the_deploy_check_refuses_a_demo_like_start_in_a_subprocess(tmp_path):
    result = vanguard_check_deploy(tmp_path, DEBUG="1", VANGUARD_PRODUCTION="1")
    assert result.returncode != 0
    for error in ["E001", "E002", "E003", "E004", "E005", "E006"]:
        assert "vanguard." + error in result.stderr


@pytest.mark.django_db(transaction=True)
def test_the_deploy_check_is_clean_in_a_production_like_subprocess(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("a production-like start needs PostgreSQL (run with DATABASE_URL)")
    db = connection.settings_dict
    url = "postgres://{}@{}:{}/{}".format(db["USER"], db["HOST"], db["PORT"], db["NAME"])
    result = vanguard_check_deploy(
        tmp_path,
        DATABASE_URL=url,
        VANGUARD_PRODUCTION="1",
        SECURE_SSL_REDIRECT="1",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_COOKIES="1",
        AUDIT_KEY="a-separate-audit-key-kept-apart-from-the-secret",
        ALLOWED_HOSTS="vanguard.example.gov.cn",
    )
    assert result.returncode == 0, result.stderr
    assert "vanguard.E" not in result.stderr + result.stdout


def test_make_run_says_on_screen_that_it_is_the_demo():
    script = (Path(__file__).resolve().parents[2] / "scripts" / "run.sh").read_text()
    echoed = "\n".join(line for line in script.splitlines() if line.startswith("echo"))
    assert "演示账户共用一个密码" in echoed
    assert "不可用于生产" in echoed
    assert "not for production" in echoed
