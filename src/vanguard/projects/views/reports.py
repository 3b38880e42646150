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
from vanguard.core.money import to_wan
from vanguard.org import access
from vanguard.org.access import restrict
from vanguard.org.choices import Battle
from vanguard.projects.actions import dekad_of, do_submit_report
from vanguard.projects.choices import ReportStatus
from vanguard.projects.forms import DekadReportForm, ReturnForm
from vanguard.projects.models import DekadReport
from vanguard.projects.views.projects import get_project_for_view


@login_required
def report_form(request, code):
    """The lead unit's report on a project for the current dekad (or an earlier open one)."""
    project = get_project_for_view(request, code)
    access.require(access.may_report(request.user, project))
    today = timezone.localdate()
    dekad = dekad_of(today)
    period = request.GET.get("period") or request.POST.get("period") or dekad.label
    milestones = list(project.milestones.select_related("node").order_by("node__order"))
    waiting = (
        DekadReport.objects.filter(project=project, period=period, status=ReportStatus.SUBMITTED)
        .prefetch_related("nodes__node")
        .first()
    )
    form = DekadReportForm(
        request.POST or None,
        project=project,
        milestones=milestones,
        initial=_report_initial(waiting),
    )
    if request.method == "POST" and form.is_valid():
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
    recent = [dekad, dekad.previous(), dekad.previous().previous()]
    context = {
        "project": project,
        "form": form,
        "waiting": waiting,
        "period": period,
        "dekads": [(d.label, d.display_label) for d in recent],
        "open_problems": Blocker.objects.about(project)
        .filter(state=BlockerState.OPEN)
        .order_by("raised_on", "pk"),
    }
    return render(request, "projects/report_form.html", context)


def _report_initial(waiting):
    """The form's values from the report waiting for review, so a resubmission revises it."""
    if waiting is None:
        return {"replaces": ""}
    initial = {
        "replaces": str(waiting.pk),
        "progress": waiting.progress,
        "investment_wan": to_wan(waiting.investment_yuan),
        "stage_reached": waiting.stage_reached,
        "stage_date": waiting.stage_date,
        "blockers": "\n".join(b.title for b in waiting.blockers.order_by("pk")),
    }
    for reached in waiting.nodes.all():
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
        "return_form": ReturnForm(),
    }
    return render(request, "projects/report_detail.html", context)
