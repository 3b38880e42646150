"""Target progress and the monthly progress charts (进度图), as a page and as Excel."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanguard.calendar.periods import PeriodKind, parse_label, period_containing
from vanguard.core.asof import as_of_line
from vanguard.exchange.xlsx import GENERAL, Sheet, xlsx_response
from vanguard.org import access
from vanguard.org.access import restrict
from vanguard.org.choices import Battle
from vanguard.org.queries import current_campaign
from vanguard.projects.lights import SubjectKind
from vanguard.projects.progress import certified_as_of, progress_chart, target_progress
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import last_recompute, pace_light, policy_for
from vanguard.supervision.models import LightState

WORST_FIRST = [Light.RED, Light.YELLOW, Light.GREEN, Light.GREY]
# How many lead units the page's ranking chart shows; the Excel workbook has them all.
CHART_UNITS = 30
# The plan gives units no share of the projects targets: a unit's view says why it
# shows counts alone.
PARTIAL_NOTE = gettext_lazy(
    "These are the certified counts of your units only. The targets, checkpoints and "
    "lights are the whole district's, so your counts are not judged against them."
)


def _month(request, campaign):
    """The month asked for (?month=2026-05), else this month, kept inside the campaign."""
    today = min(timezone.localdate(), campaign.end_date)
    label = request.GET.get("month", "")
    try:
        month = parse_label(label) if label else period_containing(PeriodKind.MONTH, today)
    except ValueError:
        month = period_containing(PeriodKind.MONTH, today)
    if month.kind != PeriodKind.MONTH:
        month = period_containing(PeriodKind.MONTH, today)
    return month, today


def _partial(chart):
    """The chart of a partial view: its own counts, without the district's checkpoints."""
    for measure in ("introduced", "started"):
        chart[measure]["checkpoint"] = [None] * len(chart[measure]["checkpoint"])
        chart[measure]["target"] = None
    return chart


@login_required
def progress_page(request):
    """Each projects target's certified count, checkpoint, gap; and the month's charts.

    Only a view of every unit is judged against the district's targets: a unit's
    reporter sees their units' counts without lights or gaps (the plan gives units no
    share of the targets), and an account without data access is told so.
    """
    campaign = current_campaign(request.GET.get("campaign"))
    month, today = _month(request, campaign)
    on = min(month.end, today)
    scope = access.data_scope(request.user)
    if scope == access.SCOPE_NONE:
        return render(
            request,
            "projects/progress.html",
            {"campaign": campaign, "month": month, "on": on, "no_access": True},
        )
    # The page shows no target's counts by unit (the API and the chart's ranking do).
    rows = target_progress(campaign, request.user, on, per_unit=False)
    chart = progress_chart(campaign, request.user, on, units=CHART_UNITS)
    partial = scope == access.SCOPE_UNITS
    if partial:
        chart = _partial(chart)
    else:
        rows = _with_lights(rows, campaign, on)
    months = []
    m = period_containing(PeriodKind.MONTH, datetime.date(campaign.year, 1, 1))
    while m.start <= today:
        months.append((m.label, m.display_label))
        m = m.next()
    context = {
        "campaign": campaign,
        "month": month,
        "on": on,
        "months": months,
        "rows": rows,
        "chart": chart,
        "partial": partial,
        "partial_note": PARTIAL_NOTE,
        "data_at": certified_as_of(campaign, request.user),
        "labels": {
            "introduced": _("Introduced ≥100 million yuan"),
            "introduced_all": _("Introduced"),
            "started": _("Started"),
            "checkpoint": _("Checkpoint"),
            "actual": _("Certified"),
            "target": _("Target"),
            "units": _("By lead unit (year to date)")
            if chart["units_ranked"] <= CHART_UNITS
            else _("By lead unit (year to date): the first {shown} of {total}").format(
                shown=len(chart["units"]), total=chart["units_ranked"]
            ),
            "sizes": _("By size class"),
        },
    }
    return render(request, "projects/progress.html", context)


def _with_lights(rows, campaign, on):
    """Give each target row its light against the checkpoint of ``on`` (one policy read)."""
    policy = policy_for(campaign)
    for row in rows:
        row.closed = on > row.target.period_end
        row.light, row.points_behind = pace_light(
            row.actual, row.expected, policy, closed=row.closed
        )
    return rows


@login_required
def progress_export(request):
    """The same figures as an Excel workbook: targets, the monthly series, the units."""
    campaign = current_campaign(request.GET.get("campaign"))
    month, today = _month(request, campaign)
    on = min(month.end, today)
    scope = access.data_scope(request.user)
    if scope == access.SCOPE_NONE:
        raise PermissionDenied
    rows = target_progress(campaign, request.user, on)
    chart = progress_chart(campaign, request.user, on)
    # A unit's counts are not measured against the district's checkpoints.
    whole = scope == access.SCOPE_ALL
    if not whole:
        chart = _partial(chart)
    targets_sheet = Sheet(
        title=_("Targets"),
        headers=[
            _("Target"),
            _("Period"),
            _("Target value"),
            _("Checkpoint"),
            _("Certified"),
            _("Gap"),
        ],
        rows=[
            (
                r.target.name,
                r.target.period,
                float(r.target.value),
                float(r.expected) if whole and r.expected is not None else None,
                r.actual,
                float(r.gap) if whole and r.gap is not None else None,
            )
            for r in rows
        ],
        # Counts of projects: 12 and 3.5 as they are, not 12.00.
        formats=dict.fromkeys((2, 3, 5), GENERAL),
    )
    monthly_sheet = (
        _("Monthly"),
        [
            _("Month"),
            _("Introduced ≥100 million yuan"),
            _("Introduction checkpoint"),
            _("Started"),
            _("Start checkpoint"),
        ],
        zip(
            chart["months"],
            chart["introduced"]["actual"],
            chart["introduced"]["checkpoint"],
            chart["started"]["actual"],
            chart["started"]["checkpoint"],
            strict=True,
        ),
    )
    units_sheet = (
        _("Units"),
        [_("Lead unit"), _("Introduced ≥100 million yuan"), _("Started")],
        zip(chart["units"], chart["unit_introduced"], chart["unit_started"], strict=True),
    )
    as_of = certified_as_of(campaign, request.user)
    note = as_of_line(as_of)
    if not whole:
        note += " · " + str(PARTIAL_NOTE)
    notes_sheet = (_("Notes"), [_("Note")], [(note,)])
    return xlsx_response(
        _("Progress chart {month}.xlsx").format(month=month.display_label),
        [targets_sheet, monthly_sheet, units_sheet, notes_sheet],
    )


UNIT_LIGHTS_PAGE_SIZE = 100


@login_required
def unit_lights_page(request):
    """Each lead unit's light (亮灯) from the lights of its projects, worst first."""
    campaign = current_campaign(request.GET.get("campaign"))
    if access.data_scope(request.user) == access.SCOPE_NONE:
        return render(
            request, "projects/unit_lights.html", {"campaign": campaign, "no_access": True}
        )
    rank = Case(
        *[When(light=value, then=Value(i)) for i, value in enumerate(WORST_FIRST)],
        default=Value(len(WORST_FIRST)),
        output_field=IntegerField(),
    )
    states = (
        restrict(LightState.objects.filter(campaign=campaign, kind=SubjectKind.UNIT), request.user)
        .select_related("unit")
        .annotate(rank=rank)
        .order_by("rank", "unit__name")
    )
    recomputed = last_recompute(campaign, Battle.PROJECTS)
    pager = request.GET.copy()
    pager.pop("page", None)
    context = {
        "campaign": campaign,
        # A province has ten thousand units: a page of them, worst first.
        "page": Paginator(states, UNIT_LIGHTS_PAGE_SIZE).get_page(request.GET.get("page")),
        "pager_qs": pager.urlencode(),
        "with_lights": True,
        "lights_at": recomputed.at if recomputed else None,
        "data_at": recomputed.at if recomputed else None,
    }
    return render(request, "projects/unit_lights.html", context)
