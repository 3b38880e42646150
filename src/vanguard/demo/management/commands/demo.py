"""``vanguard demo``: deterministic synthetic data for a district, a city or a province."""

import argparse
import datetime
import random
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from vanguard.demo import bulletins as bulletins_demo
from vanguard.demo import cases as cases_demo
from vanguard.demo import city_geo, city_renewal
from vanguard.demo import enterprises as enterprises_demo
from vanguard.demo import indicators as indicators_demo
from vanguard.demo import lists as lists_demo
from vanguard.demo import orders as orders_demo
from vanguard.demo import org as org_demo
from vanguard.demo import patrols as patrols_demo
from vanguard.demo import projects as projects_demo
from vanguard.demo import province as province_demo
from vanguard.demo import talks as talks_demo
from vanguard.demo import volunteers as volunteers_demo
from vanguard.org.models import Campaign, Unit
from vanguard.supervision.lights import recompute

DEFAULT_PLAN = Path(settings.PROJECT_DIR) / "plans" / "xihaian.yaml"


class Command(BaseCommand):
    help = "Load the West Coast plan and generate demo data (district, city or province scale)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["district", "city", "province"],
            default="district",
            help="province: 10,000 units, a million projects (PostgreSQL only)",
        )
        parser.add_argument(
            "--province-factor",
            type=_factor,
            default=1.0,
            help="scale every count of the province by this factor (0 < F <= 1), to try it"
            " out or test it small",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--plan", default=str(DEFAULT_PLAN), help="plan file to load first")
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="the day the demo is generated as of (YYYY-MM-DD; default: today, at most the"
            " campaign's last day); nothing is dated after it",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (but list the demo accounts) when data is already there",
        )

    def handle(self, *args, scale, seed, plan, if_empty, today=None, **options):
        from vanguard.org.access import SYSTEM
        from vanguard.plans.loader import load_plan

        if scale == "province" and connection.vendor != "postgresql":
            raise CommandError(province_demo.REFUSAL.format(vendor=connection.vendor))
        if Unit.objects.exists():
            if if_empty:
                self.stdout.write("数据已存在，跳过演示数据生成 / data present, demo skipped.")
                self._print_accounts(org_demo.ACCOUNTS)
                return
            raise CommandError(
                "数据库中已有单位数据，演示数据只能生成到空数据库 / "
                "the database already holds units; demo data goes into an empty database."
            )
        started = time.perf_counter()
        if scale == "province":
            self._province(seed, plan, today, options["province_factor"])
            return
        rng = random.Random(seed)
        with transaction.atomic():
            load_plan(Path(plan), actor=SYSTEM)
            campaign = Campaign.objects.order_by("-year").first()
            accounts = org_demo.generate(rng, scale, campaign)
            # Grids (网格) of every town and street, from the shipped boundaries.
            city_geo.generate(scale)
            today = min(today or timezone.localdate(), campaign.end_date)
            projects_demo.generate(rng, scale, campaign, today)
            indicators_demo.generate(rng, scale, campaign, today)
            enterprises_demo.generate(rng, scale, campaign, today)
            # A year of city cases, on a stream of its own; before the bulletins, which
            # count them.
            cases_demo.generate(random.Random("cases-{}".format(seed)), scale, campaign, today)
            # Patrols and volunteer activities, which found some of those cases; each on a
            # stream of its own.
            patrols_demo.generate(random.Random("patrols-{}".format(seed)), scale, campaign, today)
            volunteers_demo.generate(
                random.Random("volunteers-{}".format(seed)), scale, campaign, today
            )
            # Month-end lights and an issued bulletin for each past month.
            bulletins_demo.generate(campaign, today)
            # A stream of its own, so the generators before and after it draw as they did.
            lists_demo.generate(random.Random("lists-{}".format(seed)), scale, campaign, today)
            # The third battle's weekly work, on a stream of its own as well.
            city_renewal.generate(
                random.Random("city-renewal-{}".format(seed)), scale, campaign, today
            )
            # Lights as the nightly job would leave them, so the first page shows them.
            recompute(campaign, today)
            # Supervision orders read the lights: made once the lights are there.
            orders_demo.generate(rng, scale, campaign, today)
            # Talks and referrals follow the lights too.
            talks_demo.generate(rng, scale, campaign, today)
        # Fresh statistics for every table just filled, so the pages' queries plan well
        # from the first request: a PostgreSQL server analyzes a table only once
        # autovacuum gets to it, and not at all where autovacuum is off.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"演示数据已生成 / demo data generated: scale={scale} seed={seed} in {elapsed:.1f}s"
        )
        self._print_accounts(accounts)

    def _province(self, seed, plan, today, factor):
        """The province on PostgreSQL: each table streamed through COPY, in one transaction."""
        from vanguard.org.access import SYSTEM
        from vanguard.plans.loader import load_plan

        started = time.perf_counter()

        def step(table, rows, seconds):
            self.stdout.write(f"  {table:<36} {rows:>12,} {seconds:>9.1f}s")

        with transaction.atomic():
            load_plan(Path(plan), actor=SYSTEM)
            campaign = Campaign.objects.order_by("-year").first()
            today = min(today or timezone.localdate(), campaign.end_date)
            province_demo.generate(seed, campaign, today, factor=factor, step=step)
            committing = time.perf_counter()
        step("commit", 0, time.perf_counter() - committing)
        analyzing = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        step("analyze", 0, time.perf_counter() - analyzing)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"演示数据已生成 / demo data generated: scale=province factor={factor} seed={seed}"
            f" in {elapsed:.1f}s"
        )
        self._print_accounts(org_demo.ACCOUNTS)

    def _print_accounts(self, accounts):
        self.stdout.write(f"\n演示账户 / demo accounts (password: {org_demo.DEMO_PASSWORD}):")
        for username, post, role in accounts:
            self.stdout.write(f"  {username:<15} {str(role):<14} {post}")


def _factor(text):
    """A share of the full province: a number above 0 and at most 1."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(
            "应为 0 到 1 之间的数 / must be a number above 0 and at most 1: {!r}".format(text)
        )
    return value
