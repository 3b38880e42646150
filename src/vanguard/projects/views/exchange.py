"""Pages of the projects' Excel exchange: the project sheet import and the dekad workbook.

Both go through the one import flow (exchange.views.ImportFlow): an upload is kept and
dry-run, the preview shows every row's changes and every problem, and "apply" runs the
same file again, in one transaction, through the actions. The project sheet is applied
as a background job whose page follows its progress, and a big one is checked in a job
too; a unit's dekad workbook, tens of rows, is checked and filed in the request.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanguard.calendar.periods import PeriodKind, parse_label, period_containing
from vanguard.exchange.views import ImportFlow
from vanguard.exchange.xlsx import xlsx_response
from vanguard.org import access
from vanguard.org.access import restrict
from vanguard.org.models import Unit
from vanguard.org.queries import current_campaign
from vanguard.projects.sheets.dekad import DekadReportImporter, report_workbook
from vanguard.projects.sheets.project_export import template_rows
from vanguard.projects.sheets.project_import import ProjectImporter

# Dekads offered in the workbook page: this one and the ones before it.
RECENT_DEKADS = 6


def _campaign_scope(values):
    return {"campaign": current_campaign(values.get("campaign"))}


def _campaign_params(scope):
    return {"campaign": scope["campaign"].code}


# --- the project sheet ----------------------------------------------------------------

PROJECT_SHEET = ImportFlow(
    kind="projects",
    title=gettext_lazy("Import projects"),
    check_title=gettext_lazy("Import projects: check before applying"),
    require=lambda user, values: access.require_manage_projects(user),
    scope=_campaign_scope,
    params=_campaign_params,
    build=lambda user, scope: ProjectImporter(actor=user, campaign=scope["campaign"]),
    upload_template="projects/exchange/import.html",
    preview_template="projects/exchange/preview.html",
    upload_url="projects:import",
    apply_url="projects:import_apply",
    done_url=lambda importer: reverse("projects:list"),
)

# Upload the office's project sheet; a dry run shows what would change.
project_import = PROJECT_SHEET.upload_view()
# Apply a previewed project sheet as a background job; the job's page shows its progress.
project_import_apply = PROJECT_SHEET.apply_view()


@login_required
def project_import_template(request):
    """An empty project sheet with the campaign's headers."""
    access.require_manage_projects(request.user)
    campaign = current_campaign(request.GET.get("campaign"))
    headers, rows = template_rows(campaign)
    return xlsx_response(_("Project import template") + ".xlsx", [(_("Projects"), headers, rows)])


# --- the dekad workbook ---------------------------------------------------------------


def _units_for(user, campaign):
    """Units whose workbook ``user`` may download: a reporter's own, else those leading projects."""
    held = access.access_for(user).unit_ids
    units = (
        Unit.objects.filter(pk__in=held)
        if held
        else Unit.objects.filter(lead_projects__campaign=campaign).distinct()
    )
    return list(restrict(units, user).order_by("code"))


def _dekads(today):
    current = period_containing(PeriodKind.DEKAD, today)
    dekads = [current]
    for _i in range(RECENT_DEKADS - 1):
        dekads.append(dekads[-1].previous())
    return dekads


def _chosen_dekad(value, today):
    current = period_containing(PeriodKind.DEKAD, today)
    if not value:
        return current
    try:
        period = parse_label(value)
    except ValueError:
        raise Http404 from None
    if period.kind != PeriodKind.DEKAD or period.start > today:
        raise Http404
    return period


def _anyone(user, values):
    """The workbook page is open to whoever may download a unit's workbook (see its context)."""


def _dekad_scope(values):
    today = timezone.localdate()
    return {
        "campaign": current_campaign(values.get("campaign")),
        "period": _chosen_dekad(values.get("period"), today),
        "today": today,
    }


def _dekad_params(scope):
    return {"campaign": scope["campaign"].code, "period": scope["period"].label}


def _sheet_context(request, scope):
    """The workbook page: the units whose workbook the user may download, the dekads."""
    units = _units_for(request.user, scope["campaign"])
    if not units:
        raise PermissionDenied(_("You report for no unit with projects in this campaign."))
    return {
        "campaign": scope["campaign"],
        "units": units,
        "dekads": _dekads(scope["today"]),
        "period": scope["period"],
        "may_upload": access.may_file_reports(request.user),
    }


def _filed_message(counts):
    return _("Dekad reports filed: {filed}; unchanged: {unchanged}; skipped: {skipped}.").format(
        filed=counts["create"] + counts["update"],
        unchanged=counts["unchanged"],
        skipped=counts["skip"],
    )


DEKAD_WORKBOOK = ImportFlow(
    kind="dekad_reports",
    title=gettext_lazy("Dekad reports in Excel"),
    check_title=gettext_lazy("Dekad reports from Excel: check before filing"),
    failed_title=gettext_lazy("Dekad reports from Excel: nothing was filed"),
    require_page=_anyone,
    require=lambda user, values: access.require(
        access.may_file_reports(user), _("Only a unit's reporter may upload dekad reports.")
    ),
    scope=_dekad_scope,
    params=_dekad_params,
    build=lambda user, scope: DekadReportImporter(
        actor=user, campaign=scope["campaign"], period=scope["period"], today=scope["today"]
    ),
    page_context=_sheet_context,
    preview_extra=lambda importer: {
        "periods": sorted({p.display_label for p in importer.periods.values()})
    },
    upload_template="projects/exchange/report_sheet.html",
    preview_template="projects/exchange/preview.html",
    upload_url="projects:report_sheet",
    apply_url="projects:report_sheet_apply",
    done_url=lambda importer: reverse("projects:report_sheet"),
    in_request=True,
    applied_message=_filed_message,
)

# Download the unit's dekad workbook; upload it filled in for a dry run.
report_sheet = DEKAD_WORKBOOK.upload_view()
# File every filled-in row of a previewed workbook, in one transaction.
report_sheet_apply = DEKAD_WORKBOOK.apply_view()


@login_required
def report_sheet_download(request):
    """The dekad workbook of one unit, prefilled with what was filed so far."""
    today = timezone.localdate()
    campaign = current_campaign(request.GET.get("campaign"))
    units = _units_for(request.user, campaign)
    code = request.GET.get("unit")
    unit = next((u for u in units if u.code == code), None) if code else None
    if unit is None:
        if code or len(units) != 1:
            raise Http404
        unit = units[0]
    period = _chosen_dekad(request.GET.get("period"), today)
    sheet = report_workbook(user=request.user, campaign=campaign, unit=unit, period=period)
    return xlsx_response(
        _("{unit} {dekad} dekad reports.xlsx").format(unit=unit.name, dekad=period.display_label),
        [sheet],
    )
