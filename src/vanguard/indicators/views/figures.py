"""Entering an indicator's figures: the page of one area's month and the form posted from it
(the figures recorded, or the figures in force revised)."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.indicators import queries
from vanguard.indicators.actions import StaleObservation, do_submit_observation
from vanguard.indicators.choices import AreaLevel, ObservationSource
from vanguard.indicators.forms import ObservationForm
from vanguard.indicators.lights import month_due_date
from vanguard.indicators.models import Area, Indicator, Observation, cumulative_label
from vanguard.indicators.views.indicators import (
    _month_choices,
    _month_param,
    get_indicator_for_view,
)
from vanguard.org import access
from vanguard.supervision.lights import policy_for


@dataclass(frozen=True)
class Entry:
    """What the entry page is about: an indicator's figures for one area and month."""

    indicator: Indicator
    area: Area
    month: datetime.date
    # Every area the user sees, by level, and every month open for entry, newest first.
    areas: dict[str, Area]
    months: list[datetime.date]
    today: datetime.date


@login_required
def enter_observation(request, code):
    """Enter an indicator's figures for an area and month, or revise the figures in force;
    the form posted from the page goes to its handler."""
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
        return _month_closed(request, indicator, area, month, months)
    entry = Entry(indicator, area, month, areas, months, today)
    if request.method != "POST":
        return _entry_page(request, entry)
    # The page posts one form: the area's figures for the month.
    return post_observation(request, entry)


def _month_closed(request, indicator, area, month, months):
    """A month not over yet, outside the year, or not published for this indicator: say so
    on the form of the latest month that may be entered."""
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


def _entry_page(request, entry, *, form=None, current=None):
    """The figures in force and the form to enter them; a form given bound shows what was
    posted and why it was refused (400)."""
    if form is None:
        form, current = _observation_form(entry)
    month = entry.month
    context = {
        "indicator": entry.indicator,
        "form": form,
        "area": entry.area,
        "areas": entry.areas,
        "month": month,
        "month_value": month.strftime("%Y-%m"),
        "months": _month_choices(entry.months),
        "months_label": "{}年{}".format(month.year, cumulative_label(month)),
        "current": current,
        "report_due": _figure_due(entry, current),
    }
    return render(request, "indicators/enter.html", context, status=400 if form.errors else 200)


def _figure_due(entry, current):
    """The month's data deadline under the campaign's light policy, and whether late."""
    due = month_due_date(
        entry.month, policy_for(entry.indicator.campaign).indicator_data_working_days
    )
    return {
        "period": "{}年{}月".format(entry.month.year, entry.month.month),
        "day": due,
        "provisional": False,
        "filed": current is not None,
        # A figure in force may be a later revision: when it was first filed is not shown.
        "filed_late": None,
        "late": current is None and entry.today > due,
    }


def post_observation(request, entry):
    """The figures posted: recorded as a new version, or shown again saying why not.

    Refused as stale (someone revised them meanwhile), the form shows the figures now in
    force and keeps what was typed; submitting again revises them knowingly.
    """
    indicator, area, month = entry.indicator, entry.area, entry.month
    form, current = _observation_form(entry, request.POST or None)
    if not form.is_valid():
        return _entry_page(request, entry, form=form, current=current)
    try:
        done = do_submit_observation(
            indicator,
            area,
            month,
            actor=request.user,
            source=ObservationSource.FORM,
            today=entry.today,
            **form.action_kwargs(),
        )
    except StaleObservation as error:
        form.add_action_errors(error)
        form, current = _newer_observation_form(entry, request.POST, form)
        return _entry_page(request, entry, form=form, current=current)
    except ValidationError as error:
        form.add_action_errors(error)
        return _entry_page(request, entry, form=form, current=current)
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
        messages.info(request, _("The figures are the same as those in force; nothing changed."))
    return redirect(reverse("indicators:detail", args=[indicator.code]))


def _observation_form(entry, data=None):
    """The form of the entry's figures, filled with those in force (and those figures)."""
    current = _current(entry.indicator, entry.area, entry.month)
    initial = {}
    if current is not None:
        initial = {"level": current.level, "growth_pct": current.growth_pct}
        initial["revises"] = current.version
    form = ObservationForm(
        data, indicator=entry.indicator, month=entry.month, current=current, initial=initial
    )
    return form, current


def _newer_observation_form(entry, posted, failed):
    """The form on the figures now in force, with what was typed and the errors of ``failed``."""
    data = posted.copy()
    current = _current(entry.indicator, entry.area, entry.month)
    data["revises"] = current.version if current else ""
    form = ObservationForm(data, indicator=entry.indicator, month=entry.month, current=current)
    return _with_errors(form, failed), current


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
