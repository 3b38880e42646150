"""The forecast page (存量、增量支撑): every indicator's quarter-end and year-end forecast."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from vanguard.indicators import backtest, wording
from vanguard.indicators.forecast import TUNED_ON
from vanguard.indicators.lights import indicator_warnings
from vanguard.indicators.outlook import outlook
from vanguard.indicators.queries import figures_as_of
from vanguard.indicators.views.indicators import _campaign, no_access_page
from vanguard.org import access
from vanguard.org.choices import Battle
from vanguard.supervision.lights import last_recompute


def chart_data(result):
    """The year-end forecast of each indicator beside the growth it must beat."""
    names, forecasts, thresholds = [], [], []
    for row in result.indicators:
        if row.year_end is None:
            continue
        year_targets = [t for t in row.targets if t.month == 12 and t.threshold is not None]
        names.append(row.indicator.name)
        forecasts.append(round(row.year_end.growth, 1))
        thresholds.append(round(year_targets[0].threshold, 1) if year_targets else None)
    return {"names": names, "forecasts": forecasts, "thresholds": thresholds, "unit": "%"}


@login_required
def forecast_page(request):
    """Every indicator's quarter-end and year-end forecast, its open targets, and the method."""
    if not access.takes_part(request.user):
        return no_access_page(request)
    campaign = _campaign(request)
    result = outlook(campaign, request.user, timezone.localdate())
    warnings = indicator_warnings(campaign, [r.indicator for r in result.indicators])
    recomputed = last_recompute(campaign, Battle.INDICATORS)
    context = {
        "campaign": campaign,
        "data_at": figures_as_of(campaign, request.user),
        # The warnings are the lights' facts: they are as of the last recompute.
        "with_lights": True,
        "lights_at": recomputed.at if recomputed else None,
        "result": result,
        "rows": result.indicators,
        "backtest": result.backtest,
        "own_backtest": result.own,
        "tuned_on": TUNED_ON,
        "method": result.method,
        "window": wording.window_words(result.method.window),
        "held_out": wording.held_out_words(backtest.held_out()),
        "warnings": warnings,
        "chart": chart_data(result),
    }
    return render(request, "indicators/forecast.html", context)
