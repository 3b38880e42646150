"""The list of items, an item's page, a unit's progress report, a task force's verification.

Reads go through ``lists.queries`` (``org.access``), writes through ``lists.actions``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanguard.audit.log import history_of
from vanguard.core.forms import add_action_errors
from vanguard.lists import queries
from vanguard.lists.actions import do_report_progress, do_return_report, do_verify_report
from vanguard.lists.choices import ReportState
from vanguard.lists.forms import ReportForm, ReturnForm, VerifyForm
from vanguard.lists.lights import GROUP, KIND
from vanguard.lists.periods import current_period
from vanguard.lists.queue import item_due
from vanguard.org import access
from vanguard.org.choices import Battle
from vanguard.org.queries import current_campaign
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import last_recompute, lights_for

PAGE_SIZE = 50


def _campaign(request):
    return current_campaign(request.POST.get("campaign") or request.GET.get("campaign"))


def _detail_url(item):
    return "{}?campaign={}".format(reverse("lists:detail", args=[item.code]), item.campaign.code)


def get_item_for_view(request, code):
    """The current campaign's item ``code`` if the user may see it, else 404."""
    campaign = _campaign(request)
    return get_object_or_404(
        queries.items_for(request.user, campaign).select_related(
            "unit", "responsible_person", "campaign"
        ),
        code=code,
    )


def _as_of(campaign):
    recomputed = last_recompute(campaign, GROUP)
    return {
        "data_at": timezone.now(),
        "with_lights": True,
        "lights_at": recomputed.at if recomputed else None,
    }


@login_required
def item_list(request):
    """Every item the user sees, by unit, with its light and next due date."""
    access.require_participant(request.user)
    campaign = _campaign(request)
    filters = {key: request.GET.get(key, "").strip() for key in queries.FILTERS}
    paginator = Paginator(queries.filtered_items(request.user, campaign, filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    pager = request.GET.copy()
    pager.pop("page", None)
    context = {
        "campaign": campaign,
        "filters": filters,
        "unit_options": _unit_options(queries.unit_choices(request.user, campaign), filters),
        "battles": Battle.choices,
        "lights": [(Light.RED, _("Red")), (Light.YELLOW, _("Yellow")), (Light.GREEN, _("Green"))],
        "page": page,
        "items": page.object_list,
        "pager_qs": pager.urlencode(),
        "may_manage": access.may_manage_lists(request.user),
        **_as_of(campaign),
    }
    return render(request, "lists/item_list.html", context)


def _unit_options(units, filters):
    """The unit filter's options as HTML: a city's thousand units cost one join, not a
    template loop of a thousand conditions."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((code, " selected" if code == filters["unit"] else "", name) for code, name in units),
    )


def _periods(item, today):
    """The periods a unit may report, the current one first: every period of the item's
    cadence from the campaign's start up to today."""
    period = current_period(item.cadence, today)
    first = item.campaign.start_date
    periods = []
    while period.end >= first:
        periods.append((period.label, period.display_label))
        period = period.previous()
    return periods


@login_required
def item_detail(request, code, *, report_form=None, return_form=None, status=200):
    """One item: its plan, its reports and their states, its light and why."""
    access.require_participant(request.user)
    item = get_item_for_view(request, code)
    today = timezone.localdate()
    state = lights_for(KIND, [item.pk], campaign=item.campaign).get(item.pk)
    may_report = access.may_report_progress(request.user, item)
    may_verify = access.may_verify_progress(request.user, item)
    reports = list(queries.reports_of(item))
    context = {
        "item": item,
        "campaign": item.campaign,
        "light": state,
        "checkpoints": list(queries.checkpoints_of(item)),
        "reports": reports,
        "waiting": [r for r in reports if r.state == ReportState.SUBMITTED],
        # Each period's report the unit may still correct, and the version it shows.
        "open_reports": [r for r in reports if r.state != ReportState.VERIFIED],
        "may_report": may_report,
        "report_due": item_due(item, today) if may_report else None,
        "may_verify": may_verify,
        "may_edit": access.may_edit_item(request.user, item),
        "own_unit": access.reports_for(request.user, item.unit_id),
        "report_form": report_form
        or (ReportForm(periods=_periods(item, today)) if may_report else None),
        "return_form": return_form or ReturnForm(),
        "history": history_of(item)[:20],
        **_as_of(item.campaign),
    }
    return render(request, "lists/item_detail.html", context, status=status)


@login_required
def report_progress(request, code):
    """A unit's reporter files (or corrects) the progress of one period."""
    access.require_participant(request.user)
    item = get_item_for_view(request, code)
    access.require_report_progress(request.user, item)
    today = timezone.localdate()
    periods = _periods(item, today)
    if request.method != "POST":
        return redirect(_detail_url(item) + "#report-form")
    form = ReportForm(request.POST, periods=periods)
    if form.is_valid():
        data = form.cleaned_data
        # The page names the version of each period's report it showed.
        version = request.POST.get("version_" + data["period"]) or data["version"]
        try:
            report = do_report_progress(
                item,
                period=data["period"],
                quantity=data["quantity"],
                milestone_done=data["milestone_done"],
                note=data["note"],
                version=version,
                actor=request.user,
                today=today,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _("Progress of {code} for {period} is submitted for verification.").format(
                    code=item.code, period=report.period
                ),
            )
            return redirect(_detail_url(item))
    return item_detail(request, code, report_form=form, status=400)


def _report_for_view(request, pk):
    campaign = _campaign(request)
    return get_object_or_404(
        queries.reports_for(request.user, campaign).select_related("item__unit", "item__campaign"),
        pk=pk,
    )


@login_required
@require_POST
def verify_report(request, pk):
    """The task force verifies a report: its progress counts from now on."""
    access.require_participant(request.user)
    report = _report_for_view(request, pk)
    access.require_verify_progress(request.user, report.item)
    form = VerifyForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    try:
        do_verify_report(report, actor=request.user, version=version)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The report of {code} for {period} is verified.").format(
                code=report.item.code, period=report.period
            ),
        )
    return redirect(_detail_url(report.item))


@login_required
@require_POST
def return_report(request, pk):
    """The task force returns a report to its unit with a reason."""
    access.require_participant(request.user)
    report = _report_for_view(request, pk)
    access.require_verify_progress(request.user, report.item)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            do_return_report(
                report,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The report of {code} for {period} is returned to {unit}.").format(
                    code=report.item.code, period=report.period, unit=report.item.unit.name
                ),
            )
            return redirect(_detail_url(report.item))
        return redirect(_detail_url(report.item))
    return item_detail(request, report.item.code, return_form=form, status=400)
