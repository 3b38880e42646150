"""Target progress and the monthly progress charts (进度图), as a page and as Excel."""

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.calendar.periods import PeriodKind, parse_label, period_containing
from vanguard.core.campaigns import current_campaign
from vanguard.exchange.xlsx import GENERAL, Sheet, xlsx_response
from vanguard.projects.progress import progress_chart, target_progress
from vanguard.supervision.lights import pace_light, policy_for


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


@login_required
def progress_page(request):
    """Each projects target's certified count, checkpoint, gap; and the month's charts."""
    campaign = current_campaign(request.GET.get("campaign"))
    month, today = _month(request, campaign)
    on = min(month.end, today)
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
        "rows": _with_lights(target_progress(campaign, request.user, on), campaign, on),
        "chart": progress_chart(campaign, request.user, on),
        "labels": {
            "introduced": _("Introduced ≥100 million yuan"),
            "introduced_all": _("Introduced"),
            "started": _("Started"),
            "checkpoint": _("Checkpoint"),
            "actual": _("Certified"),
            "target": _("Target"),
            "units": _("By lead unit (year to date)"),
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
    rows = target_progress(campaign, request.user, on)
    chart = progress_chart(campaign, request.user, on)
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
                float(r.expected) if r.expected is not None else None,
                r.actual,
                float(r.gap) if r.gap is not None else None,
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
    return xlsx_response(
        "progress-{}.xlsx".format(month.label), [targets_sheet, monthly_sheet, units_sheet]
    )
