"""Pages of the statistics table: upload, dry-run preview, apply, and the download.

An upload is kept under a random token (exchange.uploads) and dry-run; the preview
shows every row's changes and every problem and carries the versions it planned
against, so that "apply" (a background job, exchange.jobs) refuses a figure someone
revised in between. A big table is checked in a job too, whose page shows the preview.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanguard.core.campaigns import current_campaign
from vanguard.exchange.importing import preview_context, summarise
from vanguard.exchange.jobs import check_in_job, start_check, start_import
from vanguard.exchange.uploads import (
    UploadMissing,
    keep_upload,
    open_upload,
    upload_error,
)
from vanguard.exchange.xlsx import xlsx_response
from vanguard.indicators import queries
from vanguard.indicators.actions import last_complete_month, month_of
from vanguard.indicators.models import cumulative_label
from vanguard.indicators.sheet import (
    StatisticsTableImporter,
    decode_versions,
    encode_versions,
    statistics_sheet,
)
from vanguard.org import access

KIND = "indicators"
PREVIEW_LIMIT = 500


def _campaign(request):
    return current_campaign(request.POST.get("campaign") or request.GET.get("campaign"))


def _upload_error(upload):
    return upload_error(upload)


def _months(campaign, today):
    """Months of the campaign year that are over, newest first."""
    last = min(last_complete_month(today), datetime.date(campaign.year, 12, 1))
    months = [datetime.date(campaign.year, m, 1) for m in range(last.month, 0, -1)]
    return [m for m in months if m.year == last.year]


def _months_read(importer):
    return [
        "{}年{}".format(m.year, cumulative_label(m))
        for m in sorted(set(importer.sheet_months.values()))
    ]


def statistics_preview_extra(importer, params):
    """What a check job keeps for the preview page: the versions to apply against, the months."""
    return {
        "hidden": {"versions": encode_versions(importer.versions)},
        "months": _months_read(importer),
    }


@login_required
def statistics_import(request):
    """Upload the statistics bureau's monthly table; a dry run shows what would change."""
    campaign = _campaign(request)
    access.require(
        access.may_import_figures(request.user, queries.indicators_for(request.user, campaign))
    )
    today = timezone.localdate()
    context = {
        "campaign": campaign,
        "months": [
            (m.strftime("%Y-%m"), "{}年{}".format(m.year, cumulative_label(m)))
            for m in _months(campaign, today)
        ],
    }
    if request.method != "POST":
        return render(request, "indicators/import.html", context)
    upload = request.FILES.get("file")
    error = _upload_error(upload)
    if error:
        context["error"] = error
        return render(request, "indicators/import.html", context, status=400)
    token = keep_upload(upload, kind=KIND, user=request.user)
    if check_in_job(token, kind=KIND, user=request.user):
        job = start_check(
            KIND,
            user=request.user,
            token=token,
            filename=upload.name,
            params={"campaign": campaign.code},
        )
        return redirect("exchange:job", pk=job.pk)
    importer = StatisticsTableImporter(actor=request.user, campaign=campaign, today=today)
    with open_upload(token, kind=KIND, user=request.user) as stream:
        result = importer.dry_run(stream)
    context.update(
        preview_context(summarise(result, limit=PREVIEW_LIMIT)),
        months=_months_read(importer),
        token=token,
        filename=upload.name,
        apply_url=reverse("indicators:import_apply"),
        back_url=reverse("indicators:import"),
        hidden={
            "campaign": campaign.code,
            "versions": encode_versions(importer.versions),
            "filename": upload.name,
        },
        title=_("Import the statistics table: check before applying"),
    )
    return render(request, "indicators/import_preview.html", context)


@login_required
@require_POST
def statistics_import_apply(request):
    """Apply a previewed table as a background job, refusing figures revised since the preview."""
    campaign = _campaign(request)
    access.require(
        access.may_import_figures(request.user, queries.indicators_for(request.user, campaign))
    )
    token = request.POST.get("token", "")
    try:
        open_upload(token, kind=KIND, user=request.user).close()
    except UploadMissing:
        messages.error(request, _("The uploaded file is no longer available; upload it again."))
        return redirect("indicators:import")
    job = start_import(
        KIND,
        user=request.user,
        token=token,
        filename=request.POST.get("filename", ""),
        params={"campaign": campaign.code, "versions": request.POST.get("versions", "")},
    )
    return redirect("exchange:job", pk=job.pk)


def build_statistics_importer(owner, params):
    """The statistics table's importer for a job (exchange.jobs), with the preview's versions."""
    return StatisticsTableImporter(
        actor=owner,
        campaign=current_campaign(params.get("campaign")),
        today=timezone.localdate(),
        expected_versions=decode_versions(params.get("versions", "")),
    )


def statistics_done_url(importer, params):
    """The overview at the newest month the table held."""
    months = sorted(importer.sheet_months.values())
    url = reverse("indicators:overview")
    return url + ("?month={}".format(months[-1].strftime("%Y-%m")) if months else "")


@login_required
def statistics_export(request):
    """The statistics table of a month (``month=2026-10``) or of every month (``month=all``)."""
    access.require_participant(request.user)
    campaign = _campaign(request)
    today = timezone.localdate()
    value = request.GET.get("month") or ""
    if value == "all":
        months = sorted(_months(campaign, today))
    else:
        try:
            months = [month_of(value)] if value else [queries.latest_month(campaign, today)]
        except ValidationError:
            raise Http404 from None
    if not months:
        raise Http404
    sheets = [statistics_sheet(campaign, request.user, month) for month in months]
    last = months[-1]
    name = "{}年{}主要经济指标.xlsx".format(last.year, cumulative_label(last))
    return xlsx_response(name, sheets)
