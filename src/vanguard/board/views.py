"""The campaign overview: every target of the plan, grouped by battle."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from vanguard.board.queries import overview
from vanguard.core.campaigns import current_campaign


@login_required
def campaign_overview(request, code=None):
    """Targets by battle, with period, cadence, task force and where each should stand today."""
    campaign = current_campaign(code)
    today = timezone.localdate()
    context = {"campaign": campaign, "today": today, **overview(campaign, request.user, today)}
    return render(request, "board/overview.html", context)
