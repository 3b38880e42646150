"""The third battle's weekly work at city scale: the weekly summary and its lights.

bench/run.py runs this in a database of its own (``--setup`` loads the plan and the
city's organisation). It adds ``--projects`` renewal projects (6,000 by default: the
plan's 627 a year in each of the city's ten districts) spread over the streets, each
with a weekly report for every week from its start to last week (most verified), and
the 13 city-management campaigns of each district (130) with their weeks planned and
reported, all written in bulk; then it prints one JSON line:

- ``summary``: the weekly summary (周落实) of last week, as the office reads it
  (``citywork.queries.weekly.weekly_summary``), p50 of repeated calls and its query
  count. Naive baseline: each campaign's week and sums and each project's report of the
  week and its start read per row, summed in Python.
- ``lights``: each of the three kinds' judging query (renewal projects, campaigns,
  places) read whole, as the recompute runs it.

    python bench/city_renewal.py [--setup] [--projects N]
"""

import argparse
import datetime
import json
import os
import sys
from decimal import Decimal

sys.path.insert(0, os.path.dirname(__file__))

from city import Queries, median_ms, once_s  # noqa: E402

TARGET_S = 5
CAMPAIGNS_PER_DISTRICT = 13


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=6000)
    parser.add_argument("--setup", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanguard.settings")
    import django

    django.setup()
    if args.setup:
        _setup()
    from django.utils import timezone

    from vanguard.org.queries import current_campaign

    campaign = current_campaign(None)
    today = min(timezone.localdate(), campaign.end_date)
    counts = _top_up(campaign, args.projects, today)
    results = {"counts": counts, "summary": summary(campaign, today), "lights": lights(campaign)}
    print(json.dumps(results, ensure_ascii=False, default=str))


def _setup():
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


def _people():
    from vanguard.org.choices import Role, UnitKind
    from vanguard.org.models import Person, RoleAssignment, Unit

    units = list(
        Unit.objects.filter(kind=UnitKind.STREET).order_by("pk").values_list("pk", flat=True)
    )
    heads = dict(Person.objects.order_by("-pk").values_list("unit_id", "pk"))
    reporters = dict(
        RoleAssignment.objects.filter(role=Role.UNIT_REPORTER)
        .order_by("-pk")
        .values_list("unit_id", "person__user_id")
    )
    return [u for u in units if u in heads and u in reporters], heads, reporters


def _top_up(campaign, wanted, today):
    """Renewal projects with every week reported, and the campaigns with their weeks."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from vanguard.citywork.actions.campaigns import do_create_city_campaign
    from vanguard.citywork.models import (
        CampaignReport,
        CampaignWeek,
        CityCampaign,
        RenewalKind,
        RenewalProject,
        RenewalReport,
    )
    from vanguard.citywork.weeks import WeekDue, weeks_between
    from vanguard.core.bulk import insert_rows, reserve_ids, sqlite_cache

    have = RenewalProject.objects.filter(campaign=campaign).count()
    if have < wanted:
        units, heads, reporters = _people()
        kinds = list(RenewalKind.objects.values_list("pk", flat=True))
        verifier = (
            get_user_model()
            .objects.filter(person__roles__task_force__battle="citywork")
            .values_list("pk", flat=True)
            .first()
        )
        week_due = WeekDue(campaign)
        last = today - datetime.timedelta(days=7)
        now = timezone.now()
        ids = reserve_ids(RenewalProject, wanted - have)
        projects, reports = [], []
        for n, pk in enumerate(ids):
            unit = units[n % len(units)]
            start = campaign.start_date + datetime.timedelta(days=(n * 7) % 240)
            end = start + datetime.timedelta(days=200 + n % 150)
            lon, lat = 119.9 + (n % 97) / 400, 35.8 + (n % 89) / 400
            started = start <= last
            projects.append(
                (
                    pk,
                    campaign.pk,
                    "BR-{:06d}".format(n),
                    "城市更新项目{}".format(n),
                    kinds[n % len(kinds)],
                    unit,
                    heads[unit],
                    start,
                    end,
                    "started" if started else "planned",
                    start if started else None,
                    0,
                    "",
                    1,
                    now,
                    now,
                    {"type": "Point", "coordinates": [lon, lat]},
                    lon,
                    lat,
                    lon,
                    lat,
                    lon,
                    lat,
                )
            )
            if not started:
                continue
            weeks = weeks_between(start, last)
            for k, week in enumerate(weeks):
                verified = k < len(weeks) - 1 or n % 3
                reports.append(
                    (
                        pk,
                        week.label,
                        week.start,
                        week_due(week),
                        "verified" if verified else "submitted",
                        reporters[unit],
                        now,
                        verifier if verified else None,
                        now if verified else None,
                        min(99, 2 * (k + 1)),
                        start if k == 0 else None,
                    )
                )
        with transaction.atomic(), sqlite_cache():
            insert_rows(
                RenewalProject,
                (
                    "id",
                    "campaign_id",
                    "code",
                    "name",
                    "kind_id",
                    "lead_unit_id",
                    "responsible_person_id",
                    "planned_start",
                    "planned_completion",
                    "stage",
                    "actual_start",
                    "progress_percent",
                    "verified_period",
                    "version",
                    "created_at",
                    "updated_at",
                    "geometry",
                    "lon",
                    "lat",
                    "min_lon",
                    "min_lat",
                    "max_lon",
                    "max_lat",
                ),
                projects,
            )
            insert_rows(
                RenewalReport,
                (
                    "project_id",
                    "period",
                    "period_start",
                    "due_date",
                    "state",
                    "reported_by_id",
                    "reported_at",
                    "verified_by_id",
                    "verified_at",
                    "progress_percent",
                    "started_on",
                ),
                reports,
            )
    if not CityCampaign.objects.filter(campaign=campaign).exists():
        units, heads, reporters = _people()
        office = get_user_model().objects.get(username="office")
        for n in range(CAMPAIGNS_PER_DISTRICT * 10):
            _campaign(campaign, n, units[n % len(units)], heads, office, do_create_city_campaign)
        now = timezone.now()
        weeks = CampaignWeek.objects.filter(
            city_campaign__campaign=campaign, due_date__lt=today
        ).values_list(
            "city_campaign_id", "period", "period_start", "due_date", "city_campaign__lead_unit_id"
        )
        rows = [
            (c, period, start, due, "verified", reporters[unit], now, 95)
            for c, period, start, due, unit in weeks
        ]
        with transaction.atomic(), sqlite_cache():
            insert_rows(
                CampaignReport,
                (
                    "city_campaign_id",
                    "period",
                    "period_start",
                    "due_date",
                    "state",
                    "reported_by_id",
                    "reported_at",
                    "quantity",
                ),
                rows,
            )
            CampaignWeek.objects.filter(
                city_campaign__campaign=campaign, due_date__lt=today
            ).update(verified=95)
    return {
        "projects": RenewalProject.objects.filter(campaign=campaign).count(),
        "reports": RenewalReport.objects.filter(project__campaign=campaign).count(),
        "campaigns": CityCampaign.objects.filter(campaign=campaign).count(),
        "campaign_reports": CampaignReport.objects.filter(city_campaign__campaign=campaign).count(),
    }


def _campaign(campaign, n, unit, heads, office, create):
    from vanguard.org.models import Person

    head = Person.objects.select_related("unit").get(pk=heads[unit])
    create(
        campaign,
        code="BC-{:03d}".format(n),
        name="整治行动{}".format(n),
        lead_unit=head.unit,
        responsible_person=head,
        measure="结案件数",
        measuring_unit="件",
        weekly_target=Decimal(100),
        start_date=campaign.start_date,
        end_date=campaign.end_date,
        actor=office,
    )


def summary(campaign, today):
    from django.contrib.auth import get_user_model

    from vanguard.citywork.queries.weekly import weekly_summary
    from vanguard.citywork.weeks import week_of

    office = get_user_model().objects.get(username="office")
    week = week_of(today).previous()
    with Queries() as queries:
        weekly_summary(office, campaign, week)
    p50 = median_ms(lambda: weekly_summary(office, campaign, week), repeat=5, warm=1)
    naive_s, _ = once_s(lambda: _naive(campaign, week))
    return {
        "week": week.label,
        "p50_ms": p50,
        "queries": queries.count,
        "naive_ms": naive_s * 1000,
        "target_s": TARGET_S,
    }


def _naive(campaign, week):
    """The same figures read per row: each campaign's weeks, each project's reports."""
    from vanguard.citywork.models import CampaignWeek, CityCampaign, RenewalProject, RenewalReport

    totals = {}
    for city_campaign in CityCampaign.objects.filter(campaign=campaign):
        weeks = list(
            CampaignWeek.objects.filter(city_campaign=city_campaign, period_start__lte=week.start)
        )
        totals[city_campaign.code] = (
            sum(w.planned for w in weeks),
            sum(w.verified or 0 for w in weeks),
        )
    kinds = {}
    for project in RenewalProject.objects.filter(campaign=campaign):
        report = RenewalReport.objects.filter(project=project, period=week.label).first()
        started = RenewalReport.objects.filter(
            project=project, started_on__isnull=False, period_start__lte=week.start
        ).exists()
        row = kinds.setdefault(project.kind_id, [0, 0, 0])
        row[0] += report is not None
        row[1] += bool(report and report.state == "verified")
        row[2] += started
    return totals, kinds


def lights(campaign):
    from django.utils import timezone

    from vanguard.citywork import lights as city_lights
    from vanguard.supervision.kinds import rules_for
    from vanguard.supervision.lights import Judging, judged, policy_for

    judging = Judging.of(policy_for(campaign), min(timezone.localdate(), campaign.end_date))
    found = {}
    for kind in (city_lights.RENEWAL, city_lights.CAMPAIGN, city_lights.PLACE):
        seconds, rows = once_s(lambda kind=kind: judged(rules_for(kind).judge(campaign, judging)))
        found[kind] = {"rows": len(rows), "seconds": seconds}
    return found


def report(found):
    """The section of docs/benchmarks.md on the weekly work (bench/run.py writes it)."""
    if not found:
        return []
    counts, summary_row = found.get("counts") or {}, found.get("summary") or {}
    lines = [
        "",
        "## City scale: the third battle's weekly work (SQLite)",
        "",
        "{projects} renewal projects with {reports} weekly reports (every week from their"
        " start, most verified) and {campaigns} city-management campaigns with {campaign_reports}"
        " weekly reports. Naive baseline: each campaign's weeks and each project's report of"
        " the week and its start read per row, summed in Python.".format(**counts),
        "",
        "| | figure | target | | baseline | ratio |",
        "|---|---:|---:|---|---:|---:|",
    ]
    p50, naive = summary_row.get("p50_ms"), summary_row.get("naive_ms")
    if p50 is not None:
        lines.append(
            "| the weekly summary of {} ({} queries) | {:.0f} ms | < {} s | {} | {:.0f} ms | {} |".format(
                summary_row["week"],
                summary_row["queries"],
                p50,
                summary_row["target_s"],
                "met" if p50 < summary_row["target_s"] * 1000 else "**missed**",
                naive,
                "{:.1f}×".format(naive / p50) if p50 else "—",
            )
        )
    for kind, row in (found.get("lights") or {}).items():
        lines.append(
            "| the `{}` lights' judging query ({} subjects) | {:.2f} s | | | | |".format(
                kind, row["rows"], row["seconds"]
            )
        )
    return lines


if __name__ == "__main__":
    main()
