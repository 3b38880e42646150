"""The escalation ladder over a whole campaign at city scale (SQLite).

Builds, in the empty database bench/run.py gives it: 1,000 units, 100,000 subjects with
a light (30 % red for months, 10 % red since last week), 20,000 supervision orders in
every state and colour, 5,000 decided proposals and 1,000 exemptions. Then times one
run of ``supervision.orders.ladder.run_ladder`` as of 15 June 2026 (each run rolled
back, the median of three: the first run, which writes every proposal and rise with
its change-log entry), then the run of the night after (everything already proposed,
so it only judges), beside the naive way: subject by subject and order by
order, a query for each check, a save and a log entry for each proposal or rise. The
naive run is timed on a sample and scaled to the whole campaign; the ladder's own
result is checked against it on that sample.

    python bench/ladder.py [--sample N]
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time

from figures import ratio, verdict

SUBJECTS = 100_000
UNITS = 1_000
ORDERS = 20_000
TODAY = datetime.date(2026, 6, 15)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=2_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanguard.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    campaign = build()
    fast = [timed_ladder(campaign) for _ in range(3)]
    seconds = statistics.median(t for t, _r in fast)
    result = fast[0][1]
    naive_seconds, naive_count = timed_naive(campaign, args.sample)
    # The night after: the same facts, everything already proposed; the run only judges.
    from vanguard.supervision.orders.ladder import run_ladder

    run_ladder(campaign, today=TODAY)
    steady = statistics.median(timed_ladder(campaign)[0] for _ in range(3))
    print(
        json.dumps(
            {
                "subjects": SUBJECTS,
                "units": UNITS,
                "orders": ORDERS,
                "proposed": result.total_proposed,
                "escalated": result.escalated,
                "seconds": seconds,
                "steady_seconds": steady,
                "naive_sample": args.sample,
                "naive_sample_seconds": naive_seconds,
                "naive_seconds": naive_seconds * SUBJECTS / args.sample,
                "naive_proposed_in_sample": naive_count,
            }
        )
    )


def build():
    """The city-scale campaign, written in bulk (not through the actions: this is the data)."""
    import random

    from django.db import transaction
    from django.utils import timezone

    from vanguard.org.models import Campaign, Unit
    from vanguard.supervision.models import Exemption, LightState, Proposal, SupervisionOrder

    rng = random.Random(1)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            code="city-2026",
            name="城市攻坚行动",
            year=2026,
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2026, 12, 31),
        )
        Unit.objects.bulk_create(
            [Unit(code="u{:04d}".format(i), name="单位{:04d}".format(i)) for i in range(UNITS)],
            batch_size=1000,
        )
        units = list(Unit.objects.values_list("pk", flat=True))
        now = timezone.now()
        states = []
        for i in range(1, SUBJECTS + 1):
            draw = rng.random()
            light, since = "green", datetime.date(2026, 2, 1)
            if draw < 0.3:
                light, since = "red", datetime.date(2026, 3, 1) + datetime.timedelta(days=i % 60)
            elif draw < 0.4:
                light, since = "red", datetime.date(2026, 6, 8)
            states.append(
                LightState(
                    campaign=campaign,
                    kind="project",
                    object_id=i,
                    unit_id=units[i % UNITS],
                    light=light,
                    reason="behind",
                    params={},
                    since=now,
                    since_date=since,
                )
            )
        LightState.objects.bulk_create(states, batch_size=2000)
        orders = []
        for n in range(1, ORDERS + 1):
            issued = datetime.date(2026, 4, 1) + datetime.timedelta(days=rng.randint(0, 70))
            due = issued + datetime.timedelta(days=7)
            orders.append(
                SupervisionOrder(
                    campaign=campaign,
                    year=2026,
                    serial=n,
                    number="督办〔2026〕{}号".format(n),
                    subject_kind="project",
                    object_id=rng.randint(1, SUBJECTS),
                    subject_label="P{}".format(n),
                    unit_id=units[n % UNITS],
                    problem="滞后",
                    requirement="整改",
                    colour=rng.choice(["blue", "yellow", "red"]),
                    state=rng.choice(["issued", "signed", "answered", "returned", "closed"]),
                    issued_at=timezone.make_aware(
                        datetime.datetime.combine(issued, datetime.time(9))
                    ),
                    answer_working_days=5,
                    due_date=due,
                    clock_from=due,
                )
            )
        SupervisionOrder.objects.bulk_create(orders, batch_size=2000)
        Proposal.objects.bulk_create(
            [
                Proposal(
                    campaign=campaign,
                    kind="order",
                    subject_kind="project",
                    object_id=rng.randint(1, SUBJECTS),
                    unit_id=units[i % UNITS],
                    colour="red",
                    rule="red_running",
                    state="dismissed",
                    decided_at=now,
                    decision_reason="已督促",
                    proposed_at=now - datetime.timedelta(days=rng.randint(1, 90)),
                )
                for i in range(5_000)
            ],
            batch_size=2000,
        )
        Exemption.objects.bulk_create(
            [
                Exemption(
                    campaign=campaign,
                    subject_kind="project",
                    object_id=rng.randint(1, SUBJECTS),
                    subject_label="P",
                    ground="force_majeure",
                    explanation="台风",
                    evidence="exemptions/x.pdf",
                    evidence_sha256="0" * 64,
                    valid_from=datetime.date(2026, 6, 1),
                    valid_until=datetime.date(2026, 6, 30),
                )
                for _ in range(1_000)
            ],
            batch_size=1000,
        )
    return campaign


def timed_ladder(campaign):
    from django.db import transaction

    from vanguard.supervision.orders.ladder import run_ladder

    with transaction.atomic():
        started = time.perf_counter()
        result = run_ladder(campaign, today=TODAY)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed, result


def timed_naive(campaign, sample):
    """The naive ladder on the first ``sample`` subjects (and their share of the orders)."""
    from django.db import transaction

    from vanguard.audit.choices import ChangeAction
    from vanguard.audit.log import Change, record_changes, snapshot
    from vanguard.calendar.due import working_day_after
    from vanguard.calendar.services import load_calendar
    from vanguard.org.access import SYSTEM
    from vanguard.supervision.models import (
        Exemption,
        LightState,
        OrderStep,
        Proposal,
        SupervisionOrder,
    )
    from vanguard.supervision.orders.actions import current_rules
    from vanguard.supervision.orders.ladder import red_cutoff

    with transaction.atomic():
        started = time.perf_counter()
        _version, rules = current_rules(campaign)
        cutoff = red_cutoff(TODAY, 2, "month")
        proposed = 0
        for state in LightState.objects.filter(campaign=campaign, object_id__lte=sample):
            if state.light != "red" or state.since_date > cutoff:
                continue
            key = {"subject_kind": state.kind, "object_id": state.object_id}
            if Exemption.objects.filter(
                campaign=campaign, valid_from__lte=TODAY, valid_until__gte=TODAY, **key
            ).exists():
                continue
            if Proposal.objects.filter(
                campaign=campaign, kind="order", proposed_at__date__gte=state.since_date, **key
            ).exists():
                continue
            if (
                SupervisionOrder.objects.filter(campaign=campaign, **key)
                .exclude(state="closed")
                .exists()
            ):
                continue
            if SupervisionOrder.objects.filter(
                campaign=campaign, issued_at__date__gte=state.since_date, **key
            ).exists():
                continue
            proposal = Proposal.objects.create(
                campaign=campaign,
                kind="order",
                colour="red",
                rule="red_running",
                unit_id=state.unit_id,
                **key,
            )
            record_changes(
                [Change(proposal, ChangeAction.CREATE, after=snapshot(proposal))], actor=SYSTEM
            )
            proposed += 1
        calendar = load_calendar()
        share = SupervisionOrder.objects.filter(
            campaign=campaign, object_id__lte=sample, state__in=["issued", "signed", "returned"]
        ).exclude(colour="red")
        for order in share:
            rise = working_day_after(order.clock_from, calendar, rules["grace_working_days"]).day
            if rise > TODAY:
                continue
            before = snapshot(order)
            order.colour = {"blue": "yellow", "yellow": "red"}[order.colour]
            order.clock_from = TODAY
            order.save(update_fields=["colour", "clock_from"])
            OrderStep.objects.create(order=order, kind="escalated", at=order.issued_at)
            record_changes(
                [Change(order, ChangeAction.UPDATE, before, snapshot(order))], actor=SYSTEM
            )
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed, proposed


def report(found):
    """The escalation ladder over a city-scale campaign (bench/ladder.py)."""
    lines = [
        "",
        "## City scale: the escalation ladder (`supervision.orders.ladder.run_ladder`, SQLite)",
        "",
        "100,000 subjects with a light (30 % red for months, 10 % red since last week), 1,000",
        "units, 20,000 orders in every state and colour, 5,000 decided proposals, 1,000",
        "exemptions, as of 15 June 2026. The first run proposes every matter at once and",
        "raises every overdue order, each with its change-log entry; the night after, with",
        "the same facts, it only judges. Baseline: subject by subject and order by order, a",
        "query per check and a save and log entry per proposal or rise, timed on the first",
        "2,000 subjects and their orders and scaled. Target: the whole campaign under 10 s.",
        "The proposals, rises, steps and change-log entries are written as rows, the entries",
        "through the change log's bulk append (`audit.log.append_entries`).",
        "",
        "| run | proposals | colour rises | ladder (s) | naive (s) | ratio | target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    if not found:
        return [*lines, "| did not finish | | | | | | |"]
    lines.append(
        "| first run | {} | {} | {:.2f} | {:.0f} | {} | {} |".format(
            found["proposed"],
            found["escalated"],
            found["seconds"],
            found["naive_seconds"],
            ratio(found["naive_seconds"], found["seconds"]),
            verdict(found["seconds"], 10),
        )
    )
    lines.append(
        "| the night after | 0 | 0 | {:.2f} | | | {} |".format(
            found["steady_seconds"], verdict(found["steady_seconds"], 10)
        )
    )
    return lines


if __name__ == "__main__":
    sys.exit(main())
