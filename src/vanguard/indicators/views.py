"""Pages of the indicators battle: the month's overview, an indicator, entering its figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.indicators import queries
from vanguard.indicators.actions import StaleObservation, do_submit_observation, month_of
from vanguard.indicators.choices import AreaLevel, ObservationSource
from vanguard.indicators.forms import ObservationForm
from vanguard.indicators.models import Observation, cumulative_label
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


@login_required
def enter_observation(request, code):
    """Enter an indicator's figures for an area and month, or revise the figures in force."""
    indicator = get_indicator_for_view(request, code)
    access.require(access.may_enter_figures(request.user, indicator))
    today = timezone.localdate()
    months = queries.entry_months(indicator, today)
    if not months:
        raise Http404
    areas = queries.areas_of(indicator.campaign, request.user)
    params = request.POST if request.method == "POST" else request.GET
    area = areas.get(params.get("area") or AreaLevel.DISTRICT)
    month = _month_param(params.get("month"), months[0])
    if area is None:
        raise Http404
    if month not in months:
        # A month not over yet, outside the year, or not published for this indicator:
        # say so on the form of the latest month that may be entered.
        messages.error(
            request,
            _(
                "Figures for {year}年{month}月 cannot be entered: a month's cumulative "
                "figures are entered after it ends, within the campaign year{quarterly}."
            ).format(
                year=month.year,
                month=month.month,
                quarterly=_(", at a quarter's end") if indicator.quarterly else "",
            ),
        )
        return redirect(
            "{}?area={}&month={}".format(
                reverse("indicators:enter", args=[indicator.code]),
                area.level,
                months[0].strftime("%Y-%m"),
            )
        )
    current = (
        Observation.objects.current()
        .filter(indicator=indicator, area=area, month=month)
        .select_related("recorded_by")
        .first()
    )
    initial = {}
    if current is not None:
        initial = {"level": current.level, "growth_pct": current.growth_pct}
        initial["revises"] = current.version
    form = ObservationForm(
        request.POST or None, indicator=indicator, month=month, current=current, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            done = do_submit_observation(
                indicator,
                area,
                month,
                actor=request.user,
                source=ObservationSource.FORM,
                today=today,
                **form.action_kwargs(),
            )
        except StaleObservation as error:
            form.add_action_errors(error)
            # Show the figures now in force; submitting again revises them knowingly.
            data = request.POST.copy()
            current = _current(indicator, area, month)
            data["revises"] = current.version if current else ""
            form = _with_errors(
                ObservationForm(data, indicator=indicator, month=month, current=current), form
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            if done.created:
                messages.success(
                    request,
                    _("{indicator}, {area}, {months}: version {version} recorded.").format(
                        indicator=indicator.name,
                        area=area.name,
                        months="{}年{}".format(month.year, cumulative_label(month)),
                        version=done.observation.version,
                    ),
                )
            else:
                messages.info(
                    request, _("The figures are the same as those in force; nothing changed.")
                )
            return redirect(reverse("indicators:detail", args=[indicator.code]))
    context = {
        "indicator": indicator,
        "form": form,
        "area": area,
        "areas": areas,
        "month": month,
        "month_value": month.strftime("%Y-%m"),
        "months": _month_choices(months),
        "months_label": "{}年{}".format(month.year, cumulative_label(month)),
        "current": current,
    }
    return render(request, "indicators/enter.html", context, status=400 if form.errors else 200)


def _current(indicator, area, month):
    return (
        Observation.objects.current()
        .filter(indicator=indicator, area=area, month=month)
        .select_related("recorded_by")
        .first()
    )


def _with_errors(form, failed):
    """``form`` carrying the errors ``failed`` collected (after is_valid)."""
    form.is_valid()
    for field, errors in failed.errors.items():
        for error in errors:
            form.add_error(field if field != "__all__" else None, error)
    return form
