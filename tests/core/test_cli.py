"""The console command works as the README types it, with the key `make run` wrote."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import vanguard

SRC = Path(vanguard.__file__).resolve().parent.parent


def vanguard_command(*args, cwd, var_dir):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "SECRET_KEY_FILE", "DATABASE_URL", "REDIS_URL"}
        and not key.startswith(("DJANGO_", "PYTEST"))
    }
    env["PYTHONPATH"] = str(SRC)
    env["VANGUARD_VAR_DIR"] = str(var_dir)
    return subprocess.run(
        [sys.executable, "-m", "vanguard.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_command_reads_the_generated_key_when_no_variable_is_set(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    (var / "secret_key").write_text(secrets.token_urlsafe(50) + "\n")

    migrated = vanguard_command("migrate", "-v", "0", cwd=tmp_path, var_dir=var)
    assert migrated.returncode == 0, migrated.stderr
    listed = vanguard_command("periods", "--year", "2026", cwd=tmp_path, var_dir=var)

    assert listed.returncode == 0, listed.stderr
    assert "2026-12" in listed.stdout
    assert "SECRET_KEY" not in listed.stderr


def test_without_a_key_anywhere_it_says_what_to_do(tmp_path):
    var = tmp_path / "var"
    var.mkdir()

    listed = vanguard_command("periods", "--year", "2026", cwd=tmp_path, var_dir=var)

    assert listed.returncode != 0
    assert "make run" in listed.stderr
    assert "secret_key" in listed.stderr
    assert "Traceback" not in listed.stderr
