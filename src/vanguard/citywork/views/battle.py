"""The third battle's page and its weekly summary (周落实), as a page and as Excel."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanguard.citywork.queries import cases as case_queries
from vanguard.citywork.queries.targets import target_progress
from vanguard.citywork.queries.weekly import weekly_summary
from vanguard.citywork.views.common import as_of, campaign_of
from vanguard.citywork.weeks import WeekDue, read_week, week_of
from vanguard.core.asof import as_of_line
from vanguard.exchange.xlsx import GENERAL, Sheet, xlsx_response
from vanguard.org import access

PARTIAL_NOTE = gettext_lazy(
    "These are the verified counts of your units only. The targets and their lights are the"
    " whole district's, so your counts are not judged against them."
)


@login_required
def battle(request):
    """The third battle's targets with verified figures and lights, and its pages."""
    campaign = campaign_of(request)
    scope = access.data_scope(request.user)
    if scope == access.SCOPE_NONE:
        return render(request, "citywork/battle.html", {"campaign": campaign, "no_access": True})
    today = min(timezone.localdate(), campaign.end_date)
    whole = scope == access.SCOPE_ALL
    context = {
        "campaign": campaign,
        "today": today,
        "rows": target_progress(campaign, request.user, today, judged=whole),
        "partial": not whole,
        "partial_note": PARTIAL_NOTE,
        "week": week_of(today),
        # The city cases the person sees: open, past their time limit, at each step.
        "cases": case_queries.summary(request.user, campaign),
        **as_of(campaign),
    }
    return render(request, "citywork/battle.html", context)


def _week(request, campaign):
    """The week asked for (?week=2026-W10), else the last one whose report fell due."""
    today = min(timezone.localdate(), campaign.end_date)
    try:
        week = read_week(request.GET["week"]) if request.GET.get("week") else None
    except ValueError:
        week = None
    if week is None:
        week = week_of(today).previous()
    return week, today


def _weeks(campaign, today):
    week, first = week_of(today), week_of(campaign.start_date)
    weeks = []
    while week.start >= first.start:
        weeks.append((week.label, week.display_label))
        week = week.previous()
    return weeks


@login_required
def weekly(request):
    """The week of every campaign and renewal kind: planned, reported, verified, light."""
    campaign = campaign_of(request)
    if access.data_scope(request.user) == access.SCOPE_NONE:
        return render(request, "citywork/weekly.html", {"campaign": campaign, "no_access": True})
    week, today = _week(request, campaign)
    context = {
        "campaign": campaign,
        "week": week,
        "due": WeekDue(campaign)(week),
        "weeks": _weeks(campaign, today),
        "previous": week.previous(),
        "next": week.next() if week.next().start <= today else None,
        **weekly_summary(request.user, campaign, week),
        **as_of(campaign),
    }
    return render(request, "citywork/weekly.html", context)


@login_required
def weekly_export(request):
    """The same week as an Excel workbook: campaigns, renewal kinds, a note of when."""
    if access.data_scope(request.user) == access.SCOPE_NONE:
        raise PermissionDenied
    campaign = campaign_of(request)
    week, _today = _week(request, campaign)
    summary = weekly_summary(request.user, campaign, week)
    lights = {"red": _("Red"), "yellow": _("Yellow"), "green": _("Green"), "grey": _("No data")}
    campaigns = Sheet(
        title=_("Campaigns"),
        caption=[
            _("{campaign}: weekly summary of {week}").format(
                campaign=campaign.name, week=week.display_label
            )
        ],
        headers=[
            _("Campaign"),
            _("Lead unit"),
            _("Measuring unit"),
            _("Planned"),
            _("Reported"),
            _("Report"),
            _("Verified"),
            _("Planned to date"),
            _("Verified to date"),
            _("Light"),
            _("Points behind"),
        ],
        rows=[
            (
                r.name,
                r.unit,
                r.measuring_unit,
                r.planned,
                r.reported,
                r.state,
                r.verified,
                r.planned_to_date,
                r.verified_to_date,
                lights.get(r.light, ""),
                r.points_behind,
            )
            for r in summary["campaigns"]
        ],
    )
    kinds = Sheet(
        title=_("Renewal kinds"),
        headers=[
            _("Kind"),
            _("Reports due"),
            _("Reports filed"),
            _("Reports verified"),
            _("Starts planned to date"),
            _("Starts reported to date"),
            _("Starts verified to date"),
            _("Light"),
            _("Points behind"),
        ],
        rows=[
            (
                r.name,
                r.due,
                r.filed,
                r.checked,
                r.planned,
                r.reported,
                r.verified,
                lights.get(r.light, ""),
                r.points_behind,
            )
            for r in summary["kinds"]
        ],
        formats=dict.fromkeys(range(1, 7), GENERAL),
    )
    notes = Sheet(title=_("Notes"), headers=[_("Note")], rows=[(as_of_line(timezone.now()),)])
    return xlsx_response(
        _("Weekly summary {week}.xlsx").format(week=week.label), [campaigns, kinds, notes]
    )
