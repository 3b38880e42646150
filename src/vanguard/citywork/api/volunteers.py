"""Volunteer activities (志愿服务) through the API: the list, one activity, plan, change, record
it held with its photos, report a problem it found (a case from the volunteers), cancel;
the weekly count per organising unit.

The doors of the organisers' pages, for a program: the same actions, queries and rules.
Whoever takes part reads the activities of the units they see; an activity they do not
see is 404, one they see but do not organise 403. Who signed up is for the organising
unit, the office and the city-work task force only. A change names the version read
(``version``, or ``If-Match: "activity-2"``): 422 without one, 409 when stale.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Form
from ninja.pagination import paginate
from ninja.responses import Status

from vanguard.citywork.actions.volunteers import (
    do_cancel_activity,
    do_create_activity,
    do_record_activity_problem,
    do_record_held,
    do_update_activity,
)
from vanguard.citywork.api import router
from vanguard.citywork.api.patrol_schemas import ProblemIn
from vanguard.citywork.api.patrols import PHOTOS, category_named, refuse_too_large
from vanguard.citywork.api.summary import week_asked
from vanguard.citywork.api.volunteer_schemas import (
    ActivityChangeIn,
    ActivityDetailOut,
    ActivityFindingOut,
    ActivityIn,
    ActivityOut,
    ActivityWeekOut,
    CancelIn,
    HeldIn,
)
from vanguard.citywork.choices import ActivityState
from vanguard.citywork.queries import volunteers as queries
from vanguard.core.pagination import PageNumberPagination
from vanguard.core.preconditions import required_version
from vanguard.core.schemas import aware
from vanguard.org import access
from vanguard.org.models import Unit
from vanguard.org.queries import current_campaign

CONFLICT = {"responses": {409: {"description": "Changed meanwhile, or its state forbids it."}}}


def _unit(code):
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise ValidationError({"unit": _("Unknown unit “{code}”.").format(code=code)})
    return unit


def _activity(request, activity_id, campaign):
    """The activity the caller sees (else 404), with its places taken and problems found."""
    access.require_participant(request.user)
    return get_object_or_404(
        queries.listed(request.user, current_campaign(campaign)), pk=activity_id
    )


def _detail(request, activity_id, campaign):
    """The activity as its page shows it: signups for its organisers, findings, photos."""
    activity = _activity(request, activity_id, campaign)
    activity.may_change = access.may_change_activity(request.user, activity)
    page = queries.activity_page(activity, with_signups=activity.may_change)
    activity.signups_listed = page["signups"]
    activity.findings_listed = page["findings"]
    activity.photos_listed = page["photos"]
    return activity


def _to_change(request, activity_id, campaign, payload):
    """The activity the caller organises and the version their change names."""
    activity = _activity(request, activity_id, campaign)
    access.require_change_activity(request.user, activity)
    version = required_version(
        request, payload.version, current=activity.version, prefix="activity"
    )
    return activity, version


@router.get("/city/activities", response=list[ActivityOut], summary="Volunteer activities")
@paginate(PageNumberPagination)
def list_activities(
    request, campaign: str | None = None, unit: str = "", state: str = "", week: str = ""
):
    """The activities of the units the caller sees, the latest first: ``unit`` (a code),
    ``state`` (planned, held, cancelled), ``week`` (2026-W10: those starting in it)."""
    access.require_participant(request.user)
    found = current_campaign(campaign)
    if state and state not in ActivityState.values:
        raise ValidationError(
            {"state": _("Unknown state “{state}”: planned, held or cancelled.").format(state=state)}
        )
    period = week_asked(found, week) if week else None
    return queries.listed(request.user, found, state=state, unit=unit[:64], week=period)


@router.get("/city/activities/weekly", response=ActivityWeekOut, summary="Activities per unit")
def weekly_count(request, campaign: str | None = None, week: str = ""):
    """A week (2026-W10; by default the last one) of each organising unit the caller sees:
    activities held, participants and problems found, with the total."""
    if access.data_scope(request.user) == access.SCOPE_NONE:
        raise PermissionDenied
    found = current_campaign(campaign)
    period = week_asked(found, week)
    rows, total = queries.weekly_count(request.user, found, period)
    return {
        "week": period.label,
        "start": period.start,
        "end": period.end,
        "units": rows,
        "total": total,
        "data_at": timezone.now(),
    }


@router.post("/city/activities", response={201: ActivityDetailOut}, summary="Plan an activity")
def create_activity(request, payload: ActivityIn, campaign: str | None = None):
    """Plan an activity of ``unit`` (its reporters, the office, the city-work task force)."""
    access.require_organise_activities(request.user)
    fields = payload.dict(exclude={"unit"})
    fields.update(
        unit=_unit(payload.unit),
        starts_at=aware(payload.starts_at),
        ends_at=aware(payload.ends_at),
    )
    activity = do_create_activity(current_campaign(campaign), actor=request.user, **fields)
    return Status(201, _detail(request, activity.pk, activity.campaign.code))


@router.get("/city/activities/{activity_id}", response=ActivityDetailOut, summary="One activity")
def get_activity(request, activity_id: int, campaign: str | None = None):
    """One activity with the problems it found and its photos; who signed up for those who
    organise it."""
    return _detail(request, activity_id, campaign)


@router.patch(
    "/city/activities/{activity_id}",
    response=ActivityDetailOut,
    summary="Change a planned activity",
    openapi_extra=CONFLICT,
)
def change_activity(
    request, activity_id: int, payload: ActivityChangeIn, campaign: str | None = None
):
    """Change what the body names of a planned activity; its places never fall below those
    taken, and a move needs both ``lon`` and ``lat``."""
    activity, version = _to_change(request, activity_id, campaign, payload)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    located = [changes.get("lon"), changes.get("lat")]
    if ("lon" in changes or "lat" in changes) and None in located:
        raise ValidationError({"location": _("Send the longitude and the latitude together.")})
    if "unit" in changes:
        changes["unit"] = _unit(changes["unit"])
    for name in ("starts_at", "ends_at"):
        if name in changes:
            changes[name] = aware(changes[name])
    do_update_activity(activity, actor=request.user, version=version, **changes)
    return _detail(request, activity_id, campaign)


@router.post(
    "/city/activities/{activity_id}/held",
    response=ActivityDetailOut,
    summary="Record an activity held",
    openapi_extra=CONFLICT,
)
def record_held(
    request,
    activity_id: int,
    payload: Form[HeldIn],
    photos: PHOTOS = None,
    campaign: str | None = None,
):
    """Once it has taken place: how many took part, what was done, its ``photos``
    (multipart). Recorded again, the figures are corrected and the photos add up."""
    activity, version = _to_change(request, activity_id, campaign, payload)
    refuse_too_large(request)
    do_record_held(
        activity,
        actor=request.user,
        participants=payload.participants,
        summary=payload.summary,
        photos=photos or [],
        version=version,
    )
    return _detail(request, activity_id, campaign)


@router.post(
    "/city/activities/{activity_id}/problems",
    response={201: ActivityFindingOut},
    summary="Report a problem an activity found",
    openapi_extra=CONFLICT,
)
def report_problem(
    request,
    activity_id: int,
    payload: Form[ProblemIn],
    photos: PHOTOS = None,
    campaign: str | None = None,
):
    """A problem the held activity found (multipart: the fields, ``photos``): a case from the
    volunteers, waiting to be registered."""
    activity = _activity(request, activity_id, campaign)
    access.require_change_activity(request.user, activity)
    refuse_too_large(request)
    finding = do_record_activity_problem(
        activity,
        actor=request.user,
        category=category_named(payload.category),
        lon=payload.lon,
        lat=payload.lat,
        coordinate_system=payload.coordinate_system,
        description=payload.description,
        address=payload.address,
        photos=photos or [],
    )
    found = queries.activity_page(activity, with_signups=False)["findings"]
    return Status(201, next(f for f in found if f.pk == finding.pk))


@router.post(
    "/city/activities/{activity_id}/cancel",
    response=ActivityDetailOut,
    summary="Cancel a planned activity",
    openapi_extra=CONFLICT,
)
def cancel_activity(request, activity_id: int, payload: CancelIn, campaign: str | None = None):
    """Call off a planned activity with the ``reason`` the public page shows."""
    activity, version = _to_change(request, activity_id, campaign, payload)
    do_cancel_activity(activity, actor=request.user, reason=payload.reason, version=version)
    return _detail(request, activity_id, campaign)
