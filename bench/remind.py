"""The daily reminder run for 1,000 units (``vanguard remind``), beside a naive baseline.

On an empty database (its own VANGUARD_VAR_DIR) it loads the plan, creates ``--units``
units, each with a reporter (with an e-mail address) and a major project it leads, and
a robot for one unit in ten; then, for a day two working days before a dekad report's
due date (every unit is reminded), it times:

- ``remind``: ``supervision.reminders.remind`` and ``notices.delivery.send_pending``, as
  the daily job runs them: every unit's list read through the owed registry, the
  notices stored in bulk, one digest per person, one message per robot, all sent (to
  Django's in-memory mail outbox and to a robot receiver on this machine);
- ``naive``: the same reminders the naive way, per unit: the list read, a
  ``get_or_create`` per notice, and an e-mail per notice over its own connection, in a
  transaction that is rolled back.

    python bench/remind.py [--units 1000]

It prints one JSON line.
"""

import argparse
import datetime
import io
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=1000)
    args = parser.parse_args()
    os.environ.setdefault("VANGUARD_VAR_DIR", tempfile.mkdtemp(prefix="vanguard-remind-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanguard.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.EMAIL_HOST = "localhost"
    settings.NOTICE_QUIET_HOURS = ""
    settings.NOTICE_WEBHOOK_ALLOW_HOSTS = ["127.0.0.1"]
    from django.core import mail

    mail.outbox = []
    receiver = _receiver()
    on, counts = _setup(args.units, receiver)
    results = {"units": args.units, "day": on.isoformat(), **counts}
    results["naive"] = _naive(on)
    results["remind"] = _remind(on)
    results["emails"] = len(mail.outbox)
    results["robot_posts"] = len(receiver.posts)
    results["ratio"] = round(results["naive"]["seconds"] / results["remind"]["seconds"], 1)
    print(json.dumps(results, ensure_ascii=False))


def _receiver():
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.server.posts.append(1)
            body = b'{"errcode": 0, "errmsg": "ok"}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.posts = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _setup(count, receiver):
    from pathlib import Path

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from vanguard.calendar.periods import PeriodKind, period_containing
    from vanguard.calendar.services import load_calendar
    from vanguard.core.money import YI
    from vanguard.notices.models import Webhook
    from vanguard.org.choices import Role, UnitKind
    from vanguard.org.models import Campaign, Person, RoleAssignment, Unit
    from vanguard.projects.deadlines import dekad_due_date
    from vanguard.projects.models import Project

    call_command("migrate", verbosity=0)
    plan = Path(__file__).resolve().parent.parent / "plans" / "xihaian.yaml"
    call_command("loadplan", str(plan), verbosity=0, stdout=io.StringIO())
    campaign = Campaign.objects.get(code="xihaian-2026")
    units = Unit.objects.bulk_create(
        Unit(code="u{:04d}".format(i), name="单位{:04d}".format(i), kind=UnitKind.OTHER)
        for i in range(count)
    )
    password = make_password(None)
    users = get_user_model().objects.bulk_create(
        get_user_model()(
            username="r{:04d}".format(i), email="r{:04d}@example.cn".format(i), password=password
        )
        for i in range(count)
    )
    people = Person.objects.bulk_create(
        Person(user=user, name="填报{}".format(i), unit=unit)
        for i, (user, unit) in enumerate(zip(users, units, strict=True))
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(person=person, role=Role.UNIT_REPORTER, unit=unit)
        for person, unit in zip(people, units, strict=True)
    )
    Project.objects.bulk_create(
        Project(
            campaign=campaign,
            code="B-{:04d}".format(i),
            name="项目{:04d}".format(i),
            lead_unit=unit,
            investment_yuan=2 * YI,
            size_class="size_1e8",
        )
        for i, unit in enumerate(units)
    )
    url = "http://127.0.0.1:{}/send?key=".format(receiver.server_address[1])
    Webhook.objects.bulk_create(
        Webhook(name="群{}".format(i), kind="wecom", url=url + str(i), unit=unit)
        for i, unit in enumerate(units)
        if i % 10 == 0
    )
    # The dekad that holds today, so every project existed when it began; the day two
    # working days before its report falls due.
    calendar = load_calendar()
    dekad = period_containing(PeriodKind.DEKAD, timezone.localdate())
    due = dekad_due_date(campaign, dekad, calendar)
    day = due - datetime.timedelta(days=1)
    while not (
        calendar.is_working_day(day)
        and calendar.working_days_between(day + datetime.timedelta(days=1), due) == 2
    ):
        day -= datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(dekad.start, datetime.time(9)))
    Project.objects.update(created_at=start)
    return day, {"projects": count, "robots": (count + 9) // 10}


def _remind(on):
    from vanguard.notices.delivery import send_pending
    from vanguard.supervision.reminders import remind

    start = time.perf_counter()
    lines = remind(on)
    scanned = time.perf_counter()
    sent, failed = send_pending(limit=100_000)
    end = time.perf_counter()
    return {
        "seconds": round(end - start, 2),
        "scan_and_store_seconds": round(scanned - start, 2),
        "send_seconds": round(end - scanned, 2),
        "lines": len(lines),
        "sent": sent,
        "failed": failed,
    }


def _naive(on):
    from django.core.mail import send_mail
    from django.db import transaction

    from vanguard.notices.models import Notice
    from vanguard.notices.recipients import reporters_of
    from vanguard.org.access import SYSTEM
    from vanguard.org.models import Campaign, Unit
    from vanguard.supervision.owed import unit_owed

    campaign = Campaign.objects.get(code="xihaian-2026")
    start = time.perf_counter()
    told = 0
    with transaction.atomic():
        for unit in Unit.objects.order_by("code"):
            for row in unit_owed(campaign, unit, SYSTEM, today=on):
                if row.due is None:
                    continue
                for user_id in reporters_of(unit.pk):
                    notice, made = Notice.objects.get_or_create(
                        recipient_id=user_id,
                        key="naive:{}:{}".format(row.url, row.due),
                        defaults={"kind": "due_soon", "subject": row.label, "due": row.due},
                    )
                    if made:
                        send_mail(notice.subject, row.reason, None, [notice.recipient.email])
                        told += 1
        transaction.set_rollback(True)
    from django.core import mail

    mail.outbox = []
    return {"seconds": round(time.perf_counter() - start, 2), "notices": told}


if __name__ == "__main__":
    main()
