"""API: campaigns, task forces, units and people, through org.access."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from vanguard.core.pagination import PageNumberPagination
from vanguard.org.access import restrict
from vanguard.org.models import Campaign, Person, TaskForce, Unit

router = Router(tags=["organisation"])


class CampaignOut(Schema):
    code: str
    name: str
    year: int
    start_date: datetime.date
    end_date: datetime.date
    status: str


class TaskForceOut(Schema):
    id: int
    campaign: str
    battle: str
    name: str
    cadence: str

    @staticmethod
    def resolve_campaign(obj):
        return obj.campaign.code


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None = None

    @staticmethod
    def resolve_parent(obj):
        return obj.parent.code if obj.parent_id else None


class PersonOut(Schema):
    id: int
    name: str
    unit: str | None = None
    post: str
    phone: str

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.code if obj.unit_id else None


@router.get("/campaigns", response=list[CampaignOut])
@paginate(PageNumberPagination)
def list_campaigns(request):
    """Campaigns."""
    return restrict(Campaign.objects.order_by("-year", "code"), request.user)


@router.get("/campaigns/{code}", response=CampaignOut)
def get_campaign(request, code: str):
    """One campaign."""
    return get_object_or_404(restrict(Campaign.objects.all(), request.user), code=code)


@router.get("/task-forces", response=list[TaskForceOut])
@paginate(PageNumberPagination)
def list_task_forces(request, campaign: str | None = None):
    """Task forces, optionally of one campaign."""
    qs = restrict(TaskForce.objects.select_related("campaign"), request.user)
    if campaign:
        qs = qs.filter(campaign__code=campaign)
    return qs.order_by("campaign__code", "battle")


@router.get("/units", response=list[UnitOut])
@paginate(PageNumberPagination)
def list_units(request, kind: str | None = None):
    """Units the caller may see."""
    qs = restrict(Unit.objects.select_related("parent"), request.user)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "code")


@router.get("/units/{code}", response=UnitOut)
def get_unit(request, code: str):
    """One unit, if the caller may see it."""
    return get_object_or_404(
        restrict(Unit.objects.select_related("parent"), request.user), code=code
    )


@router.get("/people", response=list[PersonOut])
@paginate(PageNumberPagination)
def list_people(request, unit: str | None = None):
    """People the caller may see."""
    qs = restrict(Person.objects.select_related("unit"), request.user)
    if unit:
        qs = qs.filter(unit__code=unit)
    return qs.order_by("unit__code", "name")
