"""The district demo is believable: every invariant a reader would check holds, by query.

The demo is generated once for the module, as of a day early in a month (when last
month's statistics are not published yet), and rolled back afterwards.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from vanguard.blockers.models import Blocker, BlockerStep
from vanguard.demo.projects.words import PROGRESS
from vanguard.enterprises.models import EnterpriseMonth, KeyEnterprise, Visit
from vanguard.indicators.models import Observation
from vanguard.projects.models import DekadReport, Milestone, Project, ReportedNode, StageChange

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 3)
# The first moment after TODAY, in the district's time.
TOMORROW = timezone.make_aware(
    datetime.datetime.combine(TODAY + datetime.timedelta(days=1), datetime.time())
)
CONSTRUCTION = PROGRESS["started"] + PROGRESS["completed"]


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command(
                "demo", "--scale", "district", "--seed", "1", "--today", TODAY.isoformat(),
                stdout=io.StringIO(),
            )  # fmt: skip
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_nothing_is_dated_after_today():
    after = {
        "report filed": DekadReport.objects.filter(
            Q(submitted_at__gte=TOMORROW) | Q(period_start__gt=TODAY) | Q(stage_date__gt=TODAY)
        ),
        "report certified": DekadReport.objects.filter(reviewed_at__gte=TOMORROW),
        "node reported": ReportedNode.objects.filter(actual_date__gt=TODAY),
        "node done": Milestone.objects.filter(actual_date__gt=TODAY),
        "stage reached": Project.objects.filter(
            Q(introduced_on__gt=TODAY) | Q(started_on__gt=TODAY) | Q(completed_on__gt=TODAY)
        ),
        "stage certified": Project.objects.filter(
            Q(introduced_certified_on__gt=TODAY)
            | Q(started_certified_on__gt=TODAY)
            | Q(completed_certified_on__gt=TODAY)
        ),
        "statistic entered": Observation.objects.filter(recorded_at__gte=TOMORROW),
        "enterprise figure entered": EnterpriseMonth.objects.filter(recorded_at__gte=TOMORROW),
        "expectation given": KeyEnterprise.objects.filter(expectation_on__gt=TODAY),
        "visit": Visit.objects.filter(Q(visited_on__gt=TODAY) | Q(recorded_at__gte=TOMORROW)),
        "problem": Blocker.objects.filter(Q(raised_on__gt=TODAY) | Q(resolved_on__gt=TODAY)),
        "problem followed": BlockerStep.objects.filter(at__gte=TOMORROW),
    }
    assert {what: qs.count() for what, qs in after.items()} == dict.fromkeys(after, 0)
    # October's statistics come out after the 3rd of November: the demo stops at September.
    assert Observation.objects.latest("month").month == datetime.date(2026, 9, 1)
    assert DekadReport.objects.filter(period="2026-11-D1").exists()


def test_every_project_has_a_responsible_person_of_its_lead_unit_and_most_have_support():
    projects = Project.objects.all()
    assert not projects.filter(responsible_person__isnull=True).exists()
    assert not projects.exclude(responsible_person__unit=F("lead_unit")).exists()
    supported = projects.filter(supporting_units__isnull=False).distinct().count()
    assert 0.6 * projects.count() <= supported < projects.count()
    assert not projects.filter(supporting_units=F("lead_unit")).exists()


def test_progress_speaks_of_the_stage_the_project_was_at():
    reports = DekadReport.objects.all()
    assert not reports.filter(project__stage="negotiating", progress__in=CONSTRUCTION).exists()
    # A certified report speaks of construction only once the start is certified.
    assert (
        not reports.filter(status="certified", progress__in=CONSTRUCTION)
        .exclude(project__started_on__lte=F("period_end"))
        .exists()
    )
    assert (
        not reports.filter(progress__in=PROGRESS["negotiating"])
        .exclude(
            Q(project__introduced_on__isnull=True) | Q(project__introduced_on__gt=F("period_start"))
        )
        .exists()
    )
    for stage in ("negotiating", "introduced", "started"):
        assert reports.filter(progress__in=PROGRESS[stage]).exists(), stage


def test_key_nodes_are_done_in_their_order():
    same_project = Milestone.objects.filter(project=OuterRef("project"))
    done = Milestone.objects.filter(state="done")
    assert done.filter(actual_date__isnull=True).count() == 0
    earlier_after = same_project.filter(
        node__order__lt=OuterRef("node__order"), actual_date__gt=OuterRef("actual_date")
    )
    assert not done.filter(Exists(earlier_after)).exists()
    skipped = same_project.filter(node__order__lt=OuterRef("node__order"), state="pending")
    assert not done.filter(Exists(skipped)).exists()
    assert done.count() and Milestone.objects.filter(state="pending").exists()


def test_stages_agree_with_the_certified_reports_and_key_nodes():
    started = Project.objects.filter(stage__in=["started", "completed"])
    assert started.exists()
    # A started project has its start node (and every approval before it) done by its start.
    nodes = Milestone.objects.filter(project__in=started)
    assert not nodes.exclude(state="done").exists()
    assert not nodes.filter(actual_date__gt=F("project__started_on")).exists()
    certified = DekadReport.objects.filter(status="certified")
    for stage, field in [
        ("introduced", "introduced_on"),
        ("started", "started_on"),
        ("completed", "completed_on"),
    ]:
        carrying = certified.filter(stage_reached=stage)
        assert carrying.exists(), stage
        assert not carrying.exclude(**{"project__" + field: F("stage_date")}).exists(), stage
        assert not carrying.exclude(
            **{"project__{}_certified_on".format(field[:-3]): F("reviewed_at__date")}
        ).exists(), stage
        # A stage reached during the reported dekads was counted through a report.
        first_dekad = DekadReport.objects.order_by("period_start").first().period_start
        uncarried = Project.objects.filter(**{field + "__gte": first_dekad}).exclude(
            Exists(carrying.filter(project=OuterRef("pk")))
        )
        assert not uncarried.exists(), stage
    # Whatever a certified report says a node reached, the project map shows.
    shown = Milestone.objects.filter(
        project=OuterRef("report__project"),
        node=OuterRef("node"),
        state="done",
        actual_date=OuterRef("actual_date"),
    )
    assert (
        not ReportedNode.objects.filter(report__status="certified").exclude(Exists(shown)).exists()
    )
    # Nothing the task force has not certified shows on a project.
    waiting = DekadReport.objects.filter(status__in=["submitted", "returned"])
    assert not waiting.filter(stage_reached="started", project__started_on=F("stage_date")).exists()


def test_each_certified_stage_was_recorded_when_its_report_was_certified():
    # The progress page and the cockpit state their 数据截至 from the stage changes:
    # each certified report carrying a stage made one, at the moment it was certified.
    carrying = DekadReport.objects.filter(status="certified").exclude(stage_reached="")
    changes = StageChange.objects.filter(report__isnull=False)
    assert carrying.count() == changes.count() > 0
    assert not changes.exclude(report__stage_reached=F("to_stage")).exists()
    assert not changes.exclude(at=F("report__reviewed_at")).exists()
    assert not changes.exclude(on=F("report__stage_date")).exists()
    assert not changes.filter(from_stage=F("to_stage")).exists()
    assert not changes.filter(at__gte=TOMORROW).exists()


def test_the_progress_page_states_when_its_certified_data_is_as_of(client, django_user_model):
    client.force_login(django_user_model.objects.get(username="leader"))
    page = client.get("/projects/progress/").content.decode()
    assert "数据截至" in page and "尚无数据" not in page


def test_problems_raised_in_reports_are_in_the_pool_named_by_the_reports_that_repeat_them():
    report = DekadReport.objects.filter(pk=OuterRef("occasion_id"))
    problems = Blocker.objects.filter(source_kind="project").annotate(
        report_project=Subquery(report.values("project_id")),
        report_start=Subquery(report.values("period_start")),
    )
    assert problems.filter(state="open").exists() and problems.filter(state="resolved").exists()
    assert not problems.exclude(Exists(DekadReport.blockers.through.objects.filter(
        blocker=OuterRef("pk"), dekadreport=OuterRef("occasion_id")
    ))).exists()  # fmt: skip
    assert not problems.exclude(report_project=F("source_id")).exists()
    assert not problems.filter(raised_on__lt=F("report_start")).exists()
    assert BlockerStep.objects.filter(kind="dispatched").exists()


def test_talks_end_in_improvement_or_referral_and_each_case_file_verifies(tmp_path):
    from vanguard.audit.bundle import verify_bundle
    from vanguard.supervision.models import Referral, Talk
    from vanguard.supervision.talks.casefile import case_file_zip

    outcomes = sorted(Talk.objects.values_list("state", "outcome"))
    assert outcomes == [
        ("closed", "improved"),
        ("referred", "still_red"),
        ("referred", "still_red"),
    ]
    assert sorted(Referral.objects.values_list("state", flat=True)) == ["decided", "referred"]
    assert not Talk.objects.filter(
        Q(proposed_at__gte=TOMORROW) | Q(held_on__gt=TODAY) | Q(followed_up_on__gt=TODAY)
    ).exists()
    for referral in Referral.objects.all():
        content, _name = case_file_zip(referral)
        path = tmp_path / "case-{}.zip".format(referral.pk)
        path.write_bytes(content)
        check = verify_bundle(path)
        assert check.ok, check.failures


def test_cases_come_from_every_source_in_every_state_on_their_clock():
    from django.db.models import Count

    from vanguard.citywork.models import Case, CaseEvent
    from vanguard.citywork.models.cases import CaseSource, CaseState
    from vanguard.citywork.queries.case_figures import case_figures, total

    cases = Case.objects.all()
    assert 2000 <= cases.count() <= 10000
    states = dict(cases.values_list("state").annotate(n=Count("pk")).order_by())
    assert set(states) == set(CaseState.values), states
    # About a tenth open on the day, as a real pool carries.
    open_share = sum(states[s] for s in ("reported", "registered", "dispatched", "returned",
                                         "handled")) / cases.count()  # fmt: skip
    assert 0.05 < open_share < 0.15, states
    assert set(cases.values_list("source", flat=True)) == set(CaseSource.values)
    for turn in ("postponed", "bounce_count__gt", "rework_count__gt", "supporters__gt"):
        assert cases.filter(**{turn: True if turn == "postponed" else 0}).exists(), turn
    assert not cases.filter(
        Q(reported_at__gte=TOMORROW) | Q(closed_at__gte=TOMORROW) | Q(handled_at__gte=TOMORROW)
    ).exists()
    # The clock: dispatched after the report, due after dispatch, replied after dispatch.
    assert not cases.filter(dispatched_at__lt=F("reported_at")).exists()
    assert not cases.filter(due_at__lte=F("dispatched_at")).exists()
    assert not cases.filter(handled_at__lt=F("dispatched_at")).exists()
    assert not cases.filter(
        state="closed", closed_on_time=True, handled_at__gt=F("due_at")
    ).exists()
    assert not cases.filter(
        state="closed", closed_on_time=False, handled_at__lte=F("due_at")
    ).exists()
    assert not cases.filter(state="merged", merged_into__isnull=True).exists()
    assert not cases.filter(
        state__in=["dispatched", "returned", "handled"], unit__isnull=True
    ).exists()
    # At district scale every case has its flow record, first step its report.
    assert not cases.exclude(
        Exists(CaseEvent.objects.filter(case=OuterRef("pk"), action="report"))
    ).exists()
    # Last month reads like a month of a real pool: most due cases closed, most in time.
    last = TODAY.replace(day=1) - datetime.timedelta(days=1)
    month = total(case_figures(cases.first().campaign, last.replace(day=1), last).values())
    assert month.dispatched > 100 and month.returned > 0 and month.rework > 0
    assert 70 < month.close_rate < 100 and 70 < month.on_time_rate < 100, month


def test_each_past_bulletin_has_its_cases_section():
    from vanguard.supervision.models import Bulletin

    bulletins = list(Bulletin.objects.order_by("month"))
    assert bulletins and all("派遣城市管理案件" in b.narrative.get("cases", "") for b in bulletins)
    assert any("按期结案率最低的单位" in b.narrative["cases"] for b in bulletins)
