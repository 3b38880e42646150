"""A reporter is told before a due date, on it and after missing it: by e-mail (through a
mail server on this machine) and by the unit's group robot (a receiver on this machine).

The unit's robot is added by the office through its page; the project is created by the
office's action; ``vanguard remind`` runs as the daily job runs it.
"""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.notices.conftest import hook_url
from vanguard.calendar.periods import PeriodKind, period_containing
from vanguard.calendar.services import load_calendar
from vanguard.notices.models import Delivery, Notice
from vanguard.projects.deadlines import dekad_due_date
from vanguard.projects.models import Project

pytestmark = pytest.mark.django_db

# A June dekad of the 2026 campaign, with the Dragon Boat holiday (19 June) in it.
DEKAD_DAY = datetime.date(2026, 6, 15)


@pytest.fixture
def reporter(fgj_reporter):
    fgj_reporter.email = "zhang@fgj.example.cn"
    fgj_reporter.save(update_fields=["email"])
    return fgj_reporter


@pytest.fixture
def robot(client, office_clerk, login, receiver, fgj):
    login(office_clerk)
    response = client.post(
        "/notices/robots/",
        {"name": "发改局工作群", "kind": "wecom", "url": hook_url(receiver), "unit": fgj.code},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return receiver


@pytest.fixture
def project(make_project, plan):
    """A project of the development and reform bureau, there since the dekad began."""
    made = make_project(code="XHA-0300")
    dekad = period_containing(PeriodKind.DEKAD, DEKAD_DAY)
    start = timezone.make_aware(datetime.datetime.combine(dekad.start, datetime.time(9)))
    Project.objects.filter(pk=made.pk).update(created_at=start)
    return made


@pytest.fixture
def days(plan):
    """The dekad report's due date, the day two working days before it, the day after."""
    calendar = load_calendar()
    dekad = period_containing(PeriodKind.DEKAD, DEKAD_DAY)
    due = dekad_due_date(plan, dekad, calendar)
    before = next(
        d
        for d in (dekad.start + datetime.timedelta(n) for n in range(10))
        if calendar.is_working_day(d)
        and calendar.working_days_between(d + datetime.timedelta(1), due) == 2
    )
    after = calendar.next_working_day_after(due)
    return {"due": due, "before": before, "after": after}


def remind(day, *extra):
    out = io.StringIO()
    call_command("remind", "--on", day.isoformat(), *extra, stdout=out, stderr=io.StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def test_a_reporter_gets_an_email_and_a_robot_message_before_a_due_date_and_after_missing_it(
    smtp, robot, reporter, project, days, client, login
):
    remind(days["before"])

    assert [m.rcpts for m in smtp.messages] == [["zhang@fgj.example.cn"]]
    assert "XHA-0300" in smtp.messages[0].text
    assert days["due"].isoformat() in smtp.messages[0].text
    assert len(robot.posts) == 1
    post = robot.posts[0]
    assert post["path"] == "/cgi-bin/webhook/send" and post["query"] == {"key": "fgj-robot"}
    assert post["body"]["msgtype"] == "markdown"
    assert "XHA-0300" in post["body"]["markdown"]["content"]

    # The same day again: nothing twice.
    remind(days["before"])
    assert len(smtp.messages) == 1 and len(robot.posts) == 1

    # The report is not filed: the day after the due date it is overdue.
    remind(days["after"])
    assert len(smtp.messages) == 2 and len(robot.posts) == 2
    assert "XHA-0300" in smtp.messages[1].text
    assert "逾期" in robot.posts[1]["body"]["markdown"]["content"]
    kinds = list(
        Notice.objects.filter(recipient=reporter).order_by("pk").values_list("kind", flat=True)
    )
    assert kinds == ["due_soon", "overdue"]
    assert set(Delivery.objects.values_list("state", flat=True)) == {"sent"}

    # The reporter reads them in the inbox, counted in the navigation, and marks them read.
    login(reporter)
    page = client.get("/notices/").content.decode()
    assert "XHA-0300" in page and 'id="vg-nav-notices"' in page
    assert '<span class="badge text-bg-danger">2</span>' in page
    client.post("/notices/read-all/")
    page = client.get("/notices/").content.decode()
    assert "badge text-bg-danger" not in page


def test_a_filed_report_stops_the_overdue_reminder(smtp, robot, reporter, project, days):
    from vanguard.projects.actions import do_submit_report

    do_submit_report(project, actor=reporter, progress="按计划推进", today=days["before"])
    assert [line for line in remind(days["after"]) if "XHA-0300" in line["subject"]] == []


def test_a_dry_run_prints_what_would_be_sent_and_sends_nothing(
    smtp, robot, reporter, project, days
):
    lines = remind(days["before"], "--dry-run")

    assert {line["channel"] for line in lines} == {"inbox", "email", "wecom"}
    for line in lines:
        assert set(line) == {"recipient", "channel", "subject", "due"}
        assert line["due"] == days["due"].isoformat()
    assert {line["recipient"] for line in lines} == {"reporter_fgj", "发改局工作群"}
    assert smtp.messages == [] and robot.posts == []
    assert not Notice.objects.exists() and not Delivery.objects.exists()

    # The real run sends what the dry run said; a dry run after it has nothing to say.
    sent = remind(days["before"])
    assert sorted((line["recipient"], line["channel"]) for line in sent) == sorted(
        (line["recipient"], line["channel"]) for line in lines
    )
    assert remind(days["before"], "--dry-run") == []


def test_the_reminder_days_follow_the_campaigns_policy(smtp, reporter, project, days, plan):
    from vanguard.notices.models import ReminderPolicy

    ReminderPolicy.objects.create(campaign=plan, cadence="dekad", days_before=1, overdue_every=1)
    assert remind(days["before"], "--dry-run") == []
    calendar = load_calendar()
    second = calendar.next_working_day_after(days["after"])
    assert [line["channel"] for line in remind(days["after"])] == ["inbox", "email"]
    assert [line["channel"] for line in remind(second)] == ["inbox", "email"]


def test_the_projects_responsible_person_is_reminded_too(smtp, reporter, project, days, fgj):
    from tests.conftest import make_person
    from vanguard.org.models import Person

    chief = make_person("chief_fgj", "钱局长", fgj)
    Project.objects.filter(pk=project.pk).update(responsible_person=Person.objects.get(user=chief))
    lines = remind(days["before"], "--dry-run")
    assert {(line["recipient"], line["channel"]) for line in lines} == {
        ("reporter_fgj", "inbox"),
        ("reporter_fgj", "email"),
        ("chief_fgj", "inbox"),
    }


def test_the_lists_read_together_are_the_lists_read_unit_by_unit(
    make_project, plan, fgj, hdjd, days
):
    from vanguard.org.access import SYSTEM
    from vanguard.supervision.owed import one_scan, unit_owed, units_owed

    make_project(code="XHA-0501")
    make_project(code="XHA-0502", lead_unit=hdjd)
    make_project(code="XHA-0503", lead_unit=hdjd)
    with one_scan():
        together = units_owed(plan, [fgj, hdjd], SYSTEM, today=days["after"])
    assert [row.label.split()[0] for row in together[hdjd.pk]] == ["XHA-0502", "XHA-0503"]
    for unit in (fgj, hdjd):
        assert together[unit.pk] == unit_owed(plan, unit, SYSTEM, today=days["after"])
