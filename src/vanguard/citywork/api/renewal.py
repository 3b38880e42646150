"""Renewal projects through the API: read, create, change, weekly reports, verification."""

import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from vanguard.citywork.actions.renewal import (
    do_create_renewal_project,
    do_report_renewal,
    do_return_renewal_report,
    do_update_renewal_project,
    do_verify_renewal_report,
)
from vanguard.citywork.api import router
from vanguard.citywork.api.common import (
    REPORT_CHANGED,
    OwnerOut,
    ReturnIn,
    VerifyIn,
    WeeklyReportOut,
    WeeklyReports,
    owner_changes,
    unit_and_person,
)
from vanguard.citywork.lights import RENEWAL
from vanguard.citywork.models import RenewalKind
from vanguard.citywork.queries import renewal as queries
from vanguard.citywork.queries.scope import renewal_for, renewal_reports_for
from vanguard.core.pagination import PageNumberPagination
from vanguard.core.preconditions import expected_version
from vanguard.core.schemas import InputSchema
from vanguard.org import access
from vanguard.org.queries import current_campaign
from vanguard.supervision.lights import lights_for


class KindOut(Schema):
    code: str
    name: str
    active: bool


class ProjectOut(OwnerOut):
    code: str
    name: str
    kind: str = Field(description="The kind's code (old-residential, ...).")
    lead_unit: str = Field(description="The lead unit's code.")
    responsible_person: str
    address: str
    geometry: dict = Field(description="GeoJSON Point or Polygon in WGS84.")
    planned_start: datetime.date
    planned_completion: datetime.date
    stage: str = Field(description="planned, started or completed: verified facts only.")
    actual_start: datetime.date | None
    actual_completion: datetime.date | None
    progress_percent: int = Field(description="Progress (形象进度) of the latest verified week.")
    light: str | None = None
    version: int

    @staticmethod
    def resolve_kind(obj):
        return obj.kind.code


class ProjectDetailOut(ProjectOut):
    light_text: str | None = Field(None, description="Why the project has its light, in words.")


class ProjectIn(InputSchema):
    code: str
    name: str
    kind: str = Field(description="The kind's code or name.")
    lead_unit: str = Field(description="The lead unit's code.")
    responsible_person: str = Field(description="A person of the lead unit, by name.")
    address: str = ""
    geometry: dict = Field(description="GeoJSON Point or Polygon in WGS84 ([lon, lat]).")
    planned_start: datetime.date
    planned_completion: datetime.date


class ProjectChangeIn(InputSchema):
    name: str | None = None
    kind: str | None = None
    lead_unit: str | None = None
    responsible_person: str | None = None
    address: str | None = None
    geometry: dict | None = None
    planned_start: datetime.date | None = None
    planned_completion: datetime.date | None = None
    version: int | None = Field(None, description='The version read (or If-Match: "renewal-3").')


class RenewalReportOut(WeeklyReportOut):
    project: str
    progress_percent: int
    started_on: datetime.date | None
    completed_on: datetime.date | None

    @staticmethod
    def resolve_project(obj):
        return obj.project.code


class RenewalReportIn(InputSchema):
    period: str = Field(description="The week: 2026-W10 or 2026年第10周.")
    progress_percent: int = Field(description="Cumulative progress (形象进度), 0–100.")
    started_on: datetime.date | None = Field(None, description="The day it started, that week.")
    completed_on: datetime.date | None = Field(None, description="The day it was completed.")
    note: str = ""
    version: int | None = Field(
        None, description="Correcting a report not yet verified: the version you read."
    )


def _kind(value):
    kind = (
        RenewalKind.objects.filter(code=value).first()
        or RenewalKind.objects.filter(name=value).first()
    )
    if kind is None:
        raise ValidationError({"kind": _("There is no kind “{name}”.").format(name=value)})
    return kind


def _project(user, code, campaign):
    return get_object_or_404(
        queries.with_facts(
            renewal_for(user, current_campaign(campaign)), current_campaign(campaign)
        ),
        code=code,
    )


_REPORTS = WeeklyReports(renewal_reports_for, "project", "renewalreport")
_report = _REPORTS.find


@router.get("/renewal-kinds", response=list[KindOut], summary="Kinds of renewal project")
def list_kinds(request):
    """The kinds the office defined (老旧小区改造, 城中村改造, …)."""
    access.require_participant(request.user)
    return queries.kinds()


@router.get("/renewal-projects", response=list[ProjectOut], summary="Renewal projects")
@paginate(PageNumberPagination)
def list_projects(
    request,
    campaign: str | None = None,
    kind: str = "",
    unit: str = "",
    stage: str = "",
    light: str = "",
    q: str = "",
):
    """The projects the caller sees: ``kind`` (code), ``unit`` (code), ``stage``, ``light``."""
    access.require_participant(request.user)
    filters = {"kind": kind, "unit": unit, "stage": stage, "light": light, "q": q}
    return queries.filtered(request.user, current_campaign(campaign), filters)


@router.post(
    "/renewal-projects",
    response={201: ProjectDetailOut},
    summary="Add a renewal project",
)
def create_project(request, payload: ProjectIn, campaign: str | None = None):
    """Add a project (the office or the city-work task force)."""
    access.require_manage_weekly_work(request.user)
    unit, person = unit_and_person(payload.lead_unit, payload.responsible_person)
    project = do_create_renewal_project(
        current_campaign(campaign),
        code=payload.code,
        name=payload.name,
        kind=_kind(payload.kind),
        lead_unit=unit,
        responsible_person=person,
        address=payload.address,
        geometry=payload.geometry,
        planned_start=payload.planned_start,
        planned_completion=payload.planned_completion,
        actor=request.user,
    )
    return Status(201, get_project(request, project.code, campaign))


@router.get("/renewal-projects/{code}", response=ProjectDetailOut, summary="One renewal project")
def get_project(request, code: str, campaign: str | None = None):
    """One project with its light and why."""
    project = _project(request.user, code, campaign)
    state = lights_for(RENEWAL, [project.pk], campaign=project.campaign_id).get(project.pk)
    project.light_text = state.reason_text if state else None
    return project


@router.patch(
    "/renewal-projects/{code}",
    response=ProjectDetailOut,
    summary="Change a renewal project",
    openapi_extra={"responses": {409: {"description": "Changed meanwhile."}}},
)
def change_project(request, code: str, payload: ProjectChangeIn, campaign: str | None = None):
    """Change a project's plan, owner or location (the office or the city-work task force)."""
    project = _project(request.user, code, campaign)
    access.require_manage_weekly_work(request.user)
    changes = owner_changes(payload.dict(exclude_unset=True, exclude={"version"}), project)
    if "kind" in changes:
        changes["kind"] = _kind(changes["kind"])
    do_update_renewal_project(
        project,
        actor=request.user,
        version=expected_version(request, payload.version, prefix="renewal"),
        **changes,
    )
    return get_project(request, code, campaign)


@router.get(
    "/renewal-projects/{code}/reports",
    response=list[RenewalReportOut],
    summary="A renewal project's weekly reports",
)
@paginate(PageNumberPagination)
def list_project_reports(request, code: str, campaign: str | None = None):
    """The project's weekly reports, the latest week first, in every state."""
    return queries.reports_of(_project(request.user, code, campaign)).select_related(
        "project", "reported_by", "verified_by"
    )


@router.post(
    "/renewal-projects/{code}/reports",
    response={201: RenewalReportOut},
    summary="Report a week of a renewal project",
    openapi_extra={"responses": {409: {"description": "The report changed meanwhile."}}},
)
def report_week(request, code: str, payload: RenewalReportIn, campaign: str | None = None):
    """File the lead unit's report for a week (a reporter of the lead unit)."""
    project = _project(request.user, code, campaign)
    access.require_report_weekly(request.user, project)
    report = do_report_renewal(
        project,
        period=payload.period,
        progress_percent=payload.progress_percent,
        started_on=payload.started_on,
        completed_on=payload.completed_on,
        note=payload.note,
        version=expected_version(request, payload.version, prefix="renewalreport"),
        actor=request.user,
    )
    return Status(201, _report(request.user, report.pk, campaign))


@router.get("/renewal-reports", response=list[RenewalReportOut], summary="Renewal weekly reports")
@paginate(PageNumberPagination)
def list_reports(
    request, campaign: str | None = None, state: str = "", unit: str = "", week: str = ""
):
    """Every weekly report the caller sees: ``state``, ``unit`` (code), ``week`` (2026-W10)."""
    reports = _REPORTS.listed(request.user, campaign, state=state, week=week)
    return reports.filter(project__lead_unit__code=unit) if unit else reports


@router.post(
    "/renewal-reports/{report_id}/verify",
    response=RenewalReportOut,
    summary="Verify a renewal weekly report",
    openapi_extra=REPORT_CHANGED,
)
def verify_report(request, report_id: int, payload: VerifyIn, campaign: str | None = None):
    """Verify (核验) a report: its progress, start and completion count (city-work task force)."""
    return _REPORTS.step(request, report_id, campaign, do_verify_renewal_report, payload)


@router.post(
    "/renewal-reports/{report_id}/return",
    response=RenewalReportOut,
    summary="Return a renewal weekly report",
    openapi_extra=REPORT_CHANGED,
)
def return_report(request, report_id: int, payload: ReturnIn, campaign: str | None = None):
    """Return a report to the lead unit with a reason (city-work task force)."""
    return _REPORTS.step(
        request, report_id, campaign, do_return_renewal_report, payload, reason=payload.reason
    )
