"""API: targets with their checkpoints, through org.access."""

import datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from vanguard.core.pagination import PageNumberPagination
from vanguard.org.access import restrict
from vanguard.targets.models import Checkpoint, Target

router = Router(tags=["targets"])


class CheckpointOut(Schema):
    period_kind: str
    period: str
    end_date: datetime.date
    value: Decimal


class TargetOut(Schema):
    campaign: str
    code: str
    battle: str
    task_force: str
    name: str
    period: str
    period_start: datetime.date
    period_end: datetime.date
    kind: str
    measure: str
    value: Decimal | None
    unit_of_measure: str
    comparators: list[str]
    checkpoints: list[CheckpointOut]

    @staticmethod
    def resolve_campaign(obj):
        return obj.campaign.code

    @staticmethod
    def resolve_task_force(obj):
        return obj.task_force.name

    @staticmethod
    def resolve_checkpoints(obj):
        return list(obj.checkpoints.all())


def _targets(user):
    return (
        restrict(Target.objects.all(), user)
        .select_related("campaign", "task_force")
        .prefetch_related(Prefetch("checkpoints", queryset=Checkpoint.objects.order_by("end_date")))
    )


@router.get("/targets", response=list[TargetOut])
@paginate(PageNumberPagination)
def list_targets(request, campaign: str | None = None, battle: str | None = None):
    """Targets with their month and quarter checkpoints."""
    qs = _targets(request.user)
    if campaign:
        qs = qs.filter(campaign__code=campaign)
    if battle:
        qs = qs.filter(battle=battle)
    return qs.order_by("campaign__code", "sort_order", "code")


@router.get("/targets/{campaign}/{code}", response=TargetOut)
def get_target(request, campaign: str, code: str):
    """One target of a campaign."""
    return get_object_or_404(_targets(request.user), campaign__code=campaign, code=code)
