"""`make bench`: run every benchmark in a fresh database each and write docs/benchmarks.md.

Each figure stands beside its baseline (the naive way of getting the same result) and
the ratio between them. Timings are wall-clock seconds on the machine described at the
top of the report; they are for comparison on one machine, not targets for tests.
"""

import datetime
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def run(script, *args, env_extra=None):
    """Run one benchmark script in its own empty database; return its JSON line."""
    var = tempfile.mkdtemp(prefix="vanguard-bench-", dir=ROOT / "var")
    env = {**os.environ, "VANGUARD_VAR_DIR": var, **(env_extra or {})}
    env.setdefault("SECRET_KEY", "bench-only")
    env.pop("DATABASE_URL", None)
    try:
        out = subprocess.run(
            [PYTHON, str(ROOT / "bench" / script), *args],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return json.loads(out.strip().splitlines()[-1])
    finally:
        shutil.rmtree(var, ignore_errors=True)


def machine():
    """What the figures ran on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = "{:.0f} GiB".format(kb / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def main():
    (ROOT / "var").mkdir(exist_ok=True)
    rows = []
    for scale in ("district", "city"):
        fast = run("demo_generation.py", "--scale", scale)
        naive = run("demo_generation.py", "--scale", scale, "--naive")
        rows.append((scale, fast, naive))
        print("demo {}: {:.2f}s (naive {:.2f}s)".format(scale, fast["seconds"], naive["seconds"]))
    info = machine()
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` ({}). Wall-clock seconds on one machine; each figure".format(
            datetime.date.today().isoformat()
        ),
        "stands beside its baseline, and the ratio says how many times faster it is.",
        "Shared machines are noisy: compare figures from one run, not across runs.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
    ]
    lines += ["| {} | {} |".format(k, v) for k, v in info.items()]
    lines += [
        "",
        "## Demo generation (`vanguard demo --seed 1`, SQLite)",
        "",
        "Loads the West Coast plan and creates units, accounts, people and roles, each",
        "logged in the change log. Baseline: the same organisation rows written the naive",
        "way, one ORM save and one log entry per row, each in its own transaction.",
        "",
        "| scale | units | people | log entries | bulk (s) | naive (s) | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for scale, fast, naive in rows:
        ratio = naive["seconds"] / fast["seconds"] if fast["seconds"] else float("inf")
        lines.append(
            "| {} | {} | {} | {} | {:.2f} | {:.2f} | {:.1f}× |".format(
                scale,
                fast["units"],
                fast["people"],
                fast["log_entries"],
                fast["seconds"],
                naive["seconds"],
                ratio,
            )
        )
    (ROOT / "docs" / "benchmarks.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("wrote docs/benchmarks.md")


if __name__ == "__main__":
    main()
