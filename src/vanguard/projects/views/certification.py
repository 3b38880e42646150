"""The certification queue: the projects task force certifies or returns dekad reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vanguard.calendar.periods import parse_label
from vanguard.org import access
from vanguard.org.choices import Battle
from vanguard.org.queries import current_campaign
from vanguard.projects import queries
from vanguard.projects.actions import do_certify_reports, do_return_report
from vanguard.projects.forms import ReturnForm
from vanguard.projects.models import DekadReport
from vanguard.projects.views.projects import PAGE_SIZE


@login_required
def certification_queue(request):
    """Submitted reports for the projects task force to certify (in bulk) or return."""
    access.require(access.may_certify(request.user, Battle.PROJECTS))
    campaign = current_campaign(request.GET.get("campaign"))
    if request.method == "POST":
        return _review(request)
    params = {"period": request.GET.get("period", ""), "unit": request.GET.get("unit", "")}
    # One dekad at a time, the oldest waiting one unless another is chosen: the task
    # force certifies dekad by dekad, and a page reads only its dekad's reports.
    periods = queries.waiting_periods(request.user, campaign, params)
    if params["period"] not in periods:
        params["period"] = periods[0] if periods else ""
    paginator = Paginator(queries.certification_queue(request.user, campaign, params), PAGE_SIZE)
    paginator.count = queries.count_waiting(request.user, campaign, params)
    pager = request.GET.copy()
    pager.pop("page", None)
    if params["period"]:
        pager["period"] = params["period"]
    context = {
        "campaign": campaign,
        "page": paginator.get_page(request.GET.get("page")),
        "params": params,
        "pager_qs": pager.urlencode(),
        "periods": [(p, parse_label(p).display_label) for p in periods],
    }
    return render(request, "projects/certification_queue.html", context)


def _review(request):
    ids = [int(pk) for pk in request.POST.getlist("report") if pk.isdigit()]
    reports = list(DekadReport.objects.filter(pk__in=ids))
    back = request.POST.get("next") or "projects:certification"
    if not reports:
        messages.warning(request, _("Select at least one report."))
        return redirect(back)
    try:
        if request.POST.get("action") == "return":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Say why the report is returned."))
                return redirect(back)
            for report in reports:
                do_return_report(report, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("{n} report(s) returned.").format(n=len(reports)))
        else:
            do_certify_reports(reports, actor=request.user)
            messages.success(request, _("{n} report(s) certified.").format(n=len(reports)))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(back)
