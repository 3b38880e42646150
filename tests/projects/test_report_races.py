"""People change the same dekad reports at the same moment, through the API.

Each round runs its requests in threads with their own database connections, released
together by a barrier, in real transactions: on PostgreSQL the rows really are locked
(``make test`` with DATABASE_URL), SQLite queues its writers. Whoever comes second either
succeeds on what the first left or is refused in words (409 or 422, JSON, in Chinese,
naming what happened): never a server error, never a deadlock broken by the database,
never two reports waiting or certified for one dekad, never a certification lost. The
change log tells the truth: each entry's "before" is what the row was, and replaying a
report's entries ends at the row as stored.

Every round races several projects at once. On the code before the locks of decision
0028 each of these races failed within a few rounds (certify against correct: nearly
always; two corrections: always; certify against revise: a deadlock in about one pair
in eight); VANGUARD_RACE_ROUNDS runs more rounds when hunting for one.
"""

import functools
import os
import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.test import Client

from vanguard.accounts.tokens import do_create_token
from vanguard.audit.models import ChangeEntry
from vanguard.core.money import YI
from vanguard.projects.actions import do_create_project
from vanguard.projects.choices import ReportStatus
from vanguard.projects.models import DekadReport

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = int(os.environ.get("VANGUARD_RACE_ROUNDS", "3"))
# Projects raced at once in each round, each by its own pair of requests.
PAIRS = 3

REFUSED = {409, 422}


class Api:
    """One person's API client: a token of their own, JSON in and out."""

    def __init__(self, user):
        self.headers = {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(user.username)}

    def post(self, path, body):
        # A client per call: each thread has its own, and a server error comes back as the
        # response a client would get, not as an exception.
        client = Client(raise_request_exception=False)
        return client.post(path, body, content_type="application/json", **self.headers)


def at_once(calls):
    """Run ``calls`` in threads released together; return their responses in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as error:  # noqa: BLE001 - shown by the assertion that follows
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def answered(response, allowed):
    """The status, one of ``allowed``; JSON; a refusal in Chinese and from the checks of the
    action, not the database breaking a deadlock (which would say "send it again")."""
    assert not isinstance(response, Exception), response
    body = response.content.decode()
    assert response.status_code in allowed, (response.status_code, body[:1000])
    assert response["Content-Type"].startswith("application/json"), body[:300]
    if response.status_code in REFUSED:
        message = response.json()["message"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
        assert "retry" not in response.json(), message
    return response.status_code


@pytest.fixture
def people(plan, fgj, fgj_reporter, projects_member, office_clerk):
    return {
        "plan": plan,
        "fgj": fgj,
        "office": office_clerk,
        "reporter": Api(fgj_reporter),
        "reporter_2": Api(fgj_reporter),
        "task_force": Api(projects_member),
    }


def new_project(people, code):
    return do_create_project(
        campaign=people["plan"],
        code=code,
        name="竞态项目 " + code,
        lead_unit=people["fgj"],
        investment_yuan=10 * YI,
        actor=people["office"],
    )


def submit(people, project, progress, investment_yuan, replaces=None, who="reporter"):
    body = {"progress": progress, "investment_yuan": investment_yuan}
    if replaces is not None:
        body["replaces"] = replaces
    return people[who].post("/api/v1/projects/{}/reports".format(project.code), body)


def correct(people, report_id, progress, investment_yuan, replaces=None, who="reporter"):
    body = {"progress": progress, "investment_yuan": investment_yuan, "reason": "数据更正"}
    if replaces is not None:
        body["replaces"] = replaces
    return people[who].post("/api/v1/reports/{}/correction".format(report_id), body)


def certify(people, ids):
    return people["task_force"].post("/api/v1/reports/certify", {"ids": list(ids)})


def filed(response):
    assert response.status_code in (200, 201), response.content.decode()[:1000]
    return response.json()


def certified_report(people, project, investment_yuan=1_000_000):
    report = filed(submit(people, project, "主体施工", investment_yuan))
    assert certify(people, [report["id"]]).status_code == 200
    return report


def live(project):
    """The project's reports that count now, by status: at most one of each."""
    by_status = {}
    for row in DekadReport.objects.filter(
        project=project, status__in=[ReportStatus.SUBMITTED, ReportStatus.CERTIFIED]
    ):
        assert row.status not in by_status, "two {} reports of one dekad".format(row.status)
        by_status[row.status] = row
    return by_status


def assert_log_tells_the_truth(project):
    """Each status a report's log entry starts from is the one the entry before left; the
    last one left is the status stored."""
    kind = ContentType.objects.get_for_model(DekadReport)
    for report in DekadReport.objects.filter(project=project):
        status = None
        entries = ChangeEntry.objects.filter(content_type=kind, object_id=str(report.pk))
        for entry in entries.order_by("seq"):
            before, after = entry.before or {}, entry.after or {}
            if "status" in before:
                assert before["status"] == status, (report.pk, entry.seq, before, status)
            if "status" in after:
                status = after["status"]
        assert status == report.status, (report.pk, status, report.status)


def rounds(people, name):
    """The projects of each round: PAIRS fresh ones, raced at once."""
    for round_ in range(ROUNDS):
        yield [new_project(people, "R-{}-{}-{}".format(name, round_, i)) for i in range(PAIRS)]


def test_certifying_a_correction_while_the_unit_files_another_loses_no_certification(people):
    for projects in rounds(people, "CC"):
        originals = [certified_report(people, p) for p in projects]
        firsts = [filed(correct(people, o["id"], "更正一", 2_000_000)) for o in originals]
        calls = []
        for original, first in zip(originals, firsts, strict=True):
            calls += [
                functools.partial(certify, people, [first["id"]]),
                functools.partial(
                    correct, people, original["id"], "更正二", 3_000_000, replaces=first["id"]
                ),
            ]
        responses = at_once(calls)

        for i, project in enumerate(projects):
            certifying, correcting = responses[2 * i], responses[2 * i + 1]
            certify_code = answered(certifying, {200} | REFUSED)
            correct_code = answered(correcting, {201} | REFUSED)
            now = live(project)
            assert ReportStatus.CERTIFIED in now, "the dekad lost its certified report"
            if certify_code == 200:
                # The certification came first: the first correction counts; the second was
                # filed against a report that no longer counts, and is told which does.
                assert correct_code in REFUSED
                assert (
                    now[ReportStatus.CERTIFIED].pk,
                    now[ReportStatus.CERTIFIED].investment_yuan,
                ) == (
                    firsts[i]["id"],
                    2_000_000,
                )
                assert ReportStatus.SUBMITTED not in now
                assert str(firsts[i]["id"]) in correcting.json()["message"]
            else:
                # The second correction came first and replaced the first, which the task
                # force is told; the original counts until the second is certified.
                assert correct_code == 201
                assert now[ReportStatus.CERTIFIED].pk == originals[i]["id"]
                waiting = now[ReportStatus.SUBMITTED]
                assert (waiting.pk, waiting.investment_yuan) == (correcting.json()["id"], 3_000_000)
                assert str(waiting.pk) in certifying.json()["message"]
            assert_log_tells_the_truth(project)


def test_two_corrections_of_one_report_at_once_one_is_filed_the_other_refused(people):
    for projects in rounds(people, "KK"):
        originals = [certified_report(people, p) for p in projects]
        calls = []
        for original in originals:
            calls += [
                functools.partial(correct, people, original["id"], "更正甲", 2_000_000),
                functools.partial(
                    correct, people, original["id"], "更正乙", 3_000_000, who="reporter_2"
                ),
            ]
        responses = at_once(calls)

        for i, project in enumerate(projects):
            pair = responses[2 * i : 2 * i + 2]
            codes = sorted(answered(r, {201} | REFUSED) for r in pair)
            assert codes[0] == 201 and codes[1] in REFUSED, codes
            winner, loser = pair if pair[0].status_code == 201 else pair[::-1]
            now = live(project)
            assert now[ReportStatus.CERTIFIED].pk == originals[i]["id"]
            waiting = now[ReportStatus.SUBMITTED]
            assert (waiting.pk, waiting.investment_yuan) == (
                winner.json()["id"],
                winner.json()["investment_yuan"],
            )
            assert str(waiting.pk) in loser.json()["message"]
            assert DekadReport.objects.filter(project=project).count() == 2
            assert_log_tells_the_truth(project)


def test_certifying_while_the_unit_revises_one_wins_and_nothing_deadlocks(people):
    for projects in rounds(people, "CR"):
        reports = [filed(submit(people, p, "初报", 1_000_000)) for p in projects]
        calls = []
        for project, report in zip(projects, reports, strict=True):
            calls += [
                functools.partial(certify, people, [report["id"]]),
                functools.partial(
                    submit, people, project, "修改", 4_000_000, replaces=report["id"]
                ),
            ]
        responses = at_once(calls)

        for i, project in enumerate(projects):
            certifying, revising = responses[2 * i], responses[2 * i + 1]
            certify_code = answered(certifying, {200} | REFUSED)
            revise_code = answered(revising, {201} | REFUSED)
            now = live(project)
            if certify_code == 200:
                assert revise_code in REFUSED
                certified = now[ReportStatus.CERTIFIED]
                assert (certified.pk, certified.investment_yuan) == (reports[i]["id"], 1_000_000)
                assert ReportStatus.SUBMITTED not in now
                assert "更正" in revising.json()["message"]  # told to file a correction
            else:
                assert revise_code == 201
                assert ReportStatus.CERTIFIED not in now
                revision = now[ReportStatus.SUBMITTED]
                assert (revision.pk, revision.investment_yuan) == (revising.json()["id"], 4_000_000)
                assert str(revision.pk) in certifying.json()["message"]
            assert_log_tells_the_truth(project)


def test_a_bulk_certification_certifies_what_still_waits_and_names_each_revised_one(people):
    for round_ in range(ROUNDS):
        projects = [new_project(people, "R-B-{}-{}".format(round_, i)) for i in range(10)]
        reports = [filed(submit(people, p, "初报", 1_000_000 + i)) for i, p in enumerate(projects)]
        revised = {round_ % 10, (round_ + 5) % 10}
        calls = [functools.partial(certify, people, [r["id"] for r in reports])] + [
            functools.partial(
                submit, people, projects[i], "修改", 7_000_000 + i, replaces=reports[i]["id"]
            )
            for i in sorted(revised)
        ]
        certifying, *revisions = at_once(calls)

        answered(certifying, {200} | REFUSED)
        body = certifying.json()
        certified_ids = {r["id"] for r in body["certified"]}
        refused = {r["id"]: r for r in body["refused"]}
        for i, revising in zip(sorted(revised), revisions, strict=True):
            report = reports[i]
            if answered(revising, {201} | REFUSED) == 201:
                # The revision came first: this report is named, with why and what replaced it.
                assert report["id"] in refused and report["id"] not in certified_ids
                named = refused[report["id"]]
                assert (named["project"], named["code"]) == (projects[i].code, "revised")
                assert named["instead"] == revising.json()["id"]
                assert str(revising.json()["id"]) in named["reason"]
                assert live(projects[i])[ReportStatus.SUBMITTED].investment_yuan == 7_000_000 + i
                assert ReportStatus.CERTIFIED not in live(projects[i])
            else:
                assert report["id"] in certified_ids
                assert live(projects[i])[ReportStatus.CERTIFIED].investment_yuan == 1_000_000 + i
        for i, project in enumerate(projects):
            if i not in revised:
                assert reports[i]["id"] in certified_ids
                assert live(project)[ReportStatus.CERTIFIED].investment_yuan == 1_000_000 + i
            assert_log_tells_the_truth(project)
        assert len(certified_ids) + len(refused) == 10
        if not certified_ids:
            assert certifying.status_code == 409


def test_two_first_submissions_at_once_one_is_filed_the_other_refused(people):
    for projects in rounds(people, "SS"):
        calls = []
        for project in projects:
            calls += [
                functools.partial(submit, people, project, "甲", 1_000_000),
                functools.partial(submit, people, project, "乙", 2_000_000, who="reporter_2"),
            ]
        responses = at_once(calls)

        for i, project in enumerate(projects):
            pair = responses[2 * i : 2 * i + 2]
            codes = sorted(answered(r, {201} | REFUSED) for r in pair)
            assert codes[0] == 201 and codes[1] in REFUSED, codes
            winner, loser = pair if pair[0].status_code == 201 else pair[::-1]
            assert live(project)[ReportStatus.SUBMITTED].pk == winner.json()["id"]
            assert str(winner.json()["id"]) in loser.json()["message"]
            assert DekadReport.objects.filter(project=project).count() == 1
            assert_log_tells_the_truth(project)
