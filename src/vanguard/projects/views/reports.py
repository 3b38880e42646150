"""Pages of the dekad reports: a unit's report form and one report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.log import history_of
from vanguard.blockers.choices import BlockerState
from vanguard.blockers.models import Blocker
from vanguard.calendar.periods import PeriodKind, parse_label
from vanguard.core.compiled import Compiled
from vanguard.core.money import to_wan
from vanguard.org import access
from vanguard.org.access import restrict
from vanguard.org.choices import Battle
from vanguard.projects.actions import dekad_of, do_correct_report, do_submit_report
from vanguard.projects.actions.locking import LIVE
from vanguard.projects.choices import ReportStatus
from vanguard.projects.deadlines import dekad_due
from vanguard.projects.forms import CorrectionForm, DekadReportForm, ReturnForm
from vanguard.projects.models import DekadReport, ReportedNode
from vanguard.projects.views.projects import get_project_for_view


@login_required
def report_form(request, code):
    """The lead unit's report on a project for the current dekad (or an earlier open one)."""
    project = get_project_for_view(request, code)
    access.require(access.may_report(request.user, project))
    today = timezone.localdate()
    dekad = dekad_of(today)
    period = request.GET.get("period") or request.POST.get("period") or dekad.label
    form = None
    if request.method == "POST":
        milestones = _milestones(project)
        # The report it revises is the one the form names; the filing checks it under
        # its lock. The dekad's reports are read only for a form shown again.
        form = DekadReportForm(request.POST, project=project, milestones=milestones)
        if form.is_valid():
            try:
                report = do_submit_report(
                    project, actor=request.user, period=period, **form.action_kwargs()
                )
            except ValidationError as error:
                form.add_action_errors(error)
            else:
                messages.success(
                    request,
                    _(
                        "Report for {dekad} submitted; it counts once the task force certifies it."
                    ).format(dekad=dekad_of(report.period_start).display_label),
                )
                return redirect("projects:detail", code=project.code)
    # The form shows the waiting report's nodes; a certified one's are not shown here.
    live = _live(project, period, nodes_of=[ReportStatus.SUBMITTED])
    waiting = live.get(ReportStatus.SUBMITTED)
    certified = live.get(ReportStatus.CERTIFIED)
    if form is None and certified is None:
        # A certified dekad's page shows no form: it leads to the correction page.
        form = DekadReportForm(
            None,
            project=project,
            milestones=_milestones(project),
            initial=_report_initial(waiting),
        )
    recent = [dekad, dekad.previous(), dekad.previous().previous()]
    context = {
        "project": project,
        "report_due": _report_due(project, period, waiting or certified, today),
        "form": form,
        "waiting": waiting,
        # A certified dekad is corrected on the certified report's correction page.
        "certified": certified,
        "period": period,
        "dekads": [(d.label, d.display_label) for d in recent],
        "open_problems": Blocker.objects.about(project)
        .filter(state=BlockerState.OPEN)
        .order_by("raised_on", "pk"),
    }
    return render(request, "projects/report_form.html", context)


def _milestones(project):
    return list(project.milestones.select_related("node").order_by("node__order"))


def _report_due(project, period, filed, today):
    """The dekad's due date under the campaign's rule and whether its report is late."""
    try:
        dekad = parse_label(period)
    except ValueError:
        return None
    if dekad.kind != PeriodKind.DEKAD:
        return None
    due = dekad_due(project.campaign, dekad)
    return {
        "period": dekad.display_label,
        "day": due.day,
        "provisional": due.provisional,
        "filed": filed is not None,
        "filed_late": filed.late if filed is not None else False,
        "late": filed is None and today > due.day,
    }


def _live_reports(project_id, period):
    return DekadReport.objects.filter(project_id=project_id, period=period, status__in=LIVE)


def _live_nodes(project_id, period):
    return ReportedNode.objects.filter(
        report__project_id=project_id, report__period=period, report__status__in=LIVE
    ).select_related("node")


# Every report form and correction page reads them: written once a process.
_LIVE_REPORTS = Compiled(_live_reports, -918273645, "vanguard-stand-in")
_LIVE_NODES = Compiled(_live_nodes, -918273645, "vanguard-stand-in")


def _live(project, period, nodes_of=LIVE):
    """The dekad's waiting and certified reports, each with the key nodes it says were
    reached (``node_list``): read when one of them has a status in ``nodes_of``."""
    reports = {report.pk: report for report in _LIVE_REPORTS.objects(project.pk, period)}
    for report in reports.values():
        report.node_list = []
    if any(report.status in nodes_of for report in reports.values()):
        for reached in _LIVE_NODES.objects(project.pk, period):
            if reached.report_id in reports:
                reports[reached.report_id].node_list.append(reached)
    return {report.status: report for report in reports.values()}


def _report_initial(waiting, shown=None):
    """The form's values from the report waiting for review, so a resubmission revises it.

    ``shown`` is the report whose figures fill the form when none waits (a correction
    starts from the certified report).
    """
    source = waiting or shown
    initial = {"replaces": str(waiting.pk) if waiting else ""}
    if source is None:
        return initial
    initial.update(
        {
            "progress": source.progress,
            "investment_wan": to_wan(source.investment_yuan),
            "stage_reached": source.stage_reached,
            "stage_date": source.stage_date,
            "blockers": "\n".join(b.title for b in source.blockers.order_by("pk")),
        }
    )
    for reached in source.node_list:
        initial["node_" + reached.node.code] = reached.actual_date
    return initial


@login_required
def report_detail(request, pk):
    """One report with what it says and what became of it."""
    report = get_object_or_404(
        restrict(DekadReport.objects.select_related("project", "unit", "supersedes"), request.user),
        pk=pk,
    )
    context = {
        "report": report,
        "nodes": report.nodes.select_related("node").order_by("node__order"),
        "problems": report.blockers.select_related("unit").order_by("pk"),
        "history": history_of(report, limit=20),
        "may_review": access.may_certify(request.user, Battle.PROJECTS)
        and report.status == ReportStatus.SUBMITTED,
        "may_correct": report.status == ReportStatus.CERTIFIED
        and access.may_report(request.user, report.project),
        "return_form": ReturnForm(),
    }
    return render(request, "projects/report_detail.html", context)


def _as_live(live, report):
    """``report`` as the dekad's live reports hold it (with its nodes), or read again when
    it is no longer one of them (certified in its place meanwhile)."""
    found = live.get(report.status)
    if found is not None and found.pk == report.pk:
        return found
    report.node_list = list(report.nodes.select_related("node"))
    return report


@login_required
def correction_form(request, pk):
    """The lead unit's correction of a certified report; the task force certifies it."""
    report = get_object_or_404(
        restrict(DekadReport.objects.select_related("project__lead_unit"), request.user), pk=pk
    )
    project = report.project
    access.require(access.may_report(request.user, project))
    if report.status != ReportStatus.CERTIFIED:
        certified = _live(project, report.period, nodes_of=()).get(ReportStatus.CERTIFIED)
        if certified is not None:
            messages.info(
                request,
                _(
                    "The certified report of {dekad} is report {new}: a correction corrects it."
                ).format(dekad=report.period_display, new=certified.pk),
            )
            return redirect("projects:report_correction", pk=certified.pk)
        messages.error(
            request, _("Only a certified report is corrected; this one can be resubmitted.")
        )
        return redirect("projects:report_detail", pk=report.pk)
    milestones = _milestones(project)
    if request.method == "POST":
        # The correction checks under its locks what it replaces; the dekad's reports
        # are read only for a form shown again.
        form = CorrectionForm(request.POST, project=project, milestones=milestones)
        if form.is_valid():
            try:
                correction = do_correct_report(report, actor=request.user, **form.action_kwargs())
            except ValidationError as error:
                form.add_action_errors(error)
            else:
                messages.success(
                    request,
                    _(
                        "Correction of {dekad} filed; it replaces the certified report once the"
                        " task force certifies it."
                    ).format(dekad=report.period_display),
                )
                return redirect("projects:report_detail", pk=correction.pk)
    live = _live(project, report.period)
    shown = _as_live(live, report)
    if request.method != "POST":
        initial = _report_initial(live.get(ReportStatus.SUBMITTED), shown=shown)
        form = CorrectionForm(None, project=project, milestones=milestones, initial=initial)
    context = {
        "project": project,
        "report": report,
        "waiting": live.get(ReportStatus.SUBMITTED),
        "form": form,
        "nodes": sorted(shown.node_list, key=lambda reached: reached.node.order),
    }
    return render(request, "projects/report_correction.html", context)
