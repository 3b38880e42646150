"""The dekad report workbook: downloaded prefilled by a unit, uploaded filled in."""

import datetime
import io

import pytest

from tests.exchange.workbooks import as_file, read_rows
from tests.projects.conftest import MARCH_5
from vanguard.audit.models import ChangeEntry
from vanguard.calendar.periods import parse_label
from vanguard.core.money import YI
from vanguard.exchange.xlsx import write_workbook
from vanguard.projects.actions import do_certify_reports, do_create_project, do_submit_report
from vanguard.projects.choices import MilestoneState, ReportStatus, Stage
from vanguard.projects.models import DekadReport, Milestone
from vanguard.projects.sheets.dekad import DekadReportImporter, report_workbook

D1 = parse_label("2026-03-D1")
HEADER_ROW = 3  # a title and a note above the header


def download(user, plan, unit):
    return read_rows(
        write_workbook([report_workbook(user=user, campaign=plan, unit=unit, period=D1)])
    )


def run(user, plan, rows, apply=True, today=MARCH_5):
    importer = DekadReportImporter(actor=user, campaign=plan, today=today)
    return importer.apply(as_file(rows)) if apply else importer.dry_run(as_file(rows))


def col(rows, header):
    return rows[HEADER_ROW - 1].index(header)


def letter(rows, header):
    return chr(ord("A") + col(rows, header))


def fill(rows, code, **values):
    """Fill the row of project ``code`` by header."""
    row = next(r for r in rows[HEADER_ROW:] if r[0] == code)
    for header, value in values.items():
        row[col(rows, header)] = value
    return rows


@pytest.fixture
def second_fgj_project(plan, fgj, office_clerk):
    return do_create_project(
        campaign=plan,
        code="XHA-0003",
        name="智能制造基地",
        lead_unit=fgj,
        investment_yuan=2 * YI,
        actor=office_clerk,
    )


def test_the_workbook_has_one_row_per_active_project_of_the_unit(
    fgj_project, second_fgj_project, hdjd_project, fgj_reporter, plan, fgj
):
    rows = download(fgj_reporter, plan, fgj)
    assert "2026-03-D1" in rows[0][0] and "区发展和改革局" in rows[0][0]
    headers = rows[HEADER_ROW - 1]
    assert headers[:5] == ["项目编号", "项目名称", "当前阶段", "本旬状态", "基于旬报"]
    assert headers[5:7] == ["立项计划日期", "立项完成日期"]
    assert headers[-5:] == [
        "本旬进展",
        "本旬完成投资（万元）",
        "达到阶段",
        "达到阶段日期",
        "堵点问题（每行一个）",
    ]
    assert [r[0] for r in rows[HEADER_ROW:]] == ["XHA-0001", "XHA-0003"]
    assert rows[HEADER_ROW][col(rows, "立项计划日期")] == datetime.datetime(2026, 2, 10)
    assert rows[HEADER_ROW][col(rows, "用地手续办理计划日期")] == datetime.datetime(2026, 3, 20)


def test_a_filled_in_workbook_files_every_rows_report(
    fgj_project, second_fgj_project, fgj_reporter, plan, fgj
):
    rows = download(fgj_reporter, plan, fgj)
    fill(
        rows,
        "XHA-0001",
        本旬进展="完成场地平整",
        **{
            "本旬完成投资（万元）": 350.5,
            "立项完成日期": "2026年3月2日",
            "达到阶段": "引进（签约）",
            "达到阶段日期": "2026/3/3",
            "堵点问题（每行一个）": "1. 施工用电\n2. 道路占用",
        },
    )
    fill(rows, "XHA-0003", 本旬进展="设计招标", **{"本旬完成投资（万元）": "0"})
    result = run(fgj_reporter, plan, rows, apply=False)
    assert result.ok, [str(p) for p in result.problems]
    assert result.counts["create"] == 2
    changes = {c.field: c.after for c in result.rows[0].changes}
    assert changes["investment_yuan"] == "350.5万元"
    assert changes["node:project_approval"] == "2026-03-02"
    assert not DekadReport.objects.exists()

    result = run(fgj_reporter, plan, rows)
    assert result.applied, [str(p) for p in result.problems]
    report = DekadReport.objects.get(project=fgj_project)
    assert report.period == "2026-03-D1"
    assert report.investment_yuan == 3_505_000
    assert report.stage_reached == Stage.INTRODUCED
    assert report.stage_date == datetime.date(2026, 3, 3)
    assert [n.actual_date for n in report.nodes.all()] == [datetime.date(2026, 3, 2)]
    assert sorted(report.blockers.values_list("title", flat=True)) == ["施工用电", "道路占用"]
    assert DekadReport.objects.get(project=second_fgj_project).investment_yuan == 0


def test_rows_left_blank_are_skipped_and_an_unchanged_upload_files_nothing_new(
    fgj_project, second_fgj_project, fgj_reporter, plan, fgj
):
    rows = fill(download(fgj_reporter, plan, fgj), "XHA-0001", 本旬进展="主体施工")
    first = run(fgj_reporter, plan, rows)
    assert first.applied
    assert first.counts["create"] == 1 and first.counts["skip"] == 1
    # The next download is prefilled with the waiting report; uploading it again changes nothing.
    again = download(fgj_reporter, plan, fgj)
    assert again[HEADER_ROW][col(again, "本旬进展")] == "主体施工"
    entries = ChangeEntry.objects.count()
    second = run(fgj_reporter, plan, again)
    assert second.applied and second.counts["unchanged"] == 1
    assert ChangeEntry.objects.count() == entries
    assert DekadReport.objects.count() == 1


def test_a_changed_row_replaces_the_report_waiting_for_certification(
    fgj_project, fgj_reporter, plan, fgj
):
    run(fgj_reporter, plan, fill(download(fgj_reporter, plan, fgj), "XHA-0001", 本旬进展="甲"))
    result = run(
        fgj_reporter, plan, fill(download(fgj_reporter, plan, fgj), "XHA-0001", 本旬进展="乙")
    )
    assert result.applied and result.counts["update"] == 1
    statuses = sorted(DekadReport.objects.values_list("progress", "status"))
    assert statuses == [("乙", ReportStatus.SUBMITTED), ("甲", ReportStatus.SUPERSEDED)]


def test_a_node_already_done_and_prefilled_is_not_reported_again(
    fgj_project, fgj_reporter, plan, fgj
):
    Milestone.objects.filter(project=fgj_project, node__code="project_approval").update(
        actual_date=datetime.date(2026, 2, 9), state=MilestoneState.DONE
    )
    rows = download(fgj_reporter, plan, fgj)
    assert rows[HEADER_ROW][col(rows, "立项完成日期")] == datetime.datetime(2026, 2, 9)
    result = run(fgj_reporter, plan, rows, apply=False)
    assert result.ok and result.counts["skip"] == 1
    fill(rows, "XHA-0001", 本旬进展="推进")
    assert run(fgj_reporter, plan, rows).applied
    assert not DekadReport.objects.get().nodes.exists()


@pytest.mark.parametrize(
    "case",
    ["another_units_project", "after_certification", "node_date_in_future", "negative_amount"],
)
def test_bad_input_is_an_error_at_its_row_and_column_and_nothing_is_written(
    case, fgj_project, hdjd_project, fgj_reporter, projects_member, plan, fgj
):
    rows = fill(download(fgj_reporter, plan, fgj), "XHA-0001", 本旬进展="推进")
    expected_column = "项目编号"
    if case == "another_units_project":
        extra = [None] * len(rows[HEADER_ROW])
        extra[0] = "XHA-0002"
        extra[col(rows, "本旬进展")] = "替别人报"
        rows.append(extra)
    elif case == "after_certification":
        report = do_submit_report(fgj_project, actor=fgj_reporter, progress="已报", today=MARCH_5)
        do_certify_reports([report], actor=projects_member, today=MARCH_5)
    elif case == "node_date_in_future":
        fill(rows, "XHA-0001", 用地手续办理完成日期="2026-03-09")
        expected_column = "用地手续办理完成日期"
    elif case == "negative_amount":
        fill(rows, "XHA-0001", **{"本旬完成投资（万元）": -20})
        expected_column = "本旬完成投资（万元）"
    reports = DekadReport.objects.count()
    entries = ChangeEntry.objects.count()
    result = run(fgj_reporter, plan, rows)
    assert not result.applied
    [problem] = result.problems
    expected_row = len(rows) if case == "another_units_project" else HEADER_ROW + 1
    assert (problem.row, problem.column, problem.header) == (
        expected_row,
        letter(rows, expected_column),
        expected_column,
    )
    assert " / " not in problem.message
    assert DekadReport.objects.count() == reports
    assert ChangeEntry.objects.count() == entries


def test_a_stage_that_goes_backwards_or_lacks_its_date_is_an_error(
    fgj_project, fgj_reporter, plan, fgj
):
    rows = fill(download(fgj_reporter, plan, fgj), "XHA-0001", 本旬进展="推进", 达到阶段="开工")
    result = run(fgj_reporter, plan, rows, apply=False)
    assert [(p.row, p.column) for p in result.problems] == [(4, letter(rows, "达到阶段日期"))]


def test_a_workbook_for_a_dekad_not_yet_open_is_refused(fgj_project, fgj_reporter, plan, fgj):
    rows = fill(download(fgj_reporter, plan, fgj), "XHA-0001", 本旬进展="推进")
    result = run(fgj_reporter, plan, rows, today=datetime.date(2026, 2, 27))
    assert not result.applied
    assert len(result.problems) == 1 and result.problems[0].row == HEADER_ROW


def test_the_office_may_download_but_not_upload(fgj_project, office_clerk, fgj_reporter, plan, fgj):
    rows = fill(download(office_clerk, plan, fgj), "XHA-0001", 本旬进展="推进")
    result = run(office_clerk, plan, rows)
    assert not result.applied and len(result.problems) == 1
    assert not DekadReport.objects.exists()


def test_a_workbook_without_its_dekad_uses_the_one_chosen_on_upload(
    fgj_project, fgj_reporter, plan, fgj
):
    rows = fill(download(fgj_reporter, plan, fgj), "XHA-0001", 本旬进展="推进")
    rows = rows[HEADER_ROW - 1 :]  # title rows cut off
    refused = DekadReportImporter(actor=fgj_reporter, campaign=plan, today=MARCH_5).dry_run(
        as_file(rows)
    )
    assert len(refused.problems) == 1
    importer = DekadReportImporter(
        actor=fgj_reporter, campaign=plan, period=parse_label("2026-02-D3"), today=MARCH_5
    )
    assert importer.apply(io.BytesIO(as_file(rows).getvalue())).applied
    assert DekadReport.objects.get().period == "2026-02-D3"
