"""The campaign overview: every target of the plan, grouped by battle."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.log import history_of
from vanguard.board.cockpit import cockpit
from vanguard.board.queries import overview, trajectory_chart
from vanguard.board.rows import target_rows
from vanguard.board.work import current_of, queue_of
from vanguard.calendar.services import missing_next_year
from vanguard.org.access import (
    SCOPE_ALL,
    SCOPE_NONE,
    access_for,
    data_scope,
    may_keep_calendar,
    restrict,
)
from vanguard.org.queries import current_campaign
from vanguard.supervision.queue import shown_total, total
from vanguard.targets.models import Target


@login_required
def campaign_overview(request, code=None):
    """The signed-in person's work queue, then the targets by battle, with period,
    cadence, task force and where each should stand today."""
    # The current campaign is read once for the page and the navigation's count.
    campaign = (None if code else current_of(request)) or current_campaign(code)
    today = timezone.localdate()
    scope = data_scope(request.user)
    # Only a reader of every unit is shown the district's actuals, gaps and lights: a
    # unit's own counts judged against the district's targets would read as failure.
    if scope == SCOPE_ALL:
        figures = cockpit(campaign, request.user, today)
    else:
        figures = overview(campaign, request.user, today)
    _campaign, queue = queue_of(request, campaign)
    context = {
        "campaign": campaign,
        "today": today,
        "no_access": scope == SCOPE_NONE,
        "whole_district": scope == SCOPE_ALL,
        "show_queue": access_for(request.user).takes_part,
        "queue": queue,
        "queue_total": total(queue),
        "queue_shown": shown_total(queue),
        # The checkpoints are worked out from the plan for this moment; the actuals
        # carry their own as-of times, and the lights theirs.
        "data_at": timezone.now(),
        "with_lights": scope == SCOPE_ALL,
        "as_of_note": _("checkpoints worked out from the plan for today"),
        **figures,
    }
    for battle in context["battles"]:
        battle["rows"] = target_rows(campaign, battle["targets"], scope == SCOPE_ALL)
    # The office keeps the calendar current: from November it is told when next year's
    # holidays are missing, since reports falling due then only get provisional dates.
    if may_keep_calendar(request.user):
        context["holidays_missing"] = missing_next_year(today)
    return render(request, "board/overview.html", context)


@login_required
def target_detail(request, campaign, code):
    """One target: its trajectory (以月保季、以季保年) as a chart and table, and its history."""
    target = get_object_or_404(
        restrict(Target.objects.select_related("campaign", "task_force"), request.user),
        campaign__code=campaign,
        code=code,
    )
    checkpoints = list(target.checkpoints.order_by("end_date", "period_kind"))
    context = {
        "target": target,
        "checkpoints": checkpoints,
        "chart": trajectory_chart(target, checkpoints, timezone.localdate()),
        "history": history_of(target, limit=50),
    }
    return render(request, "board/target_detail.html", context)
