"""A reporter corrects a certified report from its page, and the task force certifies the
correction; the report form of a certified dekad points there."""

import pytest
from django.test import Client
from django.utils import timezone

from tests.projects.test_bulk_certification import api, certify_on_the_queue
from tests.projects.test_reports_through_every_door import browser, file_by_form
from vanguard.audit.log import history_of
from vanguard.projects.actions import dekad_of
from vanguard.projects.choices import ReportStatus
from vanguard.projects.models import DekadReport


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def certified_by_form(reporter, member):
    file_by_form(reporter)
    report = DekadReport.objects.get(status=ReportStatus.SUBMITTED)
    certify_on_the_queue(member, report)
    report.refresh_from_db()
    assert report.status == ReportStatus.CERTIFIED
    return report


def test_a_reporter_corrects_a_certified_report_from_its_page_and_the_task_force_certifies_it(
    fgj_project, fgj_reporter, projects_member, leader
):
    original = certified_by_form(fgj_reporter, projects_member)
    client = browser(fgj_reporter)
    page = client.get("/projects/reports/{}/".format(original.pk)).content.decode()
    correction_url = "/projects/reports/{}/correction/".format(original.pk)
    assert correction_url in page and "提交更正" in page

    form = client.get(correction_url)
    assert form.status_code == 200
    assert "主体结构施工" in form.content.decode()  # it starts from the certified figures

    refused = client.post(correction_url, {"progress": "主体结构施工", "investment_wan": "400"})
    assert refused.status_code == 200
    assert "更正已认定数据的原因" in refused.content.decode()
    assert "这个字段是必填项" in refused.content.decode()
    assert DekadReport.objects.count() == 1

    filed = client.post(
        correction_url,
        {
            "reason": "投资额填错",
            "progress": "主体结构施工",
            "investment_wan": "400",
            "replaces": "",
        },
    )
    assert filed.status_code == 302, filed.content.decode()[:2000]
    correction = DekadReport.objects.get(status=ReportStatus.SUBMITTED)
    assert filed["Location"] == "/projects/reports/{}/".format(correction.pk)
    assert (correction.supersedes, correction.investment_yuan) == (original, 4_000_000)
    original.refresh_from_db()
    assert original.status == ReportStatus.CERTIFIED  # it counts until the correction does
    assert any(entry.reason == "投资额填错" for entry in history_of(correction))
    queue = browser(projects_member).get("/projects/certification/").content.decode()
    row = queue.split('value="{}"'.format(correction.pk))[1].split("</tr>")[0]
    assert "更正" in row and fgj_project.code in row

    certify_on_the_queue(projects_member, correction)
    original.refresh_from_db()
    correction.refresh_from_db()
    assert (original.status, correction.status) == (ReportStatus.SUPERSEDED, ReportStatus.CERTIFIED)
    for user in (fgj_reporter, projects_member, leader):
        reader = browser(user)
        for url in (
            "/projects/reports/{}/".format(correction.pk),
            "/projects/reports/{}/".format(original.pk),
            "/projects/p/XHA-0001/",
        ):
            assert reader.get(url).status_code == 200, (user.username, url)
        body = Client().get("/api/v1/reports/{}".format(correction.pk), **api(user)).json()
        assert body["status"] == "certified" and body["investment_yuan"] == 4_000_000


def test_the_report_form_of_a_certified_dekad_points_to_the_correction_page(
    fgj_project, fgj_reporter, projects_member
):
    original = certified_by_form(fgj_reporter, projects_member)
    page = browser(fgj_reporter).get("/projects/p/XHA-0001/report/").content.decode()
    assert "/projects/reports/{}/correction/".format(original.pk) in page
    assert "认定并锁定" in page
    assert ">报送</button>" not in page  # no submit button for a form that would be refused
    # The dekad before, not certified, is reported as usual.
    earlier = dekad_of(timezone.localdate()).previous().label
    page = browser(fgj_reporter).get("/projects/p/XHA-0001/report/?period=" + earlier)
    assert ">报送</button>" in page.content.decode()


def test_a_correction_that_names_no_reason_or_a_stale_waiting_one_is_refused_in_words(
    fgj_project, fgj_reporter, projects_member
):
    original = certified_by_form(fgj_reporter, projects_member)
    url = "/projects/reports/{}/correction/".format(original.pk)
    first = browser(fgj_reporter).post(
        url, {"reason": "笔误", "progress": "一", "investment_wan": "1", "replaces": ""}
    )
    assert first.status_code == 302
    # A second reporter's form was opened before the first correction was filed.
    stale = browser(fgj_reporter).post(
        url, {"reason": "笔误", "progress": "二", "investment_wan": "2", "replaces": ""}
    )
    assert stale.status_code == 200
    assert "刷新" in stale.content.decode() or "重新" in stale.content.decode()
    assert DekadReport.objects.filter(status=ReportStatus.SUBMITTED).get().progress == "一"


def test_the_correction_page_of_a_report_that_no_longer_counts_leads_to_the_one_that_does(
    fgj_project, fgj_reporter, projects_member
):
    original = certified_by_form(fgj_reporter, projects_member)
    client = browser(fgj_reporter)
    client.post(
        "/projects/reports/{}/correction/".format(original.pk),
        {"reason": "笔误", "progress": "更正", "investment_wan": "3", "replaces": ""},
    )
    correction = DekadReport.objects.get(status=ReportStatus.SUBMITTED)
    certify_on_the_queue(projects_member, correction)
    response = client.get("/projects/reports/{}/correction/".format(original.pk))
    assert response.status_code == 302
    assert response["Location"] == "/projects/reports/{}/correction/".format(correction.pk)


def test_another_units_reporter_and_the_task_force_cannot_file_a_correction(
    fgj_project, fgj_reporter, hdjd_reporter, projects_member
):
    original = certified_by_form(fgj_reporter, projects_member)
    url = "/projects/reports/{}/correction/".format(original.pk)
    for user in (hdjd_reporter, projects_member):
        response = browser(user).post(
            url, {"reason": "x", "progress": "x", "investment_wan": "1", "replaces": ""}
        )
        assert response.status_code in (403, 404), user.username
    assert DekadReport.objects.count() == 1
