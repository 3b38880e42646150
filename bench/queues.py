"""City scale: each role's work queue (待办), the API and the landing page's share.

(Named queues.py: a script named queue.py beside its imports would hide the standard
library's queue module.)

bench/run.py generates the city demo (VANGUARD_VAR_DIR) and this script runs in it; it
prints one JSON line. For each demo account (a unit's reporter, the projects task
force, the office, the discipline inspector, the leader) it reads ``GET /api/v1/queue``
through Django's test Client (URLs, middleware, view, JSON): the median (p50) of
repeated requests after two warm-up ones, with the request's query count and the
database's share. Naive baseline: the same kinds and counts the per-item way: every
row the role may act on read into Python, and for each a query of its own (a project's
dekad reports, an item's reports, an indicator's figures, a report's project and unit,
an order's unit), counted and sorted in Python.

    python bench/queues.py [--role USERNAME ...]
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

from city import Queries, median_ms, user  # noqa: E402

ROLES = ("reporter_fgj", "tf_projects", "office", "inspector", "leader")
TARGET_MS = 100


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--role", action="append")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanguard.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    from vanguard.org.queries import current_campaign

    campaign = current_campaign(None)
    results = {role: queue(campaign, role) for role in args.role or ROLES}
    print(json.dumps(results, ensure_ascii=False, default=str))


def queue(campaign, username):
    from django.test import Client
    from django.utils import timezone

    person = user(username)
    client = Client()
    client.force_login(person)

    def read():
        response = client.get("/api/v1/queue")
        assert response.status_code == 200, response.content[:300]
        return response.json()

    body = read()
    with Queries() as queries:
        read()
    today = timezone.localdate()
    naive_ms = median_ms(lambda: naive(person, campaign, today), repeat=3, warm=1)
    return {
        "total": body["total"],
        "kinds": {kind["kind"]: kind["count"] for kind in body["kinds"]},
        "p50_ms": round(median_ms(read), 1),
        "queries": queries.count,
        "sql_ms": round(queries.sql_ms, 1),
        "naive_ms": round(naive_ms, 1),
        "naive_total": sum(naive(person, campaign, today).values()),
        "target_ms": TARGET_MS,
    }


def naive(person, campaign, today):
    """The queue's counts the per-item way: a query per project, item, report and order."""
    from vanguard.calendar.services import load_calendar
    from vanguard.lists.choices import ReportState
    from vanguard.lists.models import ListItem, ProgressReport
    from vanguard.lists.queue import cadence_periods
    from vanguard.org.access import access_for, may_certify, may_decide_referral
    from vanguard.org.choices import Battle, Role
    from vanguard.projects.choices import ReportStatus
    from vanguard.projects.models import DekadReport, Project
    from vanguard.projects.queue import due_dekads
    from vanguard.supervision.choices import UNANSWERED, OrderState
    from vanguard.supervision.models import Proposal, Referral, SupervisionOrder

    held = access_for(person)
    counts = {}
    live = (ReportStatus.SUBMITTED, ReportStatus.CERTIFIED)
    if held.unit_ids:
        calendar = load_calendar()
        dekads = due_dekads(campaign, today, calendar)
        due = returned = 0
        for project in Project.objects.filter(campaign=campaign):
            if project.lead_unit_id not in held.unit_ids:
                continue
            for dekad, _when in dekads:
                if not project.reports.filter(period_start=dekad.start, status__in=live).exists():
                    due += 1
                    break
            for report in project.reports.filter(status=ReportStatus.RETURNED):
                if not project.reports.filter(period=report.period, status__in=live).exists():
                    returned += 1
        counts["reports_due"], counts["reports_returned"] = due, returned
        items = [
            i for i in ListItem.objects.filter(campaign=campaign) if i.unit_id in held.unit_ids
        ]
        periods = cadence_periods(campaign, today, {i.cadence for i in items}, calendar)
        counts["progress_due"] = sum(
            1
            for item in items
            if any(
                p.start <= item.deadline
                and not item.reports.filter(
                    period=p.label, state__in=ReportState.values[:2]
                ).exists()
                for p, _when in periods.get(item.cadence, [])
            )
        )
        counts["progress_returned"] = sum(
            item.reports.filter(state=ReportState.RETURNED).count() for item in items
        )
        counts["orders_to_answer"] = sum(
            1
            for order in SupervisionOrder.objects.filter(campaign=campaign)
            if order.unit_id in held.unit_ids and order.state in UNANSWERED
        )
    if may_certify(person, Battle.PROJECTS):
        waiting = [
            r
            for r in DekadReport.objects.filter(status=ReportStatus.SUBMITTED)
            if r.project.campaign_id == campaign.pk and r.unit.name
        ]
        counts["reports_to_certify"] = len(waiting)
    if held.battles:
        counts["progress_to_verify"] = sum(
            1
            for r in ProgressReport.objects.filter(state=ReportState.SUBMITTED)
            if r.item.campaign_id == campaign.pk and r.item.battle in held.battles
        )
    if held.has(Role.OFFICE) or held.battles:
        counts["answers_to_check"] = sum(
            1
            for o in SupervisionOrder.objects.filter(campaign=campaign, state=OrderState.ANSWERED)
            if o.unit.name and (held.has(Role.OFFICE) or o.battle in held.battles)
        )
    if held.has(Role.OFFICE):
        counts["proposals_to_confirm"] = sum(
            1 for p in Proposal.objects.filter(campaign=campaign) if p.state == "proposed"
        )
    if may_decide_referral(person):
        counts["referred_cases"] = sum(
            1
            for r in Referral.objects.filter(campaign=campaign)
            if r.unit.name and r.state == "referred"
        )
    return counts


if __name__ == "__main__":
    main()
