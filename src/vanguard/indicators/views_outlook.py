"""The forecast page (存量、增量支撑): where each indicator is heading, the gap, the odds."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from vanguard.indicators.outlook import outlook
from vanguard.indicators.views import _campaign, _require_participant
from vanguard.supervision.lights import indicator_warnings


def chart_data(result):
    """The year-end forecast of each indicator beside the growth it must beat."""
    names, forecasts, thresholds = [], [], []
    for row in result.indicators:
        if row.year_end is None:
            continue
        year_targets = [t for t in row.targets if t.month == 12 and t.threshold is not None]
        names.append(row.indicator.name)
        forecasts.append(round(row.year_end.growth, 2))
        thresholds.append(round(year_targets[0].threshold, 2) if year_targets else None)
    return {"names": names, "forecasts": forecasts, "thresholds": thresholds, "unit": "%"}


@login_required
def forecast_page(request):
    """Every indicator's quarter-end and year-end forecast, its open targets, and the method."""
    _require_participant(request.user)
    campaign = _campaign(request)
    result = outlook(campaign, request.user, timezone.localdate())
    warnings = indicator_warnings(campaign, [r.indicator for r in result.indicators])
    context = {
        "campaign": campaign,
        "result": result,
        "rows": result.indicators,
        "backtest": result.errors.summary(),
        "warnings": warnings,
        "chart": chart_data(result),
    }
    return render(request, "indicators/forecast.html", context)
