"""City cases: the list (filters, counts per state, Excel) and a case taken in by the office.

Reads go through ``citywork.queries.cases`` (``org.access``), writes through
``citywork.actions.cases``. A case's own page and its steps are in ``views.case_detail``,
the categories and routes in ``views.case_categories``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.citywork.actions.case_support import do_merge
from vanguard.citywork.actions.cases import do_report_case
from vanguard.citywork.forms.cases import NewCaseForm
from vanguard.citywork.models import Case
from vanguard.citywork.models.cases import OPEN_STATES, CaseSource, CaseState, pk_of_number
from vanguard.citywork.queries import cases as queries
from vanguard.citywork.views.common import (
    PAGE_SIZE,
    as_of,
    campaign_of,
    light_options,
    pager_qs,
    unit_options,
)
from vanguard.core.asof import as_of_line
from vanguard.core.forms import add_action_errors
from vanguard.exchange.xlsx import Sheet, xlsx_response
from vanguard.maps import district
from vanguard.org import access
from vanguard.org.queries import current_campaign

# Longer lists are written by a background job (exchange.jobs): a city's year of cases
# takes longer to write than a request may last.
EXPORT_IN_REQUEST = 5000


def case_url(case):
    return "{}?campaign={}".format(
        reverse("citywork:case_detail", args=[case.number]), case.campaign.code
    )


def require_see_cases(user):
    access.require(
        access.may_see_cases(user), _("Your account takes no part in the campaign's city cases.")
    )


@login_required
def case_list(request):
    """The cases the user sees: filters, counts per state, one row per case."""
    require_see_cases(request.user)
    campaign = campaign_of(request)
    filters = queries.clean_filters(request.GET)
    paginator = Paginator(queries.listed(request.user, campaign, filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    counts = queries.state_counts(request.user, campaign, filters)
    units = queries.cases_for(request.user, campaign).order_by().values("unit_id").distinct()
    without_state = request.GET.copy()
    for key in ("state", "page"):
        without_state.pop(key, None)
    context = {
        "campaign": campaign,
        "filters": filters,
        "states": [(value, label, counts.get(value, 0)) for value, label in CaseState.choices],
        "open_count": sum(counts.get(state, 0) for state in OPEN_STATES),
        "total": sum(counts.values()),
        "state_qs": without_state.urlencode(),
        "groups": queries.categories(),
        "sources": CaseSource.choices,
        "lights": light_options(),
        "unit_options": unit_options(request.user, units, filters["unit"]),
        "grids": queries.grid_options(request.user),
        "page": page,
        "cases": page.object_list,
        "now": timezone.now(),
        "pager_qs": pager_qs(request),
        "export_qs": pager_qs(request),
        "may_keep": access.may_keep_cases(request.user),
        **as_of(campaign),
    }
    return render(request, "citywork/case_list.html", context)


# --- the list as Excel ---------------------------------------------------------------------------


def _yes_no(value):
    if value is None:
        return None
    return _("Yes") if value else _("No")


def case_rows(cases):
    """The export's header and rows: dates as dates, numbers as numbers, words in Chinese."""
    headers = [
        _("Case number"),
        _("Source"),
        _("Main category"),
        _("Subcategory"),
        _("Address of the problem"),
        _("Description"),
        _("Grid"),
        _("Responsible unit"),
        _("State"),
        _("Reported at"),
        _("Dispatched at"),
        _("Due at"),
        _("Handled at"),
        _("Closed at"),
        _("Closed in time"),
        _("Past the time limit"),
        _("Returns"),
        _("Rework"),
        _("Postponed"),
        _("Also reported by"),
        _("12345 ticket"),
        _("Light"),
    ]
    lights = dict(light_options())

    def rows():
        for case in cases.iterator(chunk_size=2000):
            category = case.category
            yield (
                case.number,
                case.get_source_display(),
                category.parent.name if category.parent_id else "",
                category.name,
                case.address,
                case.description,
                case.grid.name if case.grid_id else "",
                case.unit.name if case.unit_id else "",
                case.get_state_display(),
                case.reported_at,
                case.dispatched_at,
                case.due_at,
                case.handled_at,
                case.closed_at,
                _yes_no(case.closed_on_time),
                _yes_no(case.late),
                case.bounce_count,
                case.rework_count,
                _yes_no(case.postponed),
                case.supporters,
                case.hotline_ticket,
                str(lights.get(case.light, "")),
            )

    return headers, rows()


def case_export_of(user, campaign, filters):
    """The file name, sheets and row count of the filtered list (also a job's, exchange.jobs)."""
    cases = queries.listed(user, campaign, filters)
    count = cases.count()
    headers, rows = case_rows(cases)
    sheet = Sheet(
        title=_("City cases"),
        caption=[
            _("{campaign}: city cases").format(campaign=campaign.name),
            as_of_line(timezone.now()),
        ],
        headers=headers,
        rows=rows,
        wrap_columns={5},
        widths={5: 40},
    )
    name = _("City cases {day}.xlsx").format(day=timezone.localdate().strftime("%Y%m%d"))
    return name, [sheet], count


def build_case_export(owner, params):
    """A long export, as its owner may see it (registered with exchange.jobs)."""
    campaign = current_campaign(params.get("campaign"))
    return case_export_of(owner, campaign, queries.clean_filters(params.get("filters") or {}))


@login_required
def case_export(request):
    """The filtered list as an Excel workbook; a long one is written by a background job."""
    require_see_cases(request.user)
    campaign = campaign_of(request)
    filters = queries.clean_filters(request.GET)
    if queries.filtered(request.user, campaign, filters).count() > EXPORT_IN_REQUEST:
        from vanguard.exchange.jobs import start_export

        job = start_export(
            "cases_export",
            user=request.user,
            params={"campaign": campaign.code, "filters": filters},
        )
        return redirect("exchange:job", pk=job.pk)
    name, sheets, _count = case_export_of(request.user, campaign, filters)
    return xlsx_response(name, sheets)


# --- a case taken in ------------------------------------------------------------------------------


def _report(form, campaign, user):
    data = form.cleaned_data
    return do_report_case(
        campaign=campaign,
        source=data["source"],
        category=data["category_obj"],
        lon=data["lon"],
        lat=data["lat"],
        coordinate_system=data["coordinate_system"],
        address=data["address"],
        description=data["description"],
        hotline_ticket=data["hotline_ticket"],
        reporter_name=data["reporter_name"],
        reporter_phone=data["reporter_phone"],
        actor=user,
    )


@login_required
def case_new(request):
    """The office or the task force takes in a case: a 12345 call, an inspection finding.

    Before saving, the open cases of the same category nearby are shown ("the same
    problem?"): the person saves a new case anyway, or merges the report into one of them.
    """
    access.require_keep_cases(request.user)
    campaign = campaign_of(request)
    form = NewCaseForm(request.POST or None)
    nearby = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            # Once the person has seen the open cases nearby: "new" saves a case anyway, a
            # case number merges the report into that case.
            same = (request.POST.get("same") or "").strip()[:32]
            if not same:
                nearby = queries.nearby(
                    request.user, campaign, data["category_obj"], *data["point"]
                )
            if not nearby:
                try:
                    case, done = _save(form, campaign, request.user, same)
                except ValidationError as error:
                    add_action_errors(form, error)
                else:
                    messages.success(request, done)
                    return redirect(case_url(case))
            else:
                status = 200
    return render(
        request,
        "citywork/case_form.html",
        {
            "form": form,
            "campaign": campaign,
            "nearby": nearby,
            "map_data": {"district": district.district()["geometry"]},
        },
        status=status,
    )


def _save(form, campaign, user, same):
    """Save the report, merged into the case ``same`` names unless it says "new"; the case
    to show and what to say."""
    with transaction.atomic():
        case = _report(form, campaign, user)
        if not same or same == "new":
            return case, _("Case {number} is taken in.").format(number=case.number)
        target = queries.cases_for(user, campaign).filter(pk=pk_of_number(same) or 0).first()
        if target is None:
            raise ValidationError({"same": _("No case {number}.").format(number=same)})
        do_merge(case, into=target, actor=user, version=case.version)
    target = Case.objects.select_related("campaign").get(pk=target.pk)
    return target, _("The report is merged into {number} as the same problem.").format(
        number=target.number
    )
