"""The cockpit and the display board at scale: the cockpit page, the board's data refresh,
and the board's JS heap over hundreds of refreshes in headless Chromium.

bench/run.py runs it in the city demo it generated (VANGUARD_VAR_DIR); it prints one JSON
line. Parts:

- ``cockpit``: the landing page for the leader (every target's standing, the ranking, the
  week's changes) through Django's test Client, median of repeated requests. Baseline: the
  same standings worked out one target at a time (each target's provider called alone).
- ``refresh``: the board's data (every page at once) through a kiosk link. Baseline: the
  same, one target at a time. Target (issue 13): < 200 ms per page.
- ``heap``: a gunicorn server on the demo, Chromium (Debian's) opens a kiosk link that
  refreshes every 0.2 s and rotates every 0.3 s; the JS heap after a forced garbage
  collection at 10 refreshes and at 500. Target: within 10 % of each other.

    python bench/board.py [--part cockpit|refresh|heap ...] [--refreshes 500]
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))

from city import median_ms  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("cockpit", "refresh", "heap")
REFRESH_TARGET_MS = 200
COCKPIT_TARGET_MS = 150


def one_at_a_time(campaign, user, today):
    """The naive standings: each target's provider called for that target alone."""
    from vanguard.targets.models import Target
    from vanguard.targets.standings import standings_of

    found = {}
    for target in Target.objects.filter(campaign=campaign).prefetch_related("checkpoints"):
        found.update(standings_of(campaign, [target], user, today))
    return found


def cockpit_part(campaign):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    leader = get_user_model().objects.get(username="leader")
    client = Client()
    client.force_login(leader)

    def page():
        response = client.get("/")
        assert response.status_code == 200, response.status_code

    ms = median_ms(page, repeat=9)
    naive = median_ms(lambda: one_at_a_time(campaign, leader, timezone.localdate()), repeat=5)
    return {"page_ms": ms, "naive_standings_ms": naive, "target_ms": COCKPIT_TARGET_MS}


def refresh_part(campaign):
    from django.test import Client
    from django.utils import timezone

    from vanguard.board.screen_data import screen_data
    from vanguard.board.screens import do_issue_link, key_of
    from vanguard.org.access import SYSTEM

    link = do_issue_link("bench", campaign, actor=SYSTEM)
    client = Client()
    url = "/board/screen/data/?k=" + key_of(link)
    pages = len(screen_data(campaign)["pages"])

    def refresh():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    ms = median_ms(refresh, repeat=9)
    naive = median_ms(lambda: one_at_a_time(campaign, SYSTEM, timezone.localdate()), repeat=5)
    return {
        "all_pages_ms": ms,
        "pages": pages,
        "per_page_ms": ms / pages,
        "naive_standings_ms": naive,
        "target_ms": REFRESH_TARGET_MS,
    }


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def heap_part(campaign, refreshes):
    from vanguard.board.screens import do_issue_link, key_of
    from vanguard.org.access import SYSTEM

    chromium = shutil.which("chromium")
    if chromium is None:
        return {"skipped": "chromium is not installed"}
    link = do_issue_link("bench-heap", campaign, actor=SYSTEM)
    port = free_port()
    env = {**os.environ}
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [str(bin_dir / "vanguard"), "collectstatic", "--noinput", "-v", "0"], env=env, check=True
    )
    server = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "vanguard.wsgi:application", "--bind",
         "127.0.0.1:{}".format(port), "--workers", "2", "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        from playwright.sync_api import sync_playwright

        url = "http://127.0.0.1:{}/board/screen/?k={}&refresh=0.2&rotate=0.3".format(
            port, key_of(link)
        )
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium,
                args=["--headless=new", "--no-sandbox", "--disable-gpu",
                      "--js-flags=--expose-gc", "--enable-precise-memory-info"],
            )  # fmt: skip
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.goto(url)
            started = time.perf_counter()
            early = heap_at(page, 10)
            late = heap_at(page, refreshes)
            seconds = time.perf_counter() - started
            rotations = page.evaluate("() => window.vgBoard.rotations")
            failures = page.evaluate("() => window.vgBoard.failures")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return {
        "heap_at_10_mb": early / 1e6,
        "heap_at_n_mb": late / 1e6,
        "refreshes": refreshes,
        "rotations": rotations,
        "failures": failures,
        "growth_pct": 100 * (late - early) / early,
        "seconds": seconds,
    }


def heap_at(page, refreshes):
    """The JS heap after a garbage collection, once the board has refreshed ``refreshes`` times."""
    while page.evaluate("() => window.vgBoard ? window.vgBoard.refreshes : 0") < refreshes:
        page.wait_for_timeout(200)
    page.evaluate("() => { window.gc(); window.gc(); }")
    page.wait_for_timeout(300)
    return page.evaluate("() => performance.memory.usedJSHeapSize")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", action="append", choices=PARTS)
    parser.add_argument("--refreshes", type=int, default=500)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanguard.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from vanguard.org.queries import current_campaign

    campaign = current_campaign(None)
    parts = {
        "cockpit": cockpit_part,
        "refresh": refresh_part,
        "heap": lambda c: heap_part(c, args.refreshes),
    }
    results = {part: parts[part](campaign) for part in args.part or PARTS}
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()


def report(found):
    """The section of docs/benchmarks.md (bench/run.py writes it)."""
    from figures import ratio, verdict

    found = found or {}
    lines = [
        "",
        "## City scale: the cockpit and the display board (SQLite)",
        "",
        "`bench/board.py`. *Cockpit*: the landing page for the leader (every target's actual,",
        "checkpoint, gap, light and trend, the units lagging most, the week's changes), median",
        "of 9. *Board refresh*: the board's data for all its pages at once through a kiosk",
        "link, median of 9, and per page. Naive: the targets' standings worked out one target",
        "at a time. *Heap*: Chromium (headless, 1920 × 1080) on a kiosk link refreshing every",
        "0.2 s and rotating every 0.3 s; the JS heap after a forced garbage collection at 10",
        "refreshes and at the last.",
        "",
        "| figure | ms | target | | naive standings (ms) | ratio |",
        "|---|---:|---:|---|---:|---:|",
    ]
    cockpit = found.get("cockpit")
    if cockpit:
        lines.append(
            "| cockpit page | {:.0f} | < {} | {} | {:.0f} | {} |".format(
                cockpit["page_ms"],
                COCKPIT_TARGET_MS,
                verdict(cockpit["page_ms"], COCKPIT_TARGET_MS),
                cockpit["naive_standings_ms"],
                ratio(cockpit["naive_standings_ms"], cockpit["page_ms"]),
            )
        )
    refresh = found.get("refresh")
    if refresh:
        lines.append(
            "| board refresh, {} pages | {:.0f} | | | {:.0f} | {} |".format(
                refresh["pages"],
                refresh["all_pages_ms"],
                refresh["naive_standings_ms"],
                ratio(refresh["naive_standings_ms"], refresh["all_pages_ms"]),
            )
        )
        lines.append(
            "| board refresh, per page | {:.0f} | < {} | {} | | |".format(
                refresh["per_page_ms"],
                REFRESH_TARGET_MS,
                verdict(refresh["per_page_ms"], REFRESH_TARGET_MS),
            )
        )
    heap = found.get("heap")
    if heap and "skipped" not in heap:
        growth = heap["growth_pct"]
        lines += [
            "",
            "| JS heap after 10 refreshes | after {} | change | target | |".format(
                heap["refreshes"]
            ),
            "|---:|---:|---:|---:|---|",
            "| {:.2f} MB | {:.2f} MB | {:+.1f} % | at most +10 % | {} |".format(
                heap["heap_at_10_mb"],
                heap["heap_at_n_mb"],
                growth,
                "met" if growth <= 10 else "**missed**",
            ),
            "",
            "{} rotations and {} failed refreshes in {:.0f} s.".format(
                heap["rotations"], heap["failures"], heap["seconds"]
            ),
        ]
    elif not (cockpit or refresh):
        lines.append("| did not run | | | | | |")
    return lines
