"""Pages of the statistics table: upload, dry-run preview, apply, and the download.

The import goes through the one import flow (exchange.views.ImportFlow): an upload is
kept and dry-run; the preview shows every row's changes and every problem and carries
the versions it planned against, so that "apply" (a background job, exchange.jobs)
refuses a figure someone revised in between. A big table is checked in a job too, whose
page shows the preview.
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from vanguard.exchange.views import ImportFlow, RequestValues
from vanguard.exchange.xlsx import xlsx_response
from vanguard.indicators import queries
from vanguard.indicators.actions import last_complete_month, month_of
from vanguard.indicators.models import cumulative_label
from vanguard.indicators.sheets.statistics_export import statistics_sheet
from vanguard.indicators.sheets.statistics_import import (
    StatisticsTableImporter,
    decode_versions,
    encode_versions,
)
from vanguard.org import access
from vanguard.org.queries import current_campaign


def _campaign(values):
    return current_campaign(values.get("campaign"))


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


def _upload_context(request, scope):
    """The upload page: the months whose table can be downloaded to start from."""
    campaign = scope["campaign"]
    return {
        "campaign": campaign,
        "months": [
            (m.strftime("%Y-%m"), "{}年{}".format(m.year, cumulative_label(m)))
            for m in _months(campaign, timezone.localdate())
        ],
    }


def statistics_preview_extra(importer):
    """What the preview adds: the versions to apply against, posted with Apply; the months read."""
    return {
        "hidden": {"versions": encode_versions(importer.versions)},
        "months": _months_read(importer),
    }


def statistics_done_url(importer):
    """The overview at the newest month the table held."""
    months = sorted(importer.sheet_months.values())
    url = reverse("indicators:overview")
    return url + ("?month={}".format(months[-1].strftime("%Y-%m")) if months else "")


STATISTICS_TABLE = ImportFlow(
    kind="indicators",
    title=gettext_lazy("Import the statistics table"),
    check_title=gettext_lazy("Import the statistics table: check before applying"),
    # Whoever may enter the figures of one of the campaign's indicators imports the table.
    require=lambda user, values: access.require(
        access.may_import_figures(user, queries.indicators_for(user, _campaign(values)))
    ),
    scope=lambda values: {
        "campaign": _campaign(values),
        "versions": decode_versions(values.get("versions", "")),
    },
    params=lambda scope: {"campaign": scope["campaign"].code},
    # Apply refuses a figure revised since the versions the preview planned against.
    build=lambda user, scope: StatisticsTableImporter(
        actor=user,
        campaign=scope["campaign"],
        today=timezone.localdate(),
        expected_versions=scope["versions"],
    ),
    page_context=_upload_context,
    preview_extra=statistics_preview_extra,
    posted=("versions",),
    upload_template="indicators/import.html",
    preview_template="indicators/import_preview.html",
    upload_url="indicators:import",
    apply_url="indicators:import_apply",
    done_url=statistics_done_url,
)

# Upload the statistics bureau's monthly table; a dry run shows what would change.
statistics_import = STATISTICS_TABLE.upload_view()
# Apply a previewed table as a background job, refusing figures revised since the preview.
statistics_import_apply = STATISTICS_TABLE.apply_view()


@login_required
def statistics_export(request):
    """The statistics table of a month (``month=2026-10``) or of every month (``month=all``)."""
    access.require_participant(request.user)
    campaign = _campaign(RequestValues(request))
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
