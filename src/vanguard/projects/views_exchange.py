"""Pages of the projects' Excel exchange: the project sheet import and the dekad workbook.

An upload is kept under a random token (exchange.uploads) and dry-run; the preview
shows every row's changes and every problem; "apply" runs the same file again, in one
transaction, through the actions: the project sheet as a background job
(exchange.jobs), whose page follows its progress. A big project sheet is checked in a
job too, whose page then shows the preview. Any web process can apply what
another previewed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanguard.calendar.periods import PeriodKind, parse_label, period_containing
from vanguard.core.campaigns import current_campaign
from vanguard.exchange.importing import preview_context, summarise
from vanguard.exchange.jobs import check_in_job, start_check, start_import
from vanguard.exchange.uploads import (
    UploadMissing,
    discard_upload,
    keep_upload,
    open_upload,
    upload_error,
)
from vanguard.exchange.xlsx import xlsx_response
from vanguard.org import access
from vanguard.org.access import restrict
from vanguard.org.models import Unit
from vanguard.projects.importer import ProjectImporter, template_rows
from vanguard.projects.report_sheet import DekadReportImporter, report_workbook

PROJECTS_KIND = "projects"
REPORTS_KIND = "dekad_reports"
# The preview lists at most this many rows (problems first); counts cover them all.
PREVIEW_LIMIT = 500
# Dekads offered in the workbook page: this one and the ones before it.
RECENT_DEKADS = 6


def _upload_error(upload):
    return upload_error(upload)


def _preview_context(result):
    return preview_context(summarise(result, limit=PREVIEW_LIMIT))


# --- the project sheet ----------------------------------------------------------------


@login_required
def project_import(request):
    """Upload the office's project sheet; a dry run shows what would change."""
    access.require_manage_projects(request.user)
    campaign = current_campaign(request.POST.get("campaign") or request.GET.get("campaign"))
    context = {"campaign": campaign}
    if request.method == "POST":
        upload = request.FILES.get("file")
        error = _upload_error(upload)
        if error:
            context["error"] = error
            return render(request, "projects/exchange/import.html", context, status=400)
        token = keep_upload(upload, kind=PROJECTS_KIND, user=request.user)
        if check_in_job(token, kind=PROJECTS_KIND, user=request.user):
            job = start_check(
                PROJECTS_KIND,
                user=request.user,
                token=token,
                filename=upload.name,
                params={"campaign": campaign.code},
            )
            return redirect("exchange:job", pk=job.pk)
        with open_upload(token, kind=PROJECTS_KIND, user=request.user) as stream:
            result = ProjectImporter(actor=request.user, campaign=campaign).dry_run(stream)
        context.update(
            _preview_context(result),
            token=token,
            filename=upload.name,
            apply_url=reverse("projects:import_apply"),
            back_url=reverse("projects:import"),
            hidden={"campaign": campaign.code, "filename": upload.name},
            title=_("Import projects: check before applying"),
        )
        return render(request, "projects/exchange/preview.html", context)
    return render(request, "projects/exchange/import.html", context)


@login_required
@require_POST
def project_import_apply(request):
    """Apply a previewed project sheet as a background job; the job's page shows its progress."""
    access.require_manage_projects(request.user)
    campaign = current_campaign(request.POST.get("campaign"))
    token = request.POST.get("token", "")
    try:
        open_upload(token, kind=PROJECTS_KIND, user=request.user).close()
    except UploadMissing:
        messages.error(request, _("The uploaded file is no longer available; upload it again."))
        return redirect("projects:import")
    job = start_import(
        PROJECTS_KIND,
        user=request.user,
        token=token,
        filename=request.POST.get("filename", ""),
        params={"campaign": campaign.code},
    )
    return redirect("exchange:job", pk=job.pk)


def build_project_importer(owner, params):
    """The project sheet's importer for a job (exchange.jobs)."""
    return ProjectImporter(actor=owner, campaign=current_campaign(params.get("campaign")))


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


def _sheet_context(request, campaign, today):
    units = _units_for(request.user, campaign)
    return {
        "campaign": campaign,
        "units": units,
        "dekads": _dekads(today),
        "period": _chosen_dekad(request.POST.get("period") or request.GET.get("period"), today),
        "may_upload": access.may_file_reports(request.user),
    }


@login_required
def report_sheet(request):
    """Download the unit's dekad workbook; upload it filled in for a dry run."""
    today = timezone.localdate()
    campaign = current_campaign(request.POST.get("campaign") or request.GET.get("campaign"))
    context = _sheet_context(request, campaign, today)
    if not context["units"]:
        raise PermissionDenied(_("You report for no unit with projects in this campaign."))
    if request.method != "POST":
        return render(request, "projects/exchange/report_sheet.html", context)
    if not context["may_upload"]:
        raise PermissionDenied(_("Only a unit's reporter may upload dekad reports."))
    upload = request.FILES.get("file")
    error = _upload_error(upload)
    if error:
        context["error"] = error
        return render(request, "projects/exchange/report_sheet.html", context, status=400)
    token = keep_upload(upload, kind=REPORTS_KIND, user=request.user)
    importer = DekadReportImporter(
        actor=request.user, campaign=campaign, period=context["period"], today=today
    )
    with open_upload(token, kind=REPORTS_KIND, user=request.user) as stream:
        result = importer.dry_run(stream)
    context.update(
        _preview_context(result),
        token=token,
        filename=upload.name,
        apply_url=reverse("projects:report_sheet_apply"),
        back_url=reverse("projects:report_sheet"),
        hidden={"campaign": campaign.code, "period": context["period"].label},
        title=_("Dekad reports from Excel: check before filing"),
        periods=sorted({p.display_label for p in importer.periods.values()}),
    )
    return render(request, "projects/exchange/preview.html", context)


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


@login_required
@require_POST
def report_sheet_apply(request):
    """File every filled-in row of a previewed workbook, in one transaction."""
    access.require(
        access.may_file_reports(request.user), _("Only a unit's reporter may upload dekad reports.")
    )
    today = timezone.localdate()
    campaign = current_campaign(request.POST.get("campaign"))
    period = _chosen_dekad(request.POST.get("period"), today)
    token = request.POST.get("token", "")
    try:
        stream = open_upload(token, kind=REPORTS_KIND, user=request.user)
    except UploadMissing:
        messages.error(request, _("The uploaded file is no longer available; upload it again."))
        return redirect("projects:report_sheet")
    importer = DekadReportImporter(
        actor=request.user, campaign=campaign, period=period, today=today
    )
    with stream:
        result = importer.apply(stream)
    if result.applied:
        discard_upload(token, kind=REPORTS_KIND, user=request.user)
        counts = result.counts
        messages.success(
            request,
            _("Dekad reports filed: {filed}; unchanged: {unchanged}; skipped: {skipped}.").format(
                filed=counts["create"] + counts["update"],
                unchanged=counts["unchanged"],
                skipped=counts["skip"],
            ),
        )
        return redirect("projects:report_sheet")
    context = {
        **_sheet_context(request, campaign, today),
        **_preview_context(result),
        "token": token,
        "apply_url": reverse("projects:report_sheet_apply"),
        "back_url": reverse("projects:report_sheet"),
        "hidden": {"campaign": campaign.code, "period": period.label},
        "title": _("Dekad reports from Excel: nothing was filed"),
        "apply_failed": True,
    }
    return render(request, "projects/exchange/preview.html", context, status=400)
