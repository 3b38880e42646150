"""Demonstration zones and model roads through the API: read, add, inspect, accept."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Schema
from ninja.responses import Status

from vanguard.citywork.actions.places import (
    do_accept_place,
    do_apply_acceptance,
    do_create_place,
    do_record_inspection,
    do_return_place,
    do_update_place,
)
from vanguard.citywork.api import router
from vanguard.citywork.api.common import (
    OwnerOut,
    PhotoOut,
    owner_changes,
    photo_out,
    unit_and_person,
)
from vanguard.citywork.models import Criterion
from vanguard.citywork.queries import places as queries
from vanguard.core.preconditions import expected_version
from vanguard.core.schemas import InputSchema
from vanguard.org import access
from vanguard.org.queries import current_campaign


class PlaceOut(OwnerOut):
    code: str
    name: str
    kind: str = Field(description="zone (示范区) or road (精品道路).")
    lead_unit: str
    responsible_person: str
    geometry: dict = Field(description="GeoJSON Polygon (zone) or LineString (road), WGS84.")
    length_m: int | None
    planned_acceptance: datetime.date
    state: str = Field(description="creating, applied or accepted.")
    applied_on: datetime.date | None
    accepted_on: datetime.date | None
    return_reason: str
    light: str | None = None
    version: int


class CriterionOut(Schema):
    kind: str
    code: str
    text: str
    active: bool


class ChecklistItemOut(Schema):
    code: str
    text: str
    met: bool


class InspectionOut(Schema):
    id: int
    inspected_on: datetime.date
    inspectors: str
    checklist: list[ChecklistItemOut]
    met_count: int
    total_count: int
    passed: bool
    remarks: str
    recorded_at: datetime.datetime
    photos: list[PhotoOut]

    @staticmethod
    def resolve_photos(inspection):
        return [photo_out(a) for a in inspection.photo_attachments.all()]


class PlaceIn(InputSchema):
    code: str
    kind: str = Field(description="zone or road.")
    name: str
    lead_unit: str = Field(description="The lead unit's code.")
    responsible_person: str = Field(description="A person of the lead unit, by name.")
    geometry: dict
    planned_acceptance: datetime.date
    description: str = ""


class PlaceChangeIn(InputSchema):
    name: str | None = None
    lead_unit: str | None = None
    responsible_person: str | None = None
    geometry: dict | None = None
    planned_acceptance: datetime.date | None = None
    description: str | None = None
    version: int | None = Field(None, description='The version read (or If-Match: "place-2").')


class InspectionIn(InputSchema):
    inspected_on: datetime.date
    inspectors: str = Field(description="Who inspected, by name.")
    met: list[str] = Field(description="The codes of the criteria met; the others were not.")
    remarks: str = ""


class StepIn(Schema):
    version: int | None = Field(None, description="The place's version you read.")


class SendBackIn(StepIn):
    reason: str


def _place(user, code, campaign):
    return get_object_or_404(queries.listed(user, current_campaign(campaign)), code=code)


@router.get("/acceptance-criteria", response=list[CriterionOut], summary="Acceptance criteria")
def list_criteria(request, kind: str = ""):
    """The checklists of zones and roads; ``kind`` narrows to one."""
    access.require_participant(request.user)
    criteria = Criterion.objects.order_by("kind", "sort_order", "code")
    return criteria.filter(kind=kind) if kind else criteria


@router.get("/city-places", response=list[PlaceOut], summary="Zones and roads")
def list_places(request, campaign: str | None = None, kind: str = ""):
    """The demonstration zones and model roads the caller sees; ``kind``: zone or road."""
    access.require_participant(request.user)
    return queries.listed(request.user, current_campaign(campaign), kind)


@router.post("/city-places", response={201: PlaceOut}, summary="Add a zone or a road")
def create_place(request, payload: PlaceIn, campaign: str | None = None):
    """Add a demonstration zone or a model road (office or task force)."""
    access.require_manage_weekly_work(request.user)
    unit, person = unit_and_person(payload.lead_unit, payload.responsible_person)
    place = do_create_place(
        current_campaign(campaign),
        code=payload.code,
        kind=payload.kind,
        name=payload.name,
        lead_unit=unit,
        responsible_person=person,
        geometry=payload.geometry,
        planned_acceptance=payload.planned_acceptance,
        description=payload.description,
        actor=request.user,
    )
    return Status(201, _place(request.user, place.code, campaign))


@router.get("/city-places/{code}", response=PlaceOut, summary="One zone or road")
def get_place(request, code: str, campaign: str | None = None):
    return _place(request.user, code, campaign)


@router.patch(
    "/city-places/{code}",
    response=PlaceOut,
    summary="Change a zone or road",
    openapi_extra={"responses": {409: {"description": "Changed meanwhile."}}},
)
def change_place(request, code: str, payload: PlaceChangeIn, campaign: str | None = None):
    place = _place(request.user, code, campaign)
    access.require_manage_weekly_work(request.user)
    changes = owner_changes(payload.dict(exclude_unset=True, exclude={"version"}), place)
    do_update_place(
        place,
        actor=request.user,
        version=expected_version(request, payload.version, prefix="place"),
        **changes,
    )
    return _place(request.user, code, campaign)


@router.get("/city-places/{code}/inspections", response=list[InspectionOut], summary="Inspections")
def list_inspections(request, code: str, campaign: str | None = None):
    """The place's inspections, the latest first, each with its checklist as found."""
    return queries.inspections_of(_place(request.user, code, campaign))


@router.post(
    "/city-places/{code}/inspections",
    response={201: InspectionOut},
    summary="Record an inspection",
)
def record_inspection(request, code: str, payload: InspectionIn, campaign: str | None = None):
    """Record an inspection (the office or the city-work task force, never the lead unit)."""
    place = _place(request.user, code, campaign)
    access.require_inspect_places(request.user, place)
    inspection = do_record_inspection(
        place,
        inspected_on=payload.inspected_on,
        inspectors=payload.inspectors,
        met=payload.met,
        remarks=payload.remarks,
        actor=request.user,
    )
    return Status(201, inspection)


def _step(request, code, campaign, act, payload, **kwargs):
    place = _place(request.user, code, campaign)
    act(
        place,
        actor=request.user,
        version=expected_version(request, payload.version, prefix="place"),
        **kwargs,
    )
    return _place(request.user, code, campaign)


_CONFLICT = {"responses": {409: {"description": "The place changed meanwhile."}}}


@router.post(
    "/city-places/{code}/apply",
    response=PlaceOut,
    summary="Apply for acceptance",
    openapi_extra=_CONFLICT,
)
def apply(request, code: str, payload: StepIn, campaign: str | None = None):
    """The lead unit applies for acceptance (a reporter of the lead unit)."""
    return _step(request, code, campaign, do_apply_acceptance, payload)


@router.post(
    "/city-places/{code}/accept", response=PlaceOut, summary="Accept", openapi_extra=_CONFLICT
)
def accept(request, code: str, payload: StepIn, campaign: str | None = None):
    """Accept (验收) once an inspection after the application met every criterion."""
    return _step(request, code, campaign, do_accept_place, payload)


@router.post(
    "/city-places/{code}/return",
    response=PlaceOut,
    summary="Send an application back",
    openapi_extra=_CONFLICT,
)
def send_back(request, code: str, payload: SendBackIn, campaign: str | None = None):
    """Send an application for acceptance back with a reason (city-work task force)."""
    return _step(request, code, campaign, do_return_place, payload, reason=payload.reason)
