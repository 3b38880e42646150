"""Pages of the indicators: the month's overview and an indicator's page (with the parts
other apps add to it)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from vanguard.indicators import queries
from vanguard.indicators.actions import month_of
from vanguard.indicators.choices import AreaLevel
from vanguard.indicators.models import cumulative_label
from vanguard.org import access
from vanguard.org.queries import current_campaign

# What other apps show on an indicator's page under its title (the enterprises app: the
# sectors behind it): ``template`` is included with ``part``, the dict ``context(indicator,
# user)`` returns. Apps register theirs in ``AppConfig.ready()``.
PAGE_PARTS = {}


def register_page_part(key, template, context):
    """Add a part to every indicator's page."""
    PAGE_PARTS[key] = (template, context)


def _campaign(request):
    return current_campaign(request.POST.get("campaign") or request.GET.get("campaign"))


def no_access_page(request):
    """Tell an account without a campaign role that it sees no data yet, instead of a bare 403."""
    return render(request, "core/no_access.html", status=403)


def get_indicator_for_view(request, code):
    """The current campaign's indicator named by ``code`` if the user may see it, else 404."""
    campaign = _campaign(request)
    return get_object_or_404(queries.indicators_for(request.user, campaign), code=code)


def _month_param(value, default):
    if not value:
        return default
    try:
        return month_of(value)
    except ValidationError:
        raise Http404 from None


def _month_choices(months):
    return [(m.strftime("%Y-%m"), "{}年{}月".format(m.year, m.month)) for m in months]


@login_required
def overview(request):
    """Every indicator for one month: district level and growth, comparators, targets, gaps."""
    if not access.takes_part(request.user):
        return no_access_page(request)
    campaign = _campaign(request)
    today = timezone.localdate()
    latest = queries.latest_month(campaign, today)
    month = _month_param(request.GET.get("month"), latest)
    areas = queries.areas_of(campaign, request.user)
    rows = queries.overview(campaign, request.user, month, areas)
    months = [m for m in (month.replace(month=n) for n in range(12, 0, -1)) if m <= latest]
    context = {
        "campaign": campaign,
        "month": month,
        "month_label": "{}年{}月".format(month.year, month.month),
        "months_label": cumulative_label(month),
        "months": _month_choices(months),
        "rows": rows,
        "areas": areas,
        "comparators": [a for lv, a in areas.items() if lv != AreaLevel.DISTRICT],
        "may_import": access.may_import_figures(request.user, [r.indicator for r in rows]),
        "data_at": queries.overview_as_of(rows),
    }
    return render(request, "indicators/overview.html", context)


@login_required
def indicator_detail(request, code):
    """One indicator: growth chart against the comparators and targets, figures, revisions."""
    if not access.takes_part(request.user):
        return no_access_page(request)
    indicator = get_indicator_for_view(request, code)
    areas = queries.areas_of(indicator.campaign, request.user)
    history = queries.history(indicator, request.user)
    context = {
        "indicator": indicator,
        "areas": areas,
        "chart": queries.series(indicator, request.user, areas),
        "table": queries.monthly_table(indicator, request.user, areas),
        "history": history,
        # Every version is in the history, so its newest is the newest figure shown.
        "data_at": queries.newest_recorded(history),
        "may_enter": access.may_enter_figures(request.user, indicator),
        "parts": [
            (template, context(indicator, request.user))
            for template, context in PAGE_PARTS.values()
        ],
    }
    return render(request, "indicators/indicator_detail.html", context)
