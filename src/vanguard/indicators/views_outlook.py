"""The forecast page (存量、增量支撑) and the monthly scheduling pack (月调度材料)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.exchange.documents import DOCX_TYPE
from vanguard.exchange.xlsx import download_response, xlsx_response
from vanguard.indicators.lights import indicator_warnings
from vanguard.indicators.outlook import outlook
from vanguard.indicators.pack import (
    PackUnsettled,
    docx_bytes,
    forecast_table,
    gather,
    indicator_table,
    sections,
    xlsx_sheets,
)
from vanguard.indicators.queries import figures_as_of
from vanguard.indicators.views import _campaign, no_access_page
from vanguard.org import access
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
    recomputed = last_recompute(campaign)
    context = {
        "campaign": campaign,
        "data_at": figures_as_of(campaign, request.user),
        # The warnings are the lights' facts: they are as of the last recompute.
        "with_lights": True,
        "lights_at": recomputed.at if recomputed else None,
        "result": result,
        "rows": result.indicators,
        "backtest": result.errors.summary(),
        "warnings": warnings,
        "chart": chart_data(result),
    }
    return render(request, "indicators/forecast.html", context)


def _pack_month(request, campaign):
    from vanguard.indicators.queries import latest_month
    from vanguard.indicators.views import _month_param

    latest = latest_month(campaign, timezone.localdate())
    return _month_param(request.GET.get("month"), latest), latest


def _pack(request):
    access.require_participant(request.user)
    campaign = _campaign(request)
    month, latest = _pack_month(request, campaign)
    return gather(campaign, request.user, month, timezone.localdate()), latest


def _busy(request):
    """The answer when figures kept changing while the pack was read (``PackUnsettled``)."""
    message = _(
        "Figures are being entered right now, so the pack would mix two moments; "
        "try again in a minute."
    )
    return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")


@login_required
def pack_page(request):
    """The month's scheduling pack on a page, with its Word and Excel downloads."""
    if not access.takes_part(request.user):
        return no_access_page(request)
    try:
        pack, latest = _pack(request)
    except PackUnsettled:
        return _busy(request)
    headers, rows = indicator_table(pack)
    forecast_headers, forecast_rows = forecast_table(pack)
    months = [
        (m.strftime("%Y-%m"), "{}年{}月".format(m.year, m.month))
        for m in (latest.replace(month=n) for n in range(latest.month, 0, -1))
    ]
    growth = {
        "names": [r.indicator.name for r in pack.rows],
        "series": [
            {
                "name": area.name,
                "level": level,
                "values": [
                    None
                    if (o := r.figures.get(level)) is None or o.growth_pct is None
                    else float(o.growth_pct)
                    for r in pack.rows
                ],
            }
            for level, area in pack.areas.items()
        ],
        "unit": "%",
    }
    context = {
        "campaign": pack.campaign,
        "pack": pack,
        "months": months,
        "indicator_headers": headers,
        "indicator_rows": rows,
        "forecast_headers": forecast_headers,
        "forecast_rows": forecast_rows,
        # The parts other apps add (the sectors and key enterprises behind the gap).
        "pack_sections": sections(pack),
        "growth_chart": growth,
        "chart": chart_data(pack.outlook),
        "data_at": pack.data_at,
        "warnings_note": _("the warnings are judged on these same figures"),
    }
    return render(request, "indicators/pack.html", context)


@login_required
def pack_docx(request):
    try:
        pack, _latest = _pack(request)
    except PackUnsettled:
        return _busy(request)
    return download_response(docx_bytes(pack), pack.title + ".docx", DOCX_TYPE, "pack.docx")


@login_required
def pack_xlsx(request):
    try:
        pack, _latest = _pack(request)
    except PackUnsettled:
        return _busy(request)
    return xlsx_response(pack.title + ".xlsx", xlsx_sheets(pack))
