"""Dekad reports (旬调度) and certification (旬认定), as reporters and the task force meet them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.projects.conftest import MARCH_5
from vanguard.audit.log import verify_chain
from vanguard.blockers.models import Blocker
from vanguard.projects.actions import (
    do_certify_reports,
    do_correct_report,
    do_return_report,
    do_set_stage,
    do_submit_report,
    do_update_project,
)
from vanguard.projects.choices import MilestoneState, ReportStatus, SizeClass, Stage
from vanguard.projects.models import DekadReport, Milestone


def submit(project, user, **kwargs):
    kwargs.setdefault("progress", "完成场地平整")
    kwargs.setdefault("today", MARCH_5)
    return do_submit_report(project, actor=user, **kwargs)


def test_a_new_project_gets_its_size_class_and_one_milestone_per_key_node(fgj_project):
    assert fgj_project.size_class == SizeClass.SIZE_1E8
    assert fgj_project.investment_display == "12亿元"
    assert fgj_project.milestones.count() == 7
    approval = fgj_project.milestones.get(node__code="project_approval")
    assert approval.planned_date == datetime.date(2026, 2, 10)


def test_a_reporter_files_this_dekads_report_and_it_is_due_after_the_dekad(
    fgj_project, fgj_reporter
):
    report = submit(fgj_project, fgj_reporter, investment_yuan=5_000_000)
    assert report.period == "2026-03-D1"
    assert report.status == ReportStatus.SUBMITTED
    assert report.due_date == datetime.date(2026, 3, 11)
    assert not report.late


def test_a_report_filed_after_its_due_date_is_marked_late(fgj_project, fgj_reporter):
    report = submit(fgj_project, fgj_reporter, period="2026-02-D3", today=MARCH_5)
    # Feb 21-28 ends on a Saturday that is a make-up working day; due Monday March 2.
    assert report.due_date == datetime.date(2026, 3, 2)
    assert report.late


def test_a_dekad_that_has_not_started_cannot_be_reported(fgj_project, fgj_reporter):
    with pytest.raises(ValidationError) as error:
        submit(fgj_project, fgj_reporter, period="2026-03-D2")
    assert "period" in error.value.message_dict


def test_a_reporter_of_another_unit_cannot_report_and_nothing_is_written(
    fgj_project, hdjd_reporter
):
    with pytest.raises(PermissionDenied, match="区发展和改革局"):
        submit(fgj_project, hdjd_reporter)
    assert DekadReport.objects.count() == 0


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"investment_yuan": -1}, "investment_yuan"),
        ({"node_dates": {"land_use": datetime.date(2026, 3, 9)}}, "node_dates"),
        ({"node_dates": {"no_such_node": MARCH_5}}, "node_dates"),
        ({"stage_reached": Stage.STARTED}, "stage_date"),
        ({"progress": "  "}, "progress"),
    ],
)
def test_bad_report_content_names_the_field_and_writes_nothing(
    fgj_project, fgj_reporter, kwargs, field
):
    with pytest.raises(ValidationError) as error:
        submit(fgj_project, fgj_reporter, **kwargs)
    assert field in error.value.message_dict
    assert DekadReport.objects.count() == 0


def test_certification_locks_the_report_and_applies_its_facts(
    fgj_project, fgj_reporter, projects_member
):
    report = submit(
        fgj_project,
        fgj_reporter,
        stage_reached=Stage.STARTED,
        stage_date=datetime.date(2026, 3, 3),
        node_dates={"project_approval": datetime.date(2026, 2, 8)},
    )
    fgj_project.refresh_from_db()
    assert fgj_project.stage == Stage.NEGOTIATING  # nothing counts before certification

    do_certify_reports([report], actor=projects_member, today=datetime.date(2026, 3, 12))

    report.refresh_from_db()
    fgj_project.refresh_from_db()
    assert report.status == ReportStatus.CERTIFIED
    assert fgj_project.stage == Stage.STARTED
    assert fgj_project.started_on == datetime.date(2026, 3, 3)
    assert fgj_project.started_certified_on == datetime.date(2026, 3, 12)
    # Started implies introduced: the skipped stage counts from the same facts.
    assert fgj_project.introduced_on == datetime.date(2026, 3, 3)
    milestone = Milestone.objects.get(project=fgj_project, node__code="project_approval")
    assert milestone.state == MilestoneState.DONE
    assert milestone.actual_date == datetime.date(2026, 2, 8)
    assert verify_chain().ok


def test_a_report_after_certification_is_refused(fgj_project, fgj_reporter, projects_member):
    do_certify_reports([submit(fgj_project, fgj_reporter)], actor=projects_member)
    with pytest.raises(ValidationError, match="XHA-0001"):
        submit(fgj_project, fgj_reporter, progress="改一下")


def test_a_correction_supersedes_the_certified_report_once_certified(
    fgj_project, fgj_reporter, projects_member
):
    original = submit(fgj_project, fgj_reporter, investment_yuan=100)
    do_certify_reports([original], actor=projects_member)
    correction = do_correct_report(
        original,
        actor=fgj_reporter,
        reason="金额填错",
        progress="完成场地平整",
        investment_yuan=200,
        today=MARCH_5,
    )
    original.refresh_from_db()
    assert original.status == ReportStatus.CERTIFIED  # still counts until the correction does
    do_certify_reports([correction], actor=projects_member)
    original.refresh_from_db()
    assert original.status == ReportStatus.SUPERSEDED
    assert correction.supersedes == original
    assert DekadReport.objects.filter(project=fgj_project).count() == 2


def test_a_returned_report_is_corrected_and_resubmitted(fgj_project, fgj_reporter, projects_member):
    report = submit(fgj_project, fgj_reporter)
    with pytest.raises(ValidationError):
        do_return_report(report, actor=projects_member, reason="")
    do_return_report(report, actor=projects_member, reason="未附节点证明")
    again = submit(fgj_project, fgj_reporter, progress="补充证明材料")
    assert again.supersedes == report
    assert DekadReport.objects.get(pk=report.pk).return_reason == "未附节点证明"


def test_only_the_projects_task_force_certifies(fgj_project, fgj_reporter, office_clerk):
    report = submit(fgj_project, fgj_reporter)
    for user in (fgj_reporter, office_clerk):
        with pytest.raises(PermissionDenied):
            do_certify_reports([report], actor=user)


def test_certifying_a_report_twice_is_refused(fgj_project, fgj_reporter, projects_member):
    report = submit(fgj_project, fgj_reporter)
    do_certify_reports([report], actor=projects_member)
    with pytest.raises(ValidationError):
        do_certify_reports([report], actor=projects_member)


def test_blockers_in_a_report_become_tracked_items_of_the_lead_unit(fgj_project, fgj_reporter, fgj):
    submit(fgj_project, fgj_reporter, blockers=["用地指标未落实", ("电力接入", "需供电公司配合")])
    blockers = Blocker.objects.about(fgj_project).order_by("title")
    assert [b.title for b in blockers] == ["用地指标未落实", "电力接入"] or len(blockers) == 2
    assert all(b.unit == fgj and b.state == "open" for b in blockers)


def test_a_stage_goes_back_only_with_a_reason(fgj_project, office_clerk):
    do_set_stage(fgj_project, Stage.STARTED, on=MARCH_5, actor=office_clerk)
    with pytest.raises(ValidationError):
        do_set_stage(fgj_project, Stage.INTRODUCED, on=MARCH_5, actor=office_clerk)
    project = do_set_stage(
        fgj_project, Stage.INTRODUCED, on=MARCH_5, actor=office_clerk, reason="开工认定有误"
    )
    assert project.stage == Stage.INTRODUCED and project.started_on is None
    assert project.stage_changes.last().reason == "开工认定有误"


def test_a_stale_project_edit_is_refused(fgj_project, office_clerk):
    do_update_project(fgj_project, actor=office_clerk, expected_version=1, sector="高端装备")
    with pytest.raises(ValidationError, match="someone else|其他人|reload|重新"):
        do_update_project(fgj_project, actor=office_clerk, expected_version=1, sector="海洋经济")
    fgj_project.refresh_from_db()
    assert fgj_project.sector == "高端装备"


def test_changing_the_investment_moves_the_size_class(fgj_project, office_clerk):
    project = do_update_project(fgj_project, actor=office_clerk, investment_yuan=60 * 10**8)
    assert project.size_class == SizeClass.SIZE_5E9


def test_a_dekads_investment_beyond_the_whole_project_is_refused(fgj_project, fgj_reporter):
    too_much = fgj_project.investment_yuan + 1
    with pytest.raises(ValidationError) as error:
        submit(fgj_project, fgj_reporter, investment_yuan=too_much)
    assert "investment_yuan" in error.value.message_dict
    assert DekadReport.objects.count() == 0


def test_large_amounts_are_written_plainly():
    from vanguard.core.money import format_yuan

    assert format_yuan(999_999_999_990_000) == "10000000亿元"
    assert format_yuan(123_456) == "12.35万元"
