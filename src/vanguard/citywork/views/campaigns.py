"""City-management campaigns: the list, a campaign's weeks, reports, verification, the form.

Reads go through ``citywork.queries`` (``org.access``), writes through
``citywork.actions.campaigns``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanguard.citywork.actions.campaigns import (
    do_create_city_campaign,
    do_report_campaign,
    do_return_campaign_report,
    do_set_week_plan,
    do_update_city_campaign,
    do_verify_campaign_report,
)
from vanguard.citywork.choices import ReportState
from vanguard.citywork.forms.campaigns import CityCampaignForm, WeekPlanForm, person_of
from vanguard.citywork.forms.reports import CampaignReportForm
from vanguard.citywork.lights import CAMPAIGN
from vanguard.citywork.queries import campaigns as queries
from vanguard.citywork.queries.scope import campaign_reports_for, campaigns_for
from vanguard.citywork.views.common import add_errors, as_of, campaign_of, page_url, seen_or_404
from vanguard.citywork.views.weekly_common import (
    ReportPages,
    file_report,
    return_report,
    subject_context,
    verify_report,
)
from vanguard.core.preconditions import is_stale
from vanguard.org import access


def _detail_url(city_campaign):
    return page_url("citywork:campaign_detail", city_campaign)


def campaign_for_view(request, code):
    return seen_or_404(request, campaigns_for, code, "lead_unit", "responsible_person", "campaign")


def _report_form(city_campaign, today, data=None):
    """The report form, offering the campaign's weeks begun by today, latest first."""
    weeks = [
        (w.period, "{} ({})".format(w.period, w.period_start.strftime("%m-%d")))
        for w in city_campaign.weeks.filter(period_start__lte=today).order_by("-period_start")
    ]
    return CampaignReportForm(data, weeks=weeks)


@login_required
def campaign_list(request):
    """The city-management campaigns the user sees: light, planned and verified to date."""
    access.require_participant(request.user)
    campaign = campaign_of(request)
    today = timezone.localdate()
    context = {
        "campaign": campaign,
        "campaigns": queries.listed(request.user, campaign, today),
        "may_manage": access.may_manage_weekly_work(request.user),
        **as_of(campaign),
    }
    return render(request, "citywork/campaign_list.html", context)


@login_required
def campaign_detail(request, code, *, report_form=None, status=200):
    """One campaign: its measure, every week's plan, report and verified figure, its light."""
    access.require_participant(request.user)
    city_campaign = campaign_for_view(request, code)
    today = timezone.localdate()
    weeks = queries.weeks_of(city_campaign)
    context = {
        "city_campaign": city_campaign,
        "weeks": weeks,
        "today": today,
        "open_reports": [
            w.report for w in weeks if w.report and w.report.state != ReportState.VERIFIED
        ],
        "may_manage": access.may_manage_weekly_work(request.user),
        **subject_context(request, city_campaign, _REPORTS, report_form, today),
    }
    return render(request, "citywork/campaign_detail.html", context, status=status)


@login_required
def campaign_report(request, code):
    """The lead unit's reporter files (or corrects) a week's quantity."""
    return file_report(request, code, _REPORTS)


@login_required
@require_POST
def campaign_verify(request, pk):
    """The task force verifies a week's report: its quantity counts from now on."""
    return verify_report(request, pk, _REPORTS)


@login_required
@require_POST
def campaign_return(request, pk):
    """The task force returns a week's report with a reason."""
    return return_report(request, pk, _REPORTS)


def _fields(form):
    data = dict(form.cleaned_data)
    data.pop("code", None)
    data.pop("version", None)
    data["responsible_person"] = person_of(form)
    return data


@login_required
def campaign_new(request):
    """The office (or the city-work task force) defines a campaign and its weekly target."""
    access.require_manage_weekly_work(request.user)
    campaign = campaign_of(request)
    form = CityCampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = _fields(form)
        if form.is_valid():
            try:
                created = do_create_city_campaign(
                    campaign, code=form.cleaned_data["code"], actor=request.user, **fields
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("{name} is added.").format(name=created.name))
                return redirect(_detail_url(created))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "citywork/campaign_form.html",
        {"form": form, "campaign": campaign, "city_campaign": None},
        status=status,
    )


@login_required
def campaign_edit(request, code):
    """Change a campaign: a new weekly target plans the weeks not yet due."""
    access.require_manage_weekly_work(request.user)
    city_campaign = campaign_for_view(request, code)
    if request.method == "POST":
        form = CityCampaignForm(
            request.POST, initial=CityCampaignForm.initial_of(city_campaign), editing=True
        )
        if form.is_valid():
            fields = _fields(form)
            if form.is_valid():
                try:
                    do_update_city_campaign(
                        city_campaign,
                        actor=request.user,
                        version=form.cleaned_data["version"],
                        **fields,
                    )
                except ValidationError as error:
                    add_errors(form, error)
                    status = 409 if is_stale(error) else 400
                    return _form_page(request, form, city_campaign, status)
                messages.success(request, _("{name} is saved.").format(name=city_campaign.name))
                return redirect(_detail_url(city_campaign))
        return _form_page(request, form, city_campaign, 400)
    form = CityCampaignForm(initial=CityCampaignForm.initial_of(city_campaign), editing=True)
    return _form_page(request, form, city_campaign, 200)


def _form_page(request, form, city_campaign, status):
    return render(
        request,
        "citywork/campaign_form.html",
        {"form": form, "campaign": city_campaign.campaign, "city_campaign": city_campaign},
        status=status,
    )


@login_required
@require_POST
def campaign_week(request, code):
    """Plan one week of a campaign differently from its weekly target."""
    access.require_manage_weekly_work(request.user)
    city_campaign = campaign_for_view(request, code)
    form = WeekPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the quantity planned for the week."))
        return redirect(_detail_url(city_campaign))
    try:
        do_set_week_plan(
            city_campaign,
            period=form.cleaned_data["period"],
            planned=form.cleaned_data["planned"],
            actor=request.user,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The plan of {week} is saved.").format(week=form.cleaned_data["period"])
        )
    return redirect(_detail_url(city_campaign))


_REPORTS = ReportPages(
    light=CAMPAIGN,
    subject_for_view=campaign_for_view,
    report_form=_report_form,
    file=do_report_campaign,
    reports_for=campaign_reports_for,
    subject="city_campaign",
    detail_url=_detail_url,
    detail=campaign_detail,
    verify=do_verify_campaign_report,
    send_back=do_return_campaign_report,
)
