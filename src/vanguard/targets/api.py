"""API: targets with their checkpoints, through org.access."""

import datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from vanguard.core.pagination import PageNumberPagination
from vanguard.org.access import SCOPE_ALL, data_scope, restrict
from vanguard.targets.models import Checkpoint, Target
from vanguard.targets.standings import standings_of

router = Router(tags=["targets"])


class CheckpointOut(Schema):
    period_kind: str
    period: str
    end_date: datetime.date
    value: Decimal


class StandingOut(Schema):
    """Where the target stands today: null for a reader who does not see every unit."""

    actual: Decimal | None
    checkpoint: Decimal | None
    gap: Decimal | None
    light: str
    as_of: datetime.datetime | datetime.date | None
    source: str


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
    standing: StandingOut | None = None

    @staticmethod
    def resolve_campaign(obj):
        return obj.campaign.code

    @staticmethod
    def resolve_task_force(obj):
        return obj.task_force.name

    @staticmethod
    def resolve_checkpoints(obj):
        return list(obj.checkpoints.all())

    @staticmethod
    def resolve_standing(obj, context):
        standing = _standings(context["request"], obj.campaign).get(obj.pk)
        if standing is None:
            return None
        return {
            "actual": standing.actual,
            "checkpoint": standing.expected,
            "gap": standing.gap,
            "light": standing.light,
            "as_of": standing.as_of,
            "source": standing.source,
        }


def _standings(request, campaign):
    """Every visible target's standing in ``campaign``, worked out once per request."""
    cache = request.__dict__.setdefault("_target_standings", {})
    if campaign.pk not in cache:
        user = request.user
        if data_scope(user) != SCOPE_ALL:
            cache[campaign.pk] = {}
        else:
            targets = list(
                restrict(Target.objects.filter(campaign=campaign), user).prefetch_related(
                    "checkpoints"
                )
            )
            cache[campaign.pk] = standings_of(campaign, targets, user, timezone.localdate())
    return cache[campaign.pk]


def _targets(user):
    return (
        restrict(Target.objects.all(), user)
        .select_related("campaign", "task_force")
        .prefetch_related(Prefetch("checkpoints", queryset=Checkpoint.objects.order_by("end_date")))
    )


@router.get("/targets", response=list[TargetOut])
@paginate(PageNumberPagination)
def list_targets(request, campaign: str | None = None, battle: str | None = None):
    """Targets with their month and quarter checkpoints, and where each stands today.

    ``standing`` (actual to date, today's checkpoint, gap, light, as-of time, what the
    actual counts) is given to readers of every unit, and null for the others.
    """
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
