"""Pages of sectors (一业一策), key enterprises, their visits and open problems."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.blockers.models import Blocker
from vanguard.core.asof import as_of_line
from vanguard.core.money import to_wan, to_yuan
from vanguard.enterprises import credit_code as credit_codes
from vanguard.enterprises import queries
from vanguard.enterprises.actions import (
    StaleVersion,
    do_create_enterprise,
    do_create_sector,
    do_record_visit,
    do_set_expectation,
    do_submit_enterprise_month,
    do_update_enterprise,
    do_update_sector,
)
from vanguard.enterprises.forms import (
    EnterpriseForm,
    ExpectationForm,
    MonthFigureForm,
    ResolveForm,
    SectorForm,
    VisitForm,
    add_action_errors,
)
from vanguard.enterprises.models import EnterpriseMonth
from vanguard.exchange.xlsx import AMOUNT, INTEGER, RATE, Sheet, xlsx_response
from vanguard.indicators.actions import last_complete_month, month_of
from vanguard.org import access
from vanguard.org.models import name_of
from vanguard.org.queries import current_campaign

PAGE_SIZE = 50


def _campaign(request):
    return current_campaign(request.POST.get("campaign") or request.GET.get("campaign"))


def get_enterprise_for_view(request, code):
    """The current campaign's key enterprise with credit code ``code`` if the user may see it."""
    campaign = _campaign(request)
    return get_object_or_404(
        queries.enterprises_for(request.user, campaign).select_related("campaign"),
        credit_code=credit_codes.normalise(code),
    )


def _filters(request):
    return {key: request.GET.get(key, "").strip() for key in queries.FILTERS}


def _without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def sector_list(request):
    """Each sector: responsible unit, measures, its enterprises' output against last year."""
    access.require_participant(request.user)
    campaign = _campaign(request)
    context = {
        "campaign": campaign,
        "rows": queries.sector_rows(request.user, campaign),
        "complete": queries.sees_every_enterprise(request.user),
        "may_manage": access.may_manage_enterprises(request.user),
        "year": campaign.year,
        "data_at": queries.figures_as_of(campaign, request.user),
    }
    return render(request, "enterprises/sectors.html", context)


@login_required
def sector_edit(request, pk=None):
    """Add a sector, or change one (refused if someone else changed it meanwhile)."""
    access.require_participant(request.user)
    access.require_manage_enterprises(request.user)
    campaign = _campaign(request)
    sector = None
    initial = {}
    if pk is not None:
        sector = get_object_or_404(queries.sectors_for(request.user, campaign), pk=pk)
        initial = {
            "name": sector.name,
            "responsible_unit": sector.responsible_unit,
            "measures": sector.measures,
            "guidance_growth_pct": sector.guidance_growth_pct,
            "indicator": sector.indicator,
            "version": sector.version,
        }
    form = SectorForm(request.POST or None, campaign=campaign, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if sector is None:
                sector = do_create_sector(campaign, actor=request.user, **form.action_kwargs())
            else:
                do_update_sector(
                    sector,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    **form.action_kwargs(),
                )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Sector {name} saved.").format(name=sector.name))
            return redirect("enterprises:sectors")
    context = {"form": form, "sector": sector}
    return render(
        request, "enterprises/sector_form.html", context, status=400 if form.errors else 200
    )


@login_required
def enterprise_list(request):
    """Key enterprises, filtered by sector and serving unit, with their figures and problems."""
    access.require_participant(request.user)
    campaign = _campaign(request)
    filters = _filters(request)
    today = timezone.localdate()
    enterprises = queries.filtered_enterprises(request.user, campaign, filters)
    page = Paginator(enterprises, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "campaign": campaign,
        "filters": filters,
        "page": page,
        "rows": queries.enterprise_rows(request.user, campaign, page.object_list, today),
        "sectors": queries.sectors_for(request.user, campaign),
        "units": queries.serving_unit_choices(request.user, campaign),
        "pager_qs": _without_page(request),
        "may_manage": access.may_manage_enterprises(request.user),
        "data_at": queries.figures_as_of(campaign, request.user),
    }
    return render(request, "enterprises/list.html", context)


@login_required
def enterprise_export(request):
    """The key enterprises of the list's filters as an Excel workbook, a column per month."""
    access.require_participant(request.user)
    campaign = _campaign(request)
    today = timezone.localdate()
    months, rows = queries.enterprise_sheet_rows(request.user, campaign, _filters(request), today)
    headers = [
        _("Enterprise"),
        _("Unified social credit code"),
        _("Sector"),
        _("Serving unit"),
        *["{}月".format(m.month) for m in months],
        _("Year so far"),
        _("Same months last year"),
        _("Growth (%)"),
        _("Expectation, rest of year"),
        _("Given on"),
        _("Open problems"),
        _("Oldest open (days)"),
    ]
    sheet = Sheet(
        title=_("Key enterprises"),
        headers=headers,
        rows=rows,
        caption=[
            _("{year} key enterprises: monthly figures in 10,000 yuan").format(year=campaign.year),
            as_of_line(queries.figures_as_of(campaign, request.user)),
        ],
        # Amounts are in 万元, as the caption says, under headers that name months.
        formats={
            **dict.fromkeys(range(4, len(months) + 6), AMOUNT),
            len(months) + 6: RATE,
            len(months) + 7: AMOUNT,
            len(months) + 9: INTEGER,
            len(months) + 10: INTEGER,
        },
        freeze_columns=2,
    )
    return xlsx_response(_("Key enterprises {year}.xlsx").format(year=campaign.year), [sheet])


@login_required
def enterprise_edit(request, code=None):
    """Register a key enterprise, or change its entry (task force and office)."""
    access.require_participant(request.user)
    access.require_manage_enterprises(request.user)
    campaign = _campaign(request)
    enterprise = get_enterprise_for_view(request, code) if code else None
    initial = {}
    if enterprise is not None:
        initial = {
            key: getattr(enterprise, key)
            for key in ("name", "credit_code", "sector", "serving_unit", "figure_kind")
            + ("contact_name", "contact_phone", "version")
        }
    elif request.GET.get("sector", "").isdigit():
        initial["sector"] = int(request.GET["sector"])
    form = EnterpriseForm(request.POST or None, campaign=campaign, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if enterprise is None:
                enterprise = do_create_enterprise(
                    campaign, actor=request.user, **form.action_kwargs()
                )
            else:
                kwargs = form.action_kwargs()
                kwargs["figure_kind"] = kwargs["figure_kind"] or enterprise.figure_kind
                enterprise = do_update_enterprise(
                    enterprise,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    **kwargs,
                )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("{name} saved.").format(name=enterprise.name))
            return redirect("enterprises:detail", enterprise.credit_code)
    context = {"form": form, "enterprise": enterprise}
    return render(request, "enterprises/form.html", context, status=400 if form.errors else 200)


def _entry_months(campaign, today):
    """Months of the campaign year whose figures can be entered on ``today``, newest first."""
    last = min(last_complete_month(today), datetime.date(campaign.year, 12, 1))
    return [
        datetime.date(campaign.year, m, 1)
        for m in range(12, 0, -1)
        if datetime.date(campaign.year, m, 1) <= last
    ]


def _figure_form(enterprise, month, data=None):
    """The form of ``month``'s figure, filled with the one in force (and that figure)."""
    current = EnterpriseMonth.objects.current().filter(enterprise=enterprise, month=month).first()
    initial = {"month": month.strftime("%Y-%m")}
    if current is not None:
        initial.update(
            value_wan=to_wan(current.value_yuan),
            last_year_wan=to_wan(current.last_year_yuan),
            revises=current.version,
        )
    return MonthFigureForm(data, current=current, initial=initial), current


def _expectation_form(enterprise, today, data=None):
    initial = {
        "expectation_wan": to_wan(enterprise.expectation_yuan),
        "expectation_on": today,
        "version": enterprise.version,
    }
    return ExpectationForm(data, initial=initial)


def _month_asked(params, months):
    """The month ``params`` name (the newest open for entry by default); 404 unless open."""
    month = months[0] if months else None
    if params.get("month"):
        try:
            month = month_of(params["month"])
        except ValidationError:
            raise Http404 from None
        if month not in months:
            raise Http404
    return month


def _back_to(enterprise):
    return redirect(reverse("enterprises:detail", args=[enterprise.credit_code]))


@login_required
def enterprise_detail(request, code):
    """One key enterprise's page; a form posted from it goes to that form's handler."""
    access.require_participant(request.user)
    enterprise = get_enterprise_for_view(request, code)
    months = _entry_months(enterprise.campaign, timezone.localdate())
    if request.method != "POST":
        return _detail_page(request, enterprise, _month_asked(request.GET, months))
    month = _month_asked(request.POST, months)
    posted = request.POST.get("form")
    if posted:
        access.require_serve_enterprise(request.user, enterprise)
    handler = POST_HANDLERS.get(posted)
    if handler is None:
        return _detail_page(request, enterprise, month)
    return handler(request, enterprise, month)


def _detail_page(
    request,
    enterprise,
    month,
    *,
    figure_form=None,
    current=None,
    visit_form=None,
    expectation_form=None,
):
    """Monthly figures and chart, problems, visits and the forms to add them; a form given
    bound shows what was posted and why it was refused (400)."""
    today = timezone.localdate()
    months = _entry_months(enterprise.campaign, today)
    if figure_form is None and month is not None:
        figure_form, current = _figure_form(enterprise, month)
    if visit_form is None:
        visit_form = VisitForm(initial={"visited_on": today})
    if expectation_form is None:
        expectation_form = _expectation_form(enterprise, today)
    table, totals, chart = queries.enterprise_figures(enterprise)
    problems = queries.enterprise_problems(request.user, enterprise, today)
    for blocker in problems:
        blocker.may_resolve = access.may_handle_blocker(request.user, blocker)
    failed = any(f is not None and f.errors for f in (figure_form, visit_form, expectation_form))
    context = {
        "enterprise": enterprise,
        "data_at": queries.enterprise_as_of(enterprise),
        "table": table,
        "totals": totals,
        "chart": chart,
        "visits": queries.enterprise_visits(request.user, enterprise, problems),
        "problems": problems,
        "open_count": sum(1 for b in problems if b.state == "open"),
        "may_serve": access.may_serve_enterprise(request.user, enterprise),
        "may_manage": access.may_manage_enterprises(request.user),
        "months": [(m.strftime("%Y-%m"), "{}年{}月".format(m.year, m.month)) for m in months],
        "month": month,
        "month_value": month.strftime("%Y-%m") if month else "",
        "current": current,
        "current_by": name_of(current.recorded_by) if current else "",
        "figure_form": figure_form,
        "visit_form": visit_form,
        "expectation_form": expectation_form,
        "resolve_form": ResolveForm(),
    }
    return render(request, "enterprises/detail.html", context, status=400 if failed else 200)


def post_figure(request, enterprise, month):
    """A month's figure posted: recorded or revised, or shown again saying why not.

    Refused as stale (someone revised it meanwhile), the form shows the newer figure and
    keeps what was typed, so the revision can be made on it.
    """
    if month is None:
        # No month of the campaign year is over yet: there is nothing to record.
        return _detail_page(request, enterprise, month)
    form, current = _figure_form(enterprise, month, request.POST)
    if not form.is_valid():
        return _detail_page(request, enterprise, month, figure_form=form, current=current)
    try:
        done = do_submit_enterprise_month(
            enterprise, month, actor=request.user, **form.action_kwargs()
        )
    except StaleVersion as error:
        form.add_action_errors(error)
        form, current = _newer_figure_form(enterprise, month, request.POST, form.errors)
        return _detail_page(request, enterprise, month, figure_form=form, current=current)
    except ValidationError as error:
        form.add_action_errors(error)
        return _detail_page(request, enterprise, month, figure_form=form, current=current)
    if done.changed:
        messages.success(
            request,
            _("{name}, {year}年{month}月: version {version} recorded.").format(
                name=enterprise.name,
                year=month.year,
                month=month.month,
                version=done.figure.version,
            ),
        )
    else:
        messages.info(request, _("The figures are the same as those in force; nothing changed."))
    return _back_to(enterprise)


def _newer_figure_form(enterprise, month, posted, errors):
    """The figure form on the version now in force, with what was typed and ``errors``."""
    data = posted.copy()
    latest = EnterpriseMonth.objects.current().filter(enterprise=enterprise, month=month).first()
    data["revises"] = latest.version if latest else ""
    form, current = _figure_form(enterprise, month, data)
    form.is_valid()
    for field, messages_ in errors.items():
        for message in messages_:
            form.add_error(field if field != "__all__" else None, message)
    return form, current


def post_visit(request, enterprise, month):
    """A visit posted: recorded with the problems it raised, or shown again saying why not."""
    form = VisitForm(request.POST, initial={"visited_on": timezone.localdate()})
    if not form.is_valid():
        return _detail_page(request, enterprise, month, visit_form=form)
    try:
        visit = do_record_visit(enterprise, actor=request.user, **form.action_kwargs())
    except ValidationError as error:
        form.add_action_errors(error)
        return _detail_page(request, enterprise, month, visit_form=form)
    messages.success(
        request,
        _("Visit of {date} recorded with {n} problem(s).").format(
            date=visit.visited_on.isoformat(),
            n=Blocker.objects.about(enterprise).filter(occasion_id=visit.pk).count(),
        ),
    )
    return _back_to(enterprise)


def post_expectation(request, enterprise, month):
    """The enterprise's expectation posted: recorded, or shown again saying why not."""
    form = _expectation_form(enterprise, timezone.localdate(), request.POST)
    if not form.is_valid():
        return _detail_page(request, enterprise, month, expectation_form=form)
    data = form.cleaned_data
    try:
        do_set_expectation(
            enterprise,
            amount_yuan=to_yuan(data["expectation_wan"]),
            given_on=data["expectation_on"],
            expected_version=data.get("version"),
            actor=request.user,
        )
    except ValidationError as error:
        form.add_action_errors(error)
        return _detail_page(request, enterprise, month, expectation_form=form)
    messages.success(request, _("Expectation recorded."))
    return _back_to(enterprise)


# The enterprise page's forms, by the ``form`` field each posts.
POST_HANDLERS = {
    "figure": post_figure,
    "visit": post_visit,
    "expectation": post_expectation,
}
