"""The certification queue: the projects task force certifies or returns dekad reports."""

from html import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from vanguard.calendar.periods import parse_label
from vanguard.core.links import path_of
from vanguard.org import access
from vanguard.org.choices import Battle
from vanguard.org.queries import current_campaign
from vanguard.projects import queries
from vanguard.projects.actions import (
    CertificationRefused,
    do_certify_reports,
    do_return_report,
)
from vanguard.projects.forms import ReturnForm
from vanguard.projects.models import DekadReport
from vanguard.projects.views.projects import PAGE_SIZE

# The queue counts a dekad's waiting reports up to this many pages (queries.COUNT_LIMIT):
# reports are certified oldest first, and certifying them brings in the next ones.
QUEUE_PAGES = queries.COUNT_LIMIT // PAGE_SIZE


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
    waiting = queries.certification_queue(request.user, campaign, params).only(*QUEUE_ROW_FIELDS)
    paginator = Paginator(waiting, PAGE_SIZE)
    counted = queries.count_waiting(request.user, campaign, params, limit=QUEUE_PAGES * PAGE_SIZE)
    paginator.count = min(counted, QUEUE_PAGES * PAGE_SIZE)
    pager = request.GET.copy()
    pager.pop("page", None)
    if params["period"]:
        pager["period"] = params["period"]
    page = paginator.get_page(request.GET.get("page"))
    # The dekads' names, worked out once for the drop-down and the rows (one per page).
    names = {p: parse_label(p).display_label for p in periods}
    for report in page:
        report.dekad_name = names.get(report.period) or report.period_display
    context = {
        "campaign": campaign,
        "page": page,
        "rows": _queue_rows(page),
        "params": params,
        "pager_qs": pager.urlencode(),
        "periods": list(names.items()),
        "waiting": paginator.count,
        "more_waiting": counted > paginator.count,
    }
    return render(request, "projects/certification_queue.html", context)


# What a row shows of a report, its project and its unit (``_queue_rows``).
QUEUE_ROW_FIELDS = (
    "project_id",
    "unit_id",
    "period",
    "period_start",
    "late",
    "supersedes_id",
    "stage_reached",
    "stage_date",
    "progress",
    "submitted_at",
    "project__code",
    "project__name",
    "unit__name",
)


def _queue_rows(reports):
    """The HTML of the queue's rows, one a waiting report.

    Made here rather than in the template: a page has 50 rows, and their tags, filters
    and translations were most of the page's time.
    """
    late = '<span class="badge text-bg-warning">{}</span>'.format(escape(_("late")))
    correction = '<span class="badge text-bg-info">{}</span>'.format(escape(_("correction")))
    link = path_of("projects:report_detail")
    rows = []
    for r in reports:
        reported = []
        if r.stage_reached:
            reported.append(
                "<strong>{}</strong> {}; ".format(
                    escape(str(r.get_stage_reached_display())), _month_day(r.stage_date)
                )
            )
        for n in r.node_list:
            reported.append("{} {}; ".format(escape(n.node.name), _month_day(n.actual_date)))
        reported.append(escape(Truncator(r.progress).chars(40)))
        submitted = (
            timezone.localtime(r.submitted_at).strftime("%m-%d %H:%M") if r.submitted_at else ""
        )
        rows.append(
            mark_safe(
                "<tr>"
                '<td><input type="checkbox" class="form-check-input" name="report" value="{pk}" '
                'aria-label="{code}"></td>'
                '<td class="text-nowrap"><a href="{url}" title="{period}">{dekad}</a>{late}'
                "{correction}</td>"
                "<td>{code} {name}</td>"
                '<td class="d-none d-md-table-cell">{unit}</td>'
                '<td class="small">{reported}</td>'
                '<td class="small text-nowrap d-none d-lg-table-cell">{submitted}</td>'
                "</tr>".format(
                    pk=r.pk,
                    code=escape(r.project.code),
                    url=escape(link(r.pk)),
                    period=escape(r.period),
                    dekad=escape(r.dekad_name),
                    late=" " + late if r.late else "",
                    correction=" " + correction if r.supersedes_id else "",
                    name=escape(Truncator(r.project.name).chars(20)),
                    unit=escape(r.unit.name),
                    reported="".join(reported),
                    submitted=submitted,
                )
            )
        )
    return rows


def _month_day(day):
    return day.strftime("%m-%d") if day else ""


def _review(request):
    """Certify or return the chosen reports: those that still wait are, the others named."""
    ids = list(dict.fromkeys(int(pk) for pk in request.POST.getlist("report") if pk.isdigit()))
    back = request.POST.get("next") or "projects:certification"
    if not ids:
        messages.warning(request, _("Select at least one report."))
        return redirect(back)
    if request.POST.get("action") == "return":
        form = ReturnForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Say why the report is returned."))
            return redirect(back)
        returned = 0
        for report in DekadReport.objects.filter(pk__in=ids).order_by("pk"):
            try:
                do_return_report(report, actor=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                returned += 1
        if returned:
            messages.success(request, _("{n} report(s) returned.").format(n=returned))
        return redirect(back)
    try:
        result = do_certify_reports(ids, actor=request.user)
    except CertificationRefused as error:
        messages.error(request, _("No report was certified."))
        refused = error.refused
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    else:
        messages.success(request, _("{n} report(s) certified.").format(n=len(result.certified)))
        refused = result.refused
    for refusal in refused:
        messages.warning(request, refusal.reason)
    return redirect(back)
