"""API of the status lights: the current light of each subject, and a subject's history.

Lights are scoped like their subjects: key nodes, projects and units by unit (a
unit's reporter sees their own unit's), indicators campaign-wide, as the pages show
them. The reason comes as a code with its facts and as text in the caller's language.
"""

import datetime

from django.db.models import Case, CharField, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Concat
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from vanguard.core.pagination import PageNumberPagination
from vanguard.indicators.models import Indicator
from vanguard.org import access
from vanguard.org.models import Unit
from vanguard.org.queries import current_campaign
from vanguard.projects.models import Milestone, Project
from vanguard.supervision.choices import Light, SubjectKind
from vanguard.supervision.models import LightEvent, LightState

router = Router(tags=["lights"])

WORST_FIRST = [Light.RED, Light.YELLOW, Light.GREEN, Light.GREY]


class LightOut(Schema):
    kind: str
    object_id: int
    subject: str | None
    unit: str | None
    light: str
    reason: str
    text: str
    params: dict
    since_date: datetime.date

    @staticmethod
    def resolve_unit(obj):
        return obj.unit_code

    @staticmethod
    def resolve_text(obj):
        return obj.reason_text


class LightEventOut(Schema):
    from_light: str
    to_light: str
    reason: str
    text: str
    params: dict
    as_of: datetime.date
    at: datetime.datetime

    @staticmethod
    def resolve_text(obj):
        return obj.reason_text


def _subject_codes(kind):
    """An expression naming each light's subject: a project's code, ``code/node``, ..."""
    if kind == SubjectKind.PROJECT:
        return Subquery(Project.objects.filter(pk=OuterRef("object_id")).values("code")[:1])
    if kind == SubjectKind.MILESTONE:
        named = Milestone.objects.filter(pk=OuterRef("object_id")).annotate(
            label=Concat(F("project__code"), Value("/"), F("node__code"), output_field=CharField())
        )
        return Subquery(named.values("label")[:1])
    if kind == SubjectKind.UNIT:
        return Subquery(Unit.objects.filter(pk=OuterRef("object_id")).values("code")[:1])
    return Subquery(Indicator.objects.filter(pk=OuterRef("object_id")).values("code")[:1])


def _states(user, campaign, kind):
    """The lights of ``kind`` in ``campaign`` that ``user`` may see."""
    rights = access.access_for(user)
    if not rights.takes_part:
        return LightState.objects.none()
    states = LightState.objects.filter(campaign=campaign, kind=kind)
    if kind != SubjectKind.INDICATOR and not rights.sees_all_units:
        states = states.filter(unit__in=rights.unit_ids or [])
    return states


@router.get("/lights", response=list[LightOut])
@paginate(PageNumberPagination)
def list_lights(
    request,
    kind: SubjectKind = SubjectKind.PROJECT,
    light: Light | None = None,
    unit: str | None = None,
    campaign: str | None = None,
):
    """Current lights of one kind of subject, worst first; filter by light and unit code."""
    found = _states(request.user, current_campaign(campaign), kind)
    if light:
        found = found.filter(light=light)
    if unit:
        found = found.filter(unit__code=unit)
    rank = Case(
        *[When(light=value, then=Value(i)) for i, value in enumerate(WORST_FIRST)],
        default=Value(len(WORST_FIRST)),
        output_field=IntegerField(),
    )
    return found.annotate(
        subject=_subject_codes(kind), unit_code=F("unit__code"), rank=rank
    ).order_by("rank", "object_id")


@router.get("/lights/{kind}/{object_id}/history", response=list[LightEventOut])
def light_history(request, kind: SubjectKind, object_id: int, campaign: str | None = None):
    """Every change of one subject's light, oldest first (red in May, yellow in June)."""
    the_campaign = current_campaign(campaign)
    # The subject's current light says whether the caller may see it at all.
    get_object_or_404(_states(request.user, the_campaign, kind), object_id=object_id)
    return list(
        LightEvent.objects.filter(campaign=the_campaign, kind=kind, object_id=object_id).order_by(
            "as_of", "at", "pk"
        )
    )
