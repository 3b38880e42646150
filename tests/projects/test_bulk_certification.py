"""A bulk certification certifies what still waits and names each report it could not,
with why, on the queue page and in the API; a return of a report revised meanwhile says
who revised it."""

import re

import pytest
from django.test import Client

from tests.projects.test_reports_through_every_door import browser
from vanguard.accounts.tokens import do_create_token
from vanguard.projects.actions import do_create_project
from vanguard.projects.choices import ReportStatus
from vanguard.projects.models import DekadReport


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def api(user):
    return {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(user.username)}


def certify_on_the_queue(member, *reports):
    client = browser(member)
    response = client.post(
        "/projects/certification/",
        {"report": [str(r.pk) for r in reports], "action": "certify"},
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def three_waiting(plan, fgj, fgj_reporter, office_clerk):
    """Three projects of one unit, each with a report waiting for certification."""
    reports = []
    for i in range(3):
        project = do_create_project(
            campaign=plan,
            code="BULK-{}".format(i),
            name="批量项目{}".format(i),
            lead_unit=fgj,
            investment_yuan=10**9,
            actor=office_clerk,
        )
        response = Client().post(
            "/api/v1/projects/{}/reports".format(project.code),
            {"progress": "初报", "investment_yuan": 1000 + i},
            content_type="application/json",
            **api(fgj_reporter),
        )
        assert response.status_code == 201
        reports.append(DekadReport.objects.get(pk=response.json()["id"]))
    return reports


def revise(reporter, report, investment_yuan):
    response = Client().post(
        "/api/v1/projects/{}/reports".format(report.project.code),
        {"progress": "修改", "investment_yuan": investment_yuan, "replaces": report.pk},
        content_type="application/json",
        **api(reporter),
    )
    assert response.status_code == 201, response.content.decode()
    return response.json()["id"]


def test_the_queue_certifies_what_still_waits_and_names_the_report_revised_meanwhile(
    three_waiting, fgj_reporter, projects_member
):
    revised, *others = three_waiting
    revision = revise(fgj_reporter, revised, 5000)

    page = certify_on_the_queue(projects_member, *three_waiting)

    assert "已认定 2 份旬报" in page
    assert re.search(r"BULK-0.*旬报 {}.*张填报".format(revised.pk), page, re.S)
    assert "新旬报 {}".format(revision) in page
    for report in others:
        report.refresh_from_db()
        assert report.status == ReportStatus.CERTIFIED
    assert DekadReport.objects.get(pk=revision).status == ReportStatus.SUBMITTED


def test_a_queue_batch_of_which_none_still_waits_certifies_nothing_and_says_why(
    three_waiting, fgj_reporter, projects_member
):
    revised = three_waiting[0]
    revise(fgj_reporter, revised, 5000)
    page = certify_on_the_queue(projects_member, revised)
    assert "没有旬报被认定" in page
    assert "旬报 {}".format(revised.pk) in page
    assert not DekadReport.objects.filter(status=ReportStatus.CERTIFIED).exists()


def test_the_api_certifies_what_waits_and_lists_each_refusal_with_its_reason(
    three_waiting, fgj_reporter, projects_member
):
    revised, returned, waiting = three_waiting
    revision = revise(fgj_reporter, revised, 5000)
    Client().post(
        "/api/v1/reports/{}/return".format(returned.pk),
        {"reason": "请补充照片"},
        content_type="application/json",
        **api(projects_member),
    )

    response = Client().post(
        "/api/v1/reports/certify",
        {"ids": [revised.pk, returned.pk, waiting.pk, 999_999]},
        content_type="application/json",
        **api(projects_member),
    )

    assert response.status_code == 200, response.content.decode()
    body = response.json()
    assert [r["id"] for r in body["certified"]] == [waiting.pk]
    refused = {r["id"]: r for r in body["refused"]}
    assert refused[revised.pk]["code"] == "revised"
    assert refused[revised.pk]["instead"] == revision
    assert refused[revised.pk]["project"] == "BULK-0"
    assert refused[returned.pk]["code"] == "returned"
    assert "请补充照片" in refused[returned.pk]["reason"]
    assert refused[999_999]["code"] == "missing"

    again = Client().post(
        "/api/v1/reports/certify",
        {"ids": [revised.pk]},
        content_type="application/json",
        **api(projects_member),
    )
    assert again.status_code == 409
    assert again.json()["certified"] == []
    assert str(revision) in again.json()["message"]
    assert again.json()["refused"][0]["instead"] == revision


def test_returning_a_report_revised_meanwhile_is_refused_with_who_and_when(
    three_waiting, fgj_reporter, projects_member
):
    revised = three_waiting[0]
    revision = revise(fgj_reporter, revised, 5000)
    response = Client().post(
        "/api/v1/reports/{}/return".format(revised.pk),
        {"reason": "请补充"},
        content_type="application/json",
        **api(projects_member),
    )
    assert response.status_code == 409
    assert str(revision) in response.json()["message"]
    assert "张填报" in response.json()["message"]
    assert DekadReport.objects.get(pk=revision).status == ReportStatus.SUBMITTED


def test_a_batch_writes_its_statuses_in_two_statements_and_logs_each_report(
    three_waiting, fgj_reporter, projects_member
):
    """However many reports a batch certifies, their statuses go in one statement, the
    certified reports their corrections replace in one more; each change is logged with
    its true before and after, and every door reads the new statuses."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from vanguard.audit.models import ChangeEntry

    first, *others = three_waiting
    certify_on_the_queue(projects_member, first)
    correction = Client().post(
        "/api/v1/reports/{}/correction".format(first.pk),
        {"reason": "投资额填错", "progress": "更正", "investment_yuan": 2000},
        content_type="application/json",
        **api(fgj_reporter),
    )
    assert correction.status_code == 201, correction.content.decode()
    batch = [correction.json()["id"], *(r.pk for r in others)]

    with CaptureQueriesContext(connection) as queries:
        response = Client().post(
            "/api/v1/reports/certify",
            {"ids": batch},
            content_type="application/json",
            **api(projects_member),
        )

    assert response.status_code == 200, response.content.decode()
    assert sorted(r["id"] for r in response.json()["certified"]) == sorted(batch)
    updates = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('UPDATE "projects_dekadreport"')
    ]
    assert len(updates) == 2
    statuses = dict(
        DekadReport.objects.filter(project__code__startswith="BULK-").values_list("pk", "status")
    )
    assert statuses[first.pk] == ReportStatus.SUPERSEDED
    assert all(statuses[pk] == ReportStatus.CERTIFIED for pk in batch)
    certified = DekadReport.objects.get(pk=batch[0])
    assert certified.reviewed_by == projects_member
    assert certified.reviewed_at is not None
    logged = {
        int(e.object_id): (e.before["status"], e.after["status"])
        for e in ChangeEntry.objects.filter(
            content_type__model="dekadreport", object_id__in=[str(pk) for pk in [first.pk, *batch]]
        ).order_by("seq")
        if e.before and "status" in e.before
    }
    assert logged[first.pk] == (ReportStatus.CERTIFIED, ReportStatus.SUPERSEDED)
    assert all(logged[pk] == (ReportStatus.SUBMITTED, ReportStatus.CERTIFIED) for pk in batch)
    page = browser(fgj_reporter).get("/projects/p/{}/".format(first.project.code))
    assert page.status_code == 200
