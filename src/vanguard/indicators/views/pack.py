"""The monthly scheduling pack (月调度材料): its page and its Word and Excel downloads."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.exchange.documents import DOCX_TYPE
from vanguard.exchange.xlsx import download_response, xlsx_response
from vanguard.indicators.pack import (
    PackUnsettled,
    docx_bytes,
    forecast_sentences,
    forecast_table,
    gather,
    indicator_table,
    sections,
    xlsx_sheets,
)
from vanguard.indicators.queries import latest_month
from vanguard.indicators.views.indicators import _campaign, _month_param, no_access_page
from vanguard.indicators.views.outlook import chart_data
from vanguard.org import access


def _pack_month(request, campaign):
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
        "forecast_sentences": forecast_sentences(pack),
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
