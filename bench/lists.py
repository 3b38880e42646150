"""The units' lists at city scale: a unit's list page among 100,000 items, and their lights.

bench/run.py runs this in the city demo it generated (VANGUARD_VAR_DIR); on an empty
database (``--setup``) it loads the plan and the city's organisation itself. It tops
the lists up to ``--items`` items (100,000 by default) spread over the city's units,
each with a checkpoint per month to the end of October (1,000,000 checkpoints) and a
report per month up to August (most verified), written in bulk and kept; then it
prints one JSON line:

- ``page``: a unit's list page (``/lists/?unit=CODE``, as that unit's reporter and as
  the leader) and its page (``/org/units/CODE/``, where the list's rows show with the
  unit's other work), through Django's test Client; p50 of repeated requests, their
  query count and the database's share. Naive baseline: every item the person may see
  read into Python, filtered and sorted there, then the light, the next due date and
  the waiting reports read per shown row.
- ``lights``: the light recompute of the list items from none (in a transaction that is
  rolled back), beside the bare read of the judgement.

    python bench/lists.py [--setup] [--items N] [--part page|lights ...]
"""

import argparse
import datetime
import json
import os
import sys
from decimal import Decimal

sys.path.insert(0, os.path.dirname(__file__))

from city import Queries, median_ms, once_s  # noqa: E402

PARTS = ("page", "lights")
MONTHS = 10  # checkpoints January to October
REPORTED = 8  # reports January to August
TARGET_MS = 100


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", action="append", choices=PARTS)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--setup", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanguard.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    if args.setup:
        _setup()
    from vanguard.org.queries import current_campaign

    campaign = current_campaign(None)
    made = _top_up(campaign, args.items)
    parts = {"page": page, "lights": lights}
    results = {"counts": made}
    results.update({part: parts[part](campaign) for part in args.part or PARTS})
    print(json.dumps(results, ensure_ascii=False, default=str))


def _setup():
    """The plan and the city's organisation, on an empty database."""
    import random
    from pathlib import Path

    from django.core.management import call_command
    from django.db import transaction

    from vanguard.demo import org as org_demo
    from vanguard.org.access import SYSTEM
    from vanguard.org.models import Campaign, Unit
    from vanguard.plans.loader import load_plan

    call_command("migrate", verbosity=0)
    if Unit.objects.exists():
        return
    root = Path(__file__).resolve().parent.parent
    with transaction.atomic():
        load_plan(root / "plans" / "xihaian.yaml", actor=SYSTEM)
        org_demo.generate(random.Random(1), "city", Campaign.objects.get())


def _top_up(campaign, wanted):
    """Add items (with checkpoints and reports) until the campaign has ``wanted``."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from vanguard.calendar.periods import PeriodKind, periods_of_year
    from vanguard.core.bulk import insert_rows, reserve_ids, sqlite_cache
    from vanguard.lists.models import Checkpoint, ListItem, ProgressReport
    from vanguard.lists.periods import due_date
    from vanguard.org.choices import Role
    from vanguard.org.models import Person, RoleAssignment, Unit

    have = ListItem.objects.filter(campaign=campaign).count()
    if have >= wanted:
        return _counts(campaign)
    units = list(Unit.objects.exclude(code="zhb").order_by("pk").values_list("pk", "code"))
    heads = dict(Person.objects.order_by("-pk").values_list("unit_id", "pk"))
    reporters = dict(
        RoleAssignment.objects.filter(role=Role.UNIT_REPORTER)
        .order_by("-pk")
        .values_list("unit_id", "person__user_id")
    )
    verifier = (
        get_user_model()
        .objects.filter(person__roles__task_force__battle="citywork")
        .values_list("pk", flat=True)
        .first()
    )
    units = [(pk, code) for pk, code in units if pk in heads and pk in reporters]
    months = periods_of_year(PeriodKind.MONTH, campaign.year)[:MONTHS]
    dues = [due_date(campaign, month) for month in months]
    now = timezone.now()
    count = wanted - have
    ids = reserve_ids(ListItem, count)
    items, points, reports = [], [], []
    for n, pk in enumerate(ids):
        unit, code = units[n % len(units)]
        target = Decimal(100 + n % 50)
        pace = (0.3, 0.8, 1.0, 1.0, 1.0)[n % 5]
        done = Decimal(0)
        verified = None
        for k, (month, due) in enumerate(zip(months, dues, strict=True)):
            planned = (target * (k + 1) / MONTHS).quantize(Decimal(1))
            reached = None
            if k < REPORTED:
                done = (planned * Decimal(str(pace))).quantize(Decimal(1))
                state = "submitted" if k == REPORTED - 1 else "verified"
                reports.append(
                    (pk, month.label, month.start, done, state, reporters[unit], now, verifier)
                )
                if state == "verified":
                    verified = (done, month.label)
            if verified and verified[0] >= planned:
                reached = due
            points.append((pk, month.label, month.start, due, planned, reached))
        items.append(
            (
                pk,
                campaign.pk,
                "BL-{}-{:06d}".format(code.upper(), n),
                unit,
                "citywork",
                "城市更新清单事项{}".format(n),
                heads[unit],
                datetime.date(campaign.year, 12, 31),
                "monthly",
                "quantity",
                target,
                "个",
                verified[0] if verified else None,
                verified[1] if verified else "",
            )
        )
    with transaction.atomic(), sqlite_cache():
        insert_rows(
            ListItem,
            (
                "id",
                "campaign_id",
                "code",
                "unit_id",
                "battle",
                "requirement",
                "responsible_person_id",
                "deadline",
                "cadence",
                "measure",
                "target_quantity",
                "measuring_unit",
                "verified_quantity",
                "verified_period",
            ),
            items,
        )
        insert_rows(
            Checkpoint,
            ("item_id", "period", "period_start", "due_date", "planned_quantity", "reached_on"),
            points,
        )
        insert_rows(
            ProgressReport,
            (
                "item_id",
                "period",
                "period_start",
                "quantity",
                "state",
                "reported_by_id",
                "reported_at",
                "verified_by_id",
            ),
            reports,
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    from vanguard.supervision.lights import recompute

    recompute(campaign, today=_today(campaign))
    return _counts(campaign)


def _counts(campaign):
    from vanguard.lists.models import Checkpoint, ListItem, ProgressReport
    from vanguard.org.models import Unit

    return {
        "units": Unit.objects.count(),
        "items": ListItem.objects.filter(campaign=campaign).count(),
        "checkpoints": Checkpoint.objects.filter(item__campaign=campaign).count(),
        "reports": ProgressReport.objects.filter(item__campaign=campaign).count(),
    }


def _today(campaign):
    return datetime.date(campaign.year, 11, 3)


def _busiest_unit(campaign):
    from django.db.models import Count

    from vanguard.lists.models import ListItem
    from vanguard.org.choices import Role
    from vanguard.org.models import RoleAssignment

    reported = RoleAssignment.objects.filter(role=Role.UNIT_REPORTER).values("unit")
    row = (
        ListItem.objects.filter(campaign=campaign, unit__in=reported)
        .values("unit", "unit__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit")
        .first()
    )
    reporter = (
        RoleAssignment.objects.filter(role=Role.UNIT_REPORTER, unit=row["unit"])
        .select_related("person__user")
        .first()
        .person.user
    )
    return row["unit__code"], row["n"], reporter


def page(campaign):
    from django.contrib.auth import get_user_model
    from django.core.signals import request_started
    from django.db import reset_queries
    from django.test import Client

    request_started.disconnect(reset_queries)
    code, n, reporter = _busiest_unit(campaign)
    leader = get_user_model().objects.get(username="leader")
    rows = []
    for name, url, person in (
        ("a unit's list, as its reporter", "/lists/?unit=" + code, reporter),
        ("a unit's list, as the leader", "/lists/?unit=" + code, leader),
        ("the unit's page with its list", "/org/units/{}/".format(code), reporter),
    ):
        client = Client()
        client.force_login(person)

        def get(client=client, url=url):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit("{} answered {}".format(url, response.status_code))
            return response

        p50 = median_ms(get)
        with Queries() as queries:
            get()
        row = {
            "name": name,
            "url": url,
            "items_of_unit": n,
            "p50_ms": round(p50, 1),
            "target_ms": TARGET_MS,
            "queries": queries.count,
            "sql_ms": round(queries.sql_ms, 1),
        }
        if url.startswith("/lists/"):
            row["naive_ms"] = round(
                median_ms(lambda p=person: naive_list(p, campaign, code), 3, 1), 1
            )
        rows.append(row)
        print("lists page {}: {:.1f} ms".format(name, p50), file=sys.stderr)
    request_started.connect(reset_queries)
    return rows


def naive_list(person, campaign, code):
    """The list page's data the naive way: every visible item into Python, then per row."""
    from vanguard.lists.models import Checkpoint, ListItem, ProgressReport
    from vanguard.org import access
    from vanguard.supervision.models import LightState

    items = access.narrow_items(access.restrict(ListItem.objects.all(), person), person)
    mine = sorted(
        (i for i in items if i.campaign_id == campaign.pk and i.unit.code == code),
        key=lambda i: i.code,
    )
    shown = []
    for item in mine[:50]:
        state = LightState.objects.filter(kind="listitem", object_id=item.pk).first()
        due = (
            Checkpoint.objects.filter(item=item, reached_on__isnull=True)
            .order_by("due_date")
            .first()
        )
        waiting = ProgressReport.objects.filter(item=item, state="submitted").count()
        shown.append(
            (
                item.code,
                item.responsible_person.name,
                state.light if state else None,
                due.due_date if due else None,
                waiting,
            )
        )
    return len(mine), shown


def lights(campaign):
    """The recompute of every list item's light from none, and the bare judgement."""
    from django.db import transaction

    from vanguard.lists.lights import KIND
    from vanguard.supervision import lights as engine
    from vanguard.supervision.kinds import rules_for
    from vanguard.supervision.models import LightEvent, LightState

    today = _today(campaign)
    judging = engine.Judging.of(engine.policy_for(campaign), today)
    with transaction.atomic():
        LightEvent.objects.filter(campaign=campaign, kind=KIND).delete()
        LightState.objects.filter(campaign=campaign, kind=KIND).delete()
        first, events = once_s(
            lambda: engine._write(
                rules_for(KIND).judge(campaign, judging),
                kind=KIND,
                campaign=campaign,
                as_of=today,
                now=engine.timezone.now(),
            )
        )
        transaction.set_rollback(True)
    bare, judged = once_s(lambda: len(engine.judged(rules_for(KIND).judge(campaign, judging))))
    print("lists lights: {:.1f} s (bare {:.1f} s)".format(first, bare), file=sys.stderr)
    return {
        "first_s": round(first, 2),
        "events": events,
        "bare_read_s": round(bare, 2),
        "judged": judged,
    }


def report(found):
    """The section of docs/benchmarks.md on the units' lists (bench/run.py writes it)."""
    counts = found.get("counts") or {}
    lines = [
        "",
        "## City scale: the units' lists (SQLite)",
        "",
        "The city demo's lists topped up to {} items over {} units, with {} checkpoints and"
        " {} progress reports (most verified). Pages through Django's test Client, p50 of"
        " repeated requests. Naive baseline: every item the person may see read into"
        " Python, filtered and sorted there, then the light, the next due date and the"
        " waiting reports read per shown row.".format(
            counts.get("items", "?"),
            counts.get("units", "?"),
            counts.get("checkpoints", "?"),
            counts.get("reports", "?"),
        ),
        "",
        "| | figure | target | | baseline | ratio |",
        "|---|---:|---:|---|---:|---:|",
    ]
    for row in found.get("page") or []:
        naive = row.get("naive_ms")
        lines.append(
            "| {} `{}` ({} items; {} queries, SQL {:.0f} ms) | {:.0f} ms | < {} ms | {} | {} | {} |".format(
                row["name"],
                row["url"],
                row["items_of_unit"],
                row["queries"],
                row["sql_ms"],
                row["p50_ms"],
                row["target_ms"],
                _verdict(row["p50_ms"], row["target_ms"]),
                "{:.0f} ms".format(naive) if naive else "",
                _ratio(naive, row["p50_ms"]) if naive else "",
            )
        )
    judged = found.get("lights")
    if judged:
        lines.append(
            "| every item's light from none ({} items) | {:.2f} s | | | {:.2f} s (the bare"
            " judgement, read) | |".format(
                judged["judged"], judged["first_s"], judged["bare_read_s"]
            )
        )
    if not found:
        lines.append("| units' lists | did not run | | | | |")
    return lines


def _ratio(baseline, figure):
    return "{:.1f}×".format(baseline / figure) if baseline and figure else "—"


def _verdict(figure, target):
    return "met" if figure is not None and figure < target else "**missed**"


if __name__ == "__main__":
    main()
