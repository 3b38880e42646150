"""City-management campaigns through the API: read, define, plan weeks, report, verify."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from vanguard.citywork.actions.campaigns import (
    do_create_city_campaign,
    do_report_campaign,
    do_return_campaign_report,
    do_set_week_plan,
    do_update_city_campaign,
    do_verify_campaign_report,
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
from vanguard.citywork.models import CampaignWeek
from vanguard.citywork.queries import campaigns as queries
from vanguard.citywork.queries.scope import campaign_reports_for
from vanguard.core.pagination import PageNumberPagination
from vanguard.core.preconditions import expected_version
from vanguard.core.schemas import InputSchema
from vanguard.org import access
from vanguard.org.queries import current_campaign


class CampaignOut(OwnerOut):
    code: str
    name: str
    lead_unit: str = Field(description="The lead unit's code.")
    responsible_person: str
    measure: str = Field(description="What the campaign counts, in words.")
    measuring_unit: str
    weekly_target: Decimal
    start_date: datetime.date
    end_date: datetime.date
    planned_to_date: Decimal = Field(description="Planned over the weeks due before today.")
    verified_to_date: Decimal = Field(description="Verified over the same weeks.")
    light: str | None = None
    version: int


class WeekOut(Schema):
    period: str
    period_start: datetime.date
    due_date: datetime.date
    planned: Decimal
    verified: Decimal | None = Field(description="The verified report's quantity, or null.")


class CampaignIn(InputSchema):
    code: str
    name: str
    lead_unit: str = Field(description="The lead unit's code.")
    responsible_person: str = Field(description="A person of the lead unit, by name.")
    measure: str
    measuring_unit: str
    weekly_target: Decimal
    start_date: datetime.date
    end_date: datetime.date
    description: str = ""


class CampaignChangeIn(InputSchema):
    name: str | None = None
    lead_unit: str | None = None
    responsible_person: str | None = None
    measure: str | None = None
    measuring_unit: str | None = None
    weekly_target: Decimal | None = Field(None, description="Plans the weeks not yet due.")
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    description: str | None = None
    version: int | None = Field(None, description='The version read (or If-Match: "campaign-2").')


class WeekPlanIn(InputSchema):
    planned: Decimal


class CampaignReportOut(WeeklyReportOut):
    campaign: str
    quantity: Decimal

    @staticmethod
    def resolve_campaign(obj):
        return obj.city_campaign.code


class CampaignReportIn(InputSchema):
    period: str = Field(description="The week: 2026-W10 or 2026年第10周.")
    quantity: Decimal = Field(description="The week's own quantity, not the running total.")
    note: str = ""
    version: int | None = Field(None, description="Correcting a report: the version you read.")


def _campaign(user, code, campaign):
    found = current_campaign(campaign)
    return get_object_or_404(queries.listed(user, found, timezone.localdate()), code=code)


_REPORTS = WeeklyReports(campaign_reports_for, "city_campaign", "campaignreport")
_report = _REPORTS.find


@router.get("/city-campaigns", response=list[CampaignOut], summary="City-management campaigns")
def list_campaigns(request, campaign: str | None = None):
    """The campaigns the caller sees, with their sums to date and light."""
    access.require_participant(request.user)
    return queries.listed(request.user, current_campaign(campaign), timezone.localdate())


@router.post("/city-campaigns", response={201: CampaignOut}, summary="Define a campaign")
def create_campaign(request, payload: CampaignIn, campaign: str | None = None):
    """Define a campaign and plan every week at its weekly target (office or task force)."""
    access.require_manage_weekly_work(request.user)
    unit, person = unit_and_person(payload.lead_unit, payload.responsible_person)
    fields = payload.dict(exclude={"code", "lead_unit", "responsible_person"})
    created = do_create_city_campaign(
        current_campaign(campaign),
        code=payload.code,
        lead_unit=unit,
        responsible_person=person,
        actor=request.user,
        **fields,
    )
    return Status(201, _campaign(request.user, created.code, campaign))


@router.get("/city-campaigns/{code}", response=CampaignOut, summary="One campaign")
def get_campaign(request, code: str, campaign: str | None = None):
    return _campaign(request.user, code, campaign)


@router.patch(
    "/city-campaigns/{code}",
    response=CampaignOut,
    summary="Change a campaign",
    openapi_extra={"responses": {409: {"description": "Changed meanwhile."}}},
)
def change_campaign(request, code: str, payload: CampaignChangeIn, campaign: str | None = None):
    """Change a campaign; a new weekly target plans the weeks not yet due."""
    found = _campaign(request.user, code, campaign)
    access.require_manage_weekly_work(request.user)
    changes = owner_changes(payload.dict(exclude_unset=True, exclude={"version"}), found)
    do_update_city_campaign(
        found,
        actor=request.user,
        version=expected_version(request, payload.version, prefix="campaign"),
        **changes,
    )
    return _campaign(request.user, code, campaign)


@router.get("/city-campaigns/{code}/weeks", response=list[WeekOut], summary="A campaign's weeks")
def list_weeks(request, code: str, campaign: str | None = None):
    """Every week's plan and verified quantity, oldest first."""
    found = _campaign(request.user, code, campaign)
    return CampaignWeek.objects.filter(city_campaign=found).order_by("period_start")


@router.put("/city-campaigns/{code}/weeks/{period}", response=WeekOut, summary="Plan one week")
def plan_week(request, code: str, period: str, payload: WeekPlanIn, campaign: str | None = None):
    """Plan one week differently from the weekly target (office or task force)."""
    found = _campaign(request.user, code, campaign)
    return do_set_week_plan(found, period=period, planned=payload.planned, actor=request.user)


@router.post(
    "/city-campaigns/{code}/reports",
    response={201: CampaignReportOut},
    summary="Report a week of a campaign",
    openapi_extra={"responses": {409: {"description": "The report changed meanwhile."}}},
)
def report_week(request, code: str, payload: CampaignReportIn, campaign: str | None = None):
    """File the lead unit's quantity for a week (a reporter of the lead unit)."""
    found = _campaign(request.user, code, campaign)
    access.require_report_weekly(request.user, found)
    report = do_report_campaign(
        found,
        period=payload.period,
        quantity=payload.quantity,
        note=payload.note,
        version=expected_version(request, payload.version, prefix="campaignreport"),
        actor=request.user,
    )
    return Status(201, _report(request.user, report.pk, campaign))


@router.get(
    "/city-campaign-reports", response=list[CampaignReportOut], summary="Campaign weekly reports"
)
@paginate(PageNumberPagination)
def list_reports(request, campaign: str | None = None, state: str = "", week: str = ""):
    """Every campaign report the caller sees: ``state``, ``week`` (2026-W10)."""
    return _REPORTS.listed(request.user, campaign, state=state, week=week)


@router.post(
    "/city-campaign-reports/{report_id}/verify",
    response=CampaignReportOut,
    summary="Verify a campaign weekly report",
    openapi_extra=REPORT_CHANGED,
)
def verify_report(request, report_id: int, payload: VerifyIn, campaign: str | None = None):
    """Verify (核验) a week's quantity: it counts from now on (city-work task force)."""
    return _REPORTS.step(request, report_id, campaign, do_verify_campaign_report, payload)


@router.post(
    "/city-campaign-reports/{report_id}/return",
    response=CampaignReportOut,
    summary="Return a campaign weekly report",
    openapi_extra=REPORT_CHANGED,
)
def return_report(request, report_id: int, payload: ReturnIn, campaign: str | None = None):
    """Return a week's report to the lead unit with a reason (city-work task force)."""
    return _REPORTS.step(
        request, report_id, campaign, do_return_campaign_report, payload, reason=payload.reason
    )
