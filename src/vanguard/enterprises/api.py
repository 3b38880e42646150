"""API of sectors (一业一策), key enterprises, their monthly figures, visits and problems.

Amounts are in yuan, as in the rest of the API. An enterprise is addressed by its
unified social credit code. A monthly figure that already exists must name the version
it revises (``revises``), and an expectation the enterprise's ``version``; a stale or
missing version is refused with 409 Conflict. Everything goes through ``org.access``:
a reporter of another unit gets 404 for an enterprise their unit does not serve.
"""

import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from vanguard.blockers.actions import RaisedBlocker, do_resolve_blocker
from vanguard.blockers.api import ProblemPages
from vanguard.blockers.choices import BlockerState
from vanguard.core.figures import FigureSource
from vanguard.core.pagination import PageNumberPagination
from vanguard.core.preconditions import expected_version, required_version
from vanguard.core.schemas import InputSchema
from vanguard.enterprises import credit_code as credit_codes
from vanguard.enterprises import queries
from vanguard.enterprises.actions import (
    StaleVersion,
    do_create_enterprise,
    do_record_visit,
    do_set_expectation,
    do_submit_enterprise_month,
)
from vanguard.enterprises.models import EnterpriseMonth, Visit
from vanguard.indicators.actions import month_of
from vanguard.org import access
from vanguard.org.access import restrict
from vanguard.org.models import Unit
from vanguard.org.queries import current_campaign

router = Router(tags=["key enterprises"])


class SectorOut(Schema):
    id: int
    name: str
    responsible_unit: str
    measures: str
    guidance_growth_pct: float | None
    indicator: str | None
    version: int

    @staticmethod
    def resolve_responsible_unit(obj):
        return obj.responsible_unit.code

    @staticmethod
    def resolve_indicator(obj):
        return obj.indicator.code if obj.indicator else None

    @staticmethod
    def resolve_guidance_growth_pct(obj):
        return None if obj.guidance_growth_pct is None else float(obj.guidance_growth_pct)


class EnterpriseOut(Schema):
    credit_code: str
    name: str
    sector: str
    serving_unit: str
    figure_kind: str
    contact_name: str
    contact_phone: str
    expectation_yuan: int | None
    expectation_on: datetime.date | None
    version: int

    @staticmethod
    def resolve_sector(obj):
        return obj.sector.name

    @staticmethod
    def resolve_serving_unit(obj):
        return obj.serving_unit.code


class MonthOut(Schema):
    month: str
    value_yuan: int
    last_year_yuan: int | None
    version: int
    recorded_by: str | None
    recorded_at: datetime.datetime

    @staticmethod
    def resolve_month(obj):
        return obj.month.strftime("%Y-%m")

    @staticmethod
    def resolve_recorded_by(obj):
        return obj.recorded_by.get_username() if obj.recorded_by else None


class BlockerOut(Schema):
    id: int
    enterprise: str
    visit: int | None
    title: str
    description: str
    unit: str
    state: str
    raised_on: datetime.date
    resolved_on: datetime.date | None
    resolution: str
    days_open: int

    @staticmethod
    def resolve_enterprise(obj):
        return obj.source_object.credit_code

    @staticmethod
    def resolve_visit(obj):
        return obj.occasion_id

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.code

    @staticmethod
    def resolve_days_open(obj):
        return queries.days_open(obj, timezone.localdate())


class VisitOut(Schema):
    id: int
    enterprise: str
    visited_on: datetime.date
    visitors: str
    findings: str
    blockers: list[BlockerOut]

    @staticmethod
    def resolve_enterprise(obj):
        return obj.enterprise.credit_code

    @staticmethod
    def resolve_blockers(obj):
        return obj.problems


class EnterpriseDetailOut(EnterpriseOut):
    months: list[MonthOut]
    open_blockers: list[BlockerOut]

    @staticmethod
    def resolve_months(obj):
        return obj.months_list

    @staticmethod
    def resolve_open_blockers(obj):
        return obj.open_list


class EnterpriseIn(InputSchema):
    campaign: str | None = None
    name: str
    credit_code: str
    # The sector's name and the serving unit's code.
    sector: str
    serving_unit: str
    figure_kind: str | None = None
    contact_name: str = ""
    contact_phone: str = ""


class MonthIn(InputSchema):
    month: str
    value_yuan: int
    last_year_yuan: int | None = None
    revises: int | None = Field(
        None,
        description=(
            'The version of the month\'s figure this revises (or If-Match: "2"); required'
            " once a figure exists, and refused with 409 when no longer the one in force."
        ),
    )
    reason: str = ""


class ExpectationIn(InputSchema):
    amount_yuan: int
    given_on: datetime.date | None = None
    version: int | None = Field(
        None,
        description=(
            'The enterprise\'s version the caller read (or If-Match: "enterprise-3");'
            " refused with 409 when the enterprise changed since."
        ),
    )


class RaisedIn(InputSchema):
    title: str
    description: str = ""
    # The owner unit's code; the serving unit when omitted.
    unit: str | None = None


class VisitIn(InputSchema):
    visited_on: datetime.date
    visitors: str
    findings: str = ""
    blockers: list[RaisedIn] = []


class ResolveIn(InputSchema):
    resolution: str


def _enterprise(user, code, campaign=None):
    return get_object_or_404(
        queries.enterprises_for(user, current_campaign(campaign)).select_related("campaign"),
        credit_code=credit_codes.normalise(code),
    )


def _detail(user, enterprise):
    enterprise.months_list = list(
        EnterpriseMonth.objects.current()
        .filter(enterprise=enterprise)
        .select_related("recorded_by")
        .order_by("month")
    )
    enterprise.open_list = list(
        queries.enterprise_blockers(user, enterprise.campaign)
        .about(enterprise)
        .filter(state=BlockerState.OPEN)
        .select_related("unit")
        .order_by("raised_on", "pk")
    )
    for blocker in enterprise.open_list:
        blocker.source_object = enterprise
    return enterprise


@router.get("/sectors", response=list[SectorOut])
@paginate(PageNumberPagination)
def list_sectors(request, campaign: str | None = None):
    """The campaign's sectors with their responsible unit, measures and guidance target."""
    return queries.sectors_for(request.user, current_campaign(campaign))


@router.get("/enterprises", response=list[EnterpriseOut])
@paginate(PageNumberPagination)
def list_enterprises(
    request, campaign: str | None = None, sector: str = "", unit: str = "", q: str = ""
):
    """Key enterprises the caller may see, filtered by sector name, serving unit code or search."""
    qs = queries.filtered_enterprises(
        request.user, current_campaign(campaign), {"unit": unit, "q": q}
    )
    if sector:
        qs = qs.filter(sector__name=sector)
    return qs


@router.post("/enterprises", response={201: EnterpriseOut})
def create_enterprise(request, payload: EnterpriseIn):
    """Register a key enterprise (indicators task force or office); 403 for anyone else,
    before the sector and unit are looked up."""
    access.require_manage_enterprises(request.user)
    campaign = current_campaign(payload.campaign)
    sector = queries.sectors_for(request.user, campaign).filter(name=payload.sector).first()
    unit = Unit.objects.filter(code=payload.serving_unit).first()
    errors = {}
    if sector is None:
        errors["sector"] = [_("Unknown sector {name}.").format(name=payload.sector)]
    if unit is None:
        errors["serving_unit"] = [_("Unknown unit {code}.").format(code=payload.serving_unit)]
    if errors:
        raise ValidationError(errors)
    enterprise = do_create_enterprise(
        campaign,
        name=payload.name,
        credit_code=payload.credit_code,
        sector=sector,
        serving_unit=unit,
        figure_kind=payload.figure_kind,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        actor=request.user,
    )
    return Status(201, enterprise)


@router.get("/enterprises/{code}", response=EnterpriseDetailOut)
def get_enterprise(request, code: str, campaign: str | None = None):
    """One key enterprise with its monthly figures and open problems."""
    return _detail(request.user, _enterprise(request.user, code, campaign))


@router.get("/enterprises/{code}/months", response=list[MonthOut])
def list_enterprise_months(request, code: str, campaign: str | None = None):
    """An enterprise's monthly figures, oldest first."""
    enterprise = _enterprise(request.user, code, campaign)
    return (
        restrict(EnterpriseMonth.objects.current().filter(enterprise=enterprise), request.user)
        .select_related("recorded_by")
        .order_by("month")
    )


@router.post("/enterprises/{code}/months", response={200: MonthOut, 201: MonthOut})
def submit_enterprise_month(request, code: str, payload: MonthIn, campaign: str | None = None):
    """Record a month's figure, or revise it naming the version in ``revises``.

    201: recorded; 200: revised, or the same as in force; 409: ``revises`` missing or stale;
    422: e.g. a month that is not over yet.
    """
    enterprise = _enterprise(request.user, code, campaign)
    try:
        done = do_submit_enterprise_month(
            enterprise,
            month_of(payload.month),
            value_yuan=payload.value_yuan,
            last_year_yuan=payload.last_year_yuan,
            revises=expected_version(request, payload.revises),
            reason=payload.reason,
            source=FigureSource.API,
            actor=request.user,
        )
    except StaleVersion as error:
        raise HttpError(409, "; ".join(error.messages)) from None
    return Status(201 if done.created else 200, done.figure)


@router.put("/enterprises/{code}/expectation", response=EnterpriseOut)
def set_expectation(request, code: str, payload: ExpectationIn, campaign: str | None = None):
    """The enterprise's own expectation for the rest of the year; 409 if ``version`` is stale."""
    enterprise = _enterprise(request.user, code, campaign)
    version = required_version(
        request, payload.version, current=enterprise.version, prefix="enterprise"
    )
    try:
        return do_set_expectation(
            enterprise,
            amount_yuan=payload.amount_yuan,
            given_on=payload.given_on,
            expected_version=version,
            actor=request.user,
        )
    except StaleVersion as error:
        raise HttpError(409, "; ".join(error.messages)) from None


@router.get("/enterprises/{code}/visits", response=list[VisitOut])
def list_visits(request, code: str, campaign: str | None = None):
    """An enterprise's visits, newest first, each with the problems it raised."""
    enterprise = _enterprise(request.user, code, campaign)
    return queries.with_problems(
        restrict(Visit.objects.filter(enterprise=enterprise), request.user)
        .select_related("enterprise")
        .order_by("-visited_on", "-pk"),
        enterprise,
    )


@router.post("/enterprises/{code}/visits", response={201: VisitOut})
def record_visit(request, code: str, payload: VisitIn, campaign: str | None = None):
    """Log a visit; each problem becomes an open blocker (owner: ``unit`` or the serving unit)."""
    enterprise = _enterprise(request.user, code, campaign)
    codes = {b.unit for b in payload.blockers if b.unit}
    units = dict(Unit.objects.filter(code__in=codes).values_list("code", "pk"))
    unknown = sorted(codes - set(units))
    if unknown:
        raise ValidationError(
            {"blockers": _("Unknown unit(s): {units}.").format(units=", ".join(unknown))}
        )
    visit = do_record_visit(
        enterprise,
        visited_on=payload.visited_on,
        visitors=payload.visitors,
        findings=payload.findings,
        blockers=[
            RaisedBlocker(b.title, b.description, units.get(b.unit)) for b in payload.blockers
        ],
        actor=request.user,
    )
    return Status(
        201,
        queries.with_problems(
            Visit.objects.select_related("enterprise").filter(pk=visit.pk), enterprise
        )[0],
    )


@router.get("/enterprise-problems", response=list[BlockerOut])
@paginate(ProblemPages)
def list_open_problems(request, campaign: str | None = None, unit: str = ""):
    """Open problems of key enterprises, oldest first (``unit``: the owner unit's code)."""
    campaign = current_campaign(campaign)
    return queries.open_problems(request.user, campaign, {"unit": unit}, timezone.localdate())


@router.post("/enterprise-problems/{blocker_id}/resolve", response=BlockerOut)
def resolve_problem(request, blocker_id: int, payload: ResolveIn, campaign: str | None = None):
    """Close a problem with its resolution (owner unit, a task force or the office)."""
    blocker = get_object_or_404(
        queries.enterprise_blockers(request.user, current_campaign(campaign)), pk=blocker_id
    )
    do_resolve_blocker(blocker, resolution=payload.resolution, actor=request.user)
    return (
        queries.enterprise_blockers(request.user, current_campaign(campaign))
        .select_related("unit")
        .get(pk=blocker_id)
    )
