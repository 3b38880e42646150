"""API of the status lights: the current light of each subject, and a subject's history.

Lights are scoped as their kind's rules say (``LightRules.by_unit``): key nodes,
projects and units by unit (a unit's reporter sees their own unit's), indicators
campaign-wide, as the pages show them. The reason comes as a code with its facts and as
text in the caller's language. The kinds are those the domains registered; the API root
builds the router once they are, with ``lights_router``.
"""

import datetime
import enum

from django.apps import apps
from django.db.models import Case, CharField, F, IntegerField, Value, When
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from vanguard.core.pagination import PageNumberPagination
from vanguard.org import access
from vanguard.org.models import Unit
from vanguard.org.queries import current_campaign
from vanguard.supervision.choices import Light
from vanguard.supervision.kinds import kinds, rules_for
from vanguard.supervision.models import LightEvent, LightState
from vanguard.supervision.owed import unit_owed

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
    """An expression naming each light's subject (a project's code, ``code/node``, ...)."""
    subject_code = rules_for(kind).subject_code
    return subject_code() if subject_code is not None else Value(None, output_field=CharField())


def _states(user, campaign, kind):
    """The lights of ``kind`` in ``campaign`` that ``user`` may see."""
    states = LightState.objects.filter(campaign=campaign, kind=kind)
    if rules_for(kind).by_unit:
        return access.restrict(states, user)  # a reporter reads their units' lights
    return states if access.takes_part(user) else states.none()


def lights_router(default_kind):
    """The lights' routes, for the kinds registered now; ``/lights`` lists ``default_kind``.

    Built once the apps are ready, so the API document lists every registered kind and
    a kind nobody registered is refused as invalid input.
    """
    apps.check_apps_ready()
    subject_kind = enum.Enum("SubjectKind", [(kind.upper(), kind) for kind in kinds()], type=str)
    subject_kind.__doc__ = "What a light is about: one of the kinds the domains registered."
    listed_by_default = subject_kind(str(default_kind))
    router = Router(tags=["lights"])

    @router.get("/lights", response=list[LightOut])
    @paginate(PageNumberPagination)
    def list_lights(
        request,
        kind: subject_kind = listed_by_default,
        light: Light | None = None,
        unit: str | None = None,
        campaign: str | None = None,
    ):
        """Current lights of one kind of subject, worst first; filter by light and unit code."""
        kind = kind.value
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
    def light_history(request, kind: subject_kind, object_id: int, campaign: str | None = None):
        """Every change of one subject's light, oldest first (red in May, yellow in June)."""
        kind = kind.value
        the_campaign = current_campaign(campaign)
        # The subject's current light says whether the caller may see it at all.
        get_object_or_404(_states(request.user, the_campaign, kind), object_id=object_id)
        return list(
            LightEvent.objects.filter(
                campaign=the_campaign, kind=kind, object_id=object_id
            ).order_by("as_of", "at", "pk")
        )

    return router


class OwedOut(Schema):
    kind: str
    label: str
    url: str
    light: str | None
    reason: str
    due: datetime.date | None
    battle: str


owed_router = Router(tags=["unit lists"])


@owed_router.get("/units/{code}/owed", response=list[OwedOut])
@paginate(PageNumberPagination)
def list_unit_owed(request, code: str, campaign: str | None = None):
    """What one unit owes (一单位一清单), red first, then by the next due date."""
    unit = get_object_or_404(access.restrict(Unit.objects.all(), request.user), code=code)
    return unit_owed(current_campaign(campaign), unit, request.user)
