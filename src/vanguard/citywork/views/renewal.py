"""Renewal projects: the list, a project's page, its weekly report, verification, the kinds.

Reads go through ``citywork.queries`` (``org.access``), writes through
``citywork.actions.renewal``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanguard.citywork.actions.renewal import (
    do_add_renewal_kind,
    do_report_renewal,
    do_return_renewal_report,
    do_set_renewal_kind_active,
    do_verify_renewal_report,
)
from vanguard.citywork.choices import RenewalStage, ReportState
from vanguard.citywork.forms.reports import RenewalReportForm, ReturnForm
from vanguard.citywork.lights import RENEWAL
from vanguard.citywork.models import RenewalKind
from vanguard.citywork.queries import renewal as queries
from vanguard.citywork.queries.scope import renewal_for, renewal_reports_for
from vanguard.citywork.views.common import (
    PAGE_SIZE,
    as_of,
    campaign_of,
    light_options,
    page_url,
    pager_qs,
    report_weeks,
    seen_or_404,
    unit_options,
)
from vanguard.citywork.views.weekly_common import (
    ReportPages,
    file_report,
    return_report,
    subject_context,
    verify_report,
)
from vanguard.org import access


def _detail_url(project):
    return page_url("citywork:renewal_detail", project)


def project_for_view(request, code):
    """The current campaign's project ``code`` if the user may see it, else 404."""
    return seen_or_404(
        request, renewal_for, code, "kind", "lead_unit", "responsible_person", "campaign"
    )


def _report_form(project, today, data=None):
    """The report form, offering the weeks from the campaign's (or the project's) start to
    today, latest first."""
    first = min(project.campaign.start_date, project.planned_start)
    weeks = report_weeks(first, min(today, project.campaign.end_date))
    return RenewalReportForm(data, weeks=weeks)


@login_required
def renewal_list(request):
    """Every renewal project the user sees, with its light, stage and waiting reports."""
    access.require_participant(request.user)
    campaign = campaign_of(request)
    filters = {key: request.GET.get(key, "").strip() for key in queries.FILTERS}
    paginator = Paginator(queries.filtered(request.user, campaign, filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    units = renewal_for(request.user, campaign).order_by().values("lead_unit_id").distinct()
    context = {
        "campaign": campaign,
        "filters": filters,
        "kinds": queries.kinds(),
        "stages": RenewalStage.choices,
        "lights": light_options(),
        "unit_options": unit_options(request.user, units, filters["unit"]),
        "page": page,
        "projects": page.object_list,
        "pager_qs": pager_qs(request),
        "may_manage": access.may_manage_weekly_work(request.user),
        **as_of(campaign),
    }
    return render(request, "citywork/renewal_list.html", context)


@login_required
def renewal_detail(request, code, *, report_form=None, status=200):
    """One project: its plan, location, verified facts, light, weekly reports and history."""
    access.require_participant(request.user)
    project = project_for_view(request, code)
    today = timezone.localdate()
    reports = list(queries.reports_of(project))
    context = {
        "project": project,
        "reports": reports,
        "open_reports": [r for r in reports if r.state != ReportState.VERIFIED],
        "return_form": ReturnForm(),
        **subject_context(request, project, _REPORTS, report_form, today),
    }
    return render(request, "citywork/renewal_detail.html", context, status=status)


@login_required
def renewal_report(request, code):
    """The lead unit's reporter files (or corrects) a week's report."""
    return file_report(request, code, _REPORTS)


@login_required
@require_POST
def renewal_verify(request, pk):
    """The task force verifies a weekly report: it counts from now on."""
    return verify_report(request, pk, _REPORTS)


@login_required
@require_POST
def renewal_return(request, pk):
    """The task force returns a weekly report to the lead unit with a reason."""
    return return_report(request, pk, _REPORTS)


@login_required
def renewal_kinds(request):
    """The kinds of renewal project: the office adds one, or takes one out of use."""
    access.require_participant(request.user)
    may_manage = access.may_manage_weekly_work(request.user)
    error = None
    if request.method == "POST":
        access.require_manage_weekly_work(request.user)
        try:
            if request.POST.get("kind"):
                kind = get_object_or_404(RenewalKind, code=request.POST["kind"])
                do_set_renewal_kind_active(
                    kind, active=request.POST.get("active") == "1", actor=request.user
                )
            else:
                kind = do_add_renewal_kind(name=request.POST.get("name"), actor=request.user)
                messages.success(request, _("The kind “{name}” is added.").format(name=kind.name))
            return redirect("citywork:renewal_kinds")
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return render(
        request,
        "citywork/renewal_kinds.html",
        {"kinds": queries.kinds(), "may_manage": may_manage, "error": error},
        status=400 if error else 200,
    )


_REPORTS = ReportPages(
    light=RENEWAL,
    subject_for_view=project_for_view,
    report_form=_report_form,
    file=do_report_renewal,
    reports_for=renewal_reports_for,
    subject="project",
    detail_url=_detail_url,
    detail=renewal_detail,
    verify=do_verify_renewal_report,
    send_back=do_return_renewal_report,
)
