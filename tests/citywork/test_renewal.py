"""Renewal projects: the office loads them from its workbook, the lead unit reports each week,
the city-work task force verifies; only verified facts count. Every step goes through a
door people use (the import page, the project page, the API)."""

import datetime

import pytest

from tests.citywork.conftest import (
    RENEWAL_ROWS,
    load_renewal,
    renewal_book,
    signed_in,
    token_client,
)
from vanguard.audit.models import ChangeEntry
from vanguard.citywork.models import RenewalProject, RenewalReport
from vanguard.supervision.lights import recompute
from vanguard.supervision.models import LightState

pytestmark = pytest.mark.django_db

PAGE = "/city/renewal/p/GX-HD-01/"


def _report(client, code="GX-HD-01", **data):
    return client.post(
        "/city/renewal/p/{}/report/".format(code), {"campaign": "xihaian-2026", **data}
    )


def _light(code, day):
    project = RenewalProject.objects.get(code=code)
    recompute(project.campaign, today=day)
    return LightState.objects.get(kind="renewal", object_id=project.pk)


def test_the_workbook_creates_projects_with_their_location(renewal):
    point = RenewalProject.objects.get(code="GX-HD-01")
    assert point.geometry == {"type": "Point", "coordinates": [120.1912, 35.9601]}
    assert (point.lon, point.lat) == (120.1912, 35.9601)
    assert point.kind.name == "老旧小区改造"
    assert point.lead_unit.name == "黄岛街道"
    assert point.responsible_person.name == "孙书记"
    area = RenewalProject.objects.get(code="GX-HD-02")
    assert area.geometry["type"] == "Polygon"
    assert (area.min_lon, area.max_lat) == (120.18, 35.96)
    assert area.stage == "planned" and area.actual_start is None
    assert ChangeEntry.objects.filter(object_repr__contains="GX-HD-01").exists()


def test_export_then_import_changes_nothing(renewal):
    office = signed_in(renewal["office"])
    exported = office.get("/city/renewal/export.xlsx?campaign=xihaian-2026")
    assert exported.status_code == 200
    import io

    book = io.BytesIO(exported.content)
    book.name = "城市更新.xlsx"
    preview = office.post("/city/renewal/import/", {"campaign": "xihaian-2026", "file": book})
    assert preview.status_code == 200
    assert preview.context["counts"]["unchanged"] == 3, preview.context["counts"]
    assert preview.context["problem_count"] == 0


def test_bad_rows_are_named_by_sheet_row_and_column_and_nothing_is_saved(cast):
    rows = [list(r) for r in RENEWAL_ROWS]
    rows[0][2] = "老旧小区"  # a typo of a kind
    rows[1][8] = (
        '{"type": "Polygon", "coordinates": [[[121.5, 31.2], [121.6, 31.2], [121.6, 31.3], [121.5, 31.2]]]}'
    )
    rows[2][3] = "区住建局局"  # no such unit
    rows[2][10] = datetime.date(2026, 1, 1)  # completion before start
    office = signed_in(cast["office"])
    preview, applied = load_renewal(office, renewal_book(rows))
    text = preview.content.decode()
    assert "没有" in text and "老旧小区改造" in text  # the kind, with the closest one named
    assert "西海岸新区" in text  # Shanghai is outside the district
    for cell in ("城市更新项目!C3", "城市更新项目!I4", "城市更新项目!D5"):
        assert cell in text, cell
    problems = {str(p) for row in preview.context["rows"] for p in row["plan"].problems}
    assert any("K5" in p and "计划开工" in p for p in problems) or any(
        "D5" in p for p in problems
    ), problems
    assert applied.status_code == 400
    assert RenewalProject.objects.count() == 0


def test_a_reporter_reports_and_the_task_force_verifies_through_the_page(renewal):
    reporter = signed_in(renewal["reporter_hdjd"])
    response = _report(
        reporter, period="2026-W10", progress_percent="5", started_on="2026-03-04", note="进场施工"
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = RenewalReport.objects.get(project__code="GX-HD-01", period="2026-W10")
    assert report.state == "submitted"
    assert report.due_date == datetime.date(2026, 3, 9)
    # Not counted until verified.
    assert RenewalProject.objects.get(code="GX-HD-01").actual_start is None

    tf = signed_in(renewal["tf_citywork"])
    page = tf.get(PAGE).content.decode()
    assert "verify-form" in page
    response = tf.post(
        "/city/renewal/reports/{}/verify/".format(report.pk),
        {"campaign": "xihaian-2026", "version": report.version},
    )
    assert response.status_code == 302
    project = RenewalProject.objects.get(code="GX-HD-01")
    assert project.actual_start == datetime.date(2026, 3, 4)
    assert project.stage == "started" and project.progress_percent == 5
    assert project.verified_period == "2026-W10"
    # The lead unit's page shows the verified facts.
    page = reporter.get(PAGE).content.decode()
    assert "2026-03-04" in page and "已核验" in page


def test_a_returned_report_says_why_and_is_filed_again_with_its_version(renewal):
    reporter = signed_in(renewal["reporter_hdjd"])
    _report(reporter, period="2026-W11", progress_percent="30")
    report = RenewalReport.objects.get()
    tf = token_client(renewal["tf_citywork"])
    response = tf.post(
        "/api/v1/renewal-reports/{}/return".format(report.pk),
        {"reason": "进度与现场不符", "version": report.version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    page = reporter.get(PAGE).content.decode()
    assert "进度与现场不符" in page
    # Filed again from the page, which names the version it showed.
    report.refresh_from_db()
    response = _report(
        reporter,
        period="2026-W11",
        progress_percent="12",
        **{"version_2026-W11": str(report.version)},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.progress_percent, report.version) == ("submitted", 12, 3)


def test_refusals_are_in_chinese_and_change_nothing(renewal):
    reporter = signed_in(renewal["reporter_hdjd"])
    response = _report(
        reporter, period="2026-W10", progress_percent="40", completed_on="2026-03-05"
    )
    assert response.status_code == 400
    assert "竣工" in response.content.decode() or "开工" in response.content.decode()
    response = _report(reporter, period="2026-W10", progress_percent="10", started_on="2026-03-20")
    assert response.status_code == 400
    response = _report(reporter, period="2026-W10", progress_percent="120")
    assert response.status_code == 400
    assert not RenewalReport.objects.exists()


def test_a_unit_never_verifies_its_own_and_others_do_not_see_it(renewal):
    _report(signed_in(renewal["reporter_hdjd"]), period="2026-W10", progress_percent="5")
    report = RenewalReport.objects.get()
    # A task-force member who also reports for Huangdao street is refused, saying why.
    dual = signed_in(renewal["dual"])
    response = dual.post(
        "/city/renewal/reports/{}/verify/".format(report.pk), {"version": report.version}
    )
    assert response.status_code == 403
    assert "从不核验" in response.content.decode() or "自己" in response.content.decode()
    # Another unit's reporter and the projects task force do not see the project.
    assert signed_in(renewal["reporter_zjj"]).get(PAGE).status_code == 404
    assert signed_in(renewal["tf_projects"]).get(PAGE).status_code == 404
    # Nor may another unit report on it.
    response = token_client(renewal["reporter_zjj"]).post(
        "/api/v1/renewal-projects/GX-HD-01/reports",
        {"period": "2026-W10", "progress_percent": 5},
        content_type="application/json",
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.state == "submitted"


def test_the_light_follows_verified_facts_only(renewal):
    # Planned start 2 March: a week later, not started → yellow; three weeks later → red.
    assert _light("GX-HD-01", datetime.date(2026, 3, 9)).light == "yellow"
    assert _light("GX-HD-01", datetime.date(2026, 3, 25)).light == "red"
    reporter = signed_in(renewal["reporter_hdjd"])
    _report(reporter, period="2026-W10", progress_percent="5", started_on="2026-03-04")
    assert _light("GX-HD-01", datetime.date(2026, 3, 25)).light == "red"
    report = RenewalReport.objects.get()
    signed_in(renewal["tf_citywork"]).post(
        "/city/renewal/reports/{}/verify/".format(report.pk), {"version": report.version}
    )
    # Started; 5 % against about 10 % of the time: on schedule, but last week's report is
    # missing (week 12, due 23 March).
    state = _light("GX-HD-01", datetime.date(2026, 3, 25))
    assert (state.light, state.reason) == ("yellow", "report_missing"), state.reason_text
    assert "2026年第12周" in state.reason_text
    # By July, 5 % against about 68 % due: far behind → red, in words.
    state = _light("GX-HD-01", datetime.date(2026, 7, 15))
    assert state.light == "red" and "5%" in state.reason_text
