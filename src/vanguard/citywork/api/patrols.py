"""Patrols (巡查) through the API: the patrols, one with its findings, start, record a problem,
end; the cases awaiting the caller's check (核查), and the check with its "after" photos.

The doors of the phone pages, for a phone app: the same actions, queries and rules. Only
the office and the city-work task force patrol (403 for the others); a patrol that does
not exist is 404, someone else's 403. A problem reported beside an open case of its
category is answered 409 with those cases and the photos kept: the member sends the
problem again with ``decision`` “support:AJ00000042” or “new” and the photos as ``kept``.
Photos come as multipart ``photos`` (JPEG, PNG or WebP); a body larger than the upload
limit is 413.
"""

import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from vanguard.citywork.actions.patrols import (
    do_end_patrol,
    do_keep_patrol_photos,
    do_record_check,
    do_record_finding,
    do_start_patrol,
    kept_photos,
)
from vanguard.citywork.api import router
from vanguard.citywork.api.patrol_schemas import (
    CheckIn,
    CheckOut,
    ChecksOut,
    EndIn,
    FindingIn,
    FindingOut,
    OfferOut,
    PatrolDetailOut,
    PatrolOut,
    StartIn,
    offer_out,
)
from vanguard.citywork.models import CaseCategory, Grid, Patrol
from vanguard.citywork.models.cases import CaseState, pk_of_number
from vanguard.citywork.queries import patrols as queries
from vanguard.core.pagination import PageNumberPagination
from vanguard.core.preconditions import required_version
from vanguard.exchange.files import too_large_message
from vanguard.org import access
from vanguard.org.queries import current_campaign

CONFLICT = {"description": "Changed meanwhile, or (a problem) open cases of its kind lie near."}
PHOTOS = File[list[UploadedFile]]


def refuse_too_large(request):
    """413 when the upload passed the limit on its way in (the photos are then incomplete)."""
    limit = getattr(request, "upload_too_large", None)
    if limit:
        raise HttpError(413, too_large_message(limit))


def category_named(code):
    """The case category a body names by code; None leaves the action to say what is wrong."""
    return CaseCategory.objects.filter(code=code).select_related("parent").first()


def _patrol(request, patrol_id):
    """The patrol asked for (404 when none) if the caller may see it (else 403)."""
    access.require_patrol(request.user)
    patrol = get_object_or_404(
        Patrol.objects.select_related("grid", "member__person"), pk=patrol_id
    )
    access.require_see_patrol(request.user, patrol)
    return patrol


def _summary(request, patrol_id):
    """The patrol's summary: what it found, the cases it reported, supported and closed."""
    patrol = _patrol(request, patrol_id)
    findings = queries.findings_of(patrol)
    patrol.found = len(findings)
    patrol.findings_listed = findings
    patrol.new_cases = sum(1 for f in findings if not f.supported)
    patrol.supported = sum(1 for f in findings if f.supported)
    patrol.closed = sum(1 for f in findings if f.case.state == CaseState.CLOSED)
    return patrol


@router.get("/city/patrols", response=list[PatrolOut], summary="Patrols")
@paginate(PageNumberPagination)
def list_patrols(
    request,
    campaign: str | None = None,
    member: str = "",
    date: datetime.date | None = None,
):
    """The patrols the caller sees, the latest first: a member's own; the office and the
    city-work task force every member's. ``member``: a username; ``date``: started that day
    (Beijing time)."""
    access.require_patrol(request.user)
    return queries.listed(request.user, current_campaign(campaign), member=member, day=date)


@router.post("/city/patrols", response={201: PatrolDetailOut}, summary="Start a patrol")
def start_patrol(request, payload: StartIn, campaign: str | None = None):
    """Start the caller's patrol of a grid (by code) or an area in words; one open at a
    time (409 while another is open)."""
    access.require_patrol(request.user)
    grid = None
    if payload.grid:
        grid = Grid.objects.filter(code=payload.grid).first()
        if grid is None:
            raise ValidationError(
                {"grid": _("There is no grid “{code}”.").format(code=payload.grid)}
            )
    patrol = do_start_patrol(
        current_campaign(campaign),
        actor=request.user,
        grid=grid,
        area=payload.area,
        note=payload.note,
    )
    return Status(201, _summary(request, patrol.pk))


@router.get("/city/patrols/{patrol_id}", response=PatrolDetailOut, summary="One patrol")
def get_patrol(request, patrol_id: int):
    """A patrol's summary: when and where, the problems found with their cases' states and
    photos, how many cases it reported, supported and saw closed."""
    return _summary(request, patrol_id)


def _decision(text, candidates):
    """(new, the candidate to support) as ``decision`` says; 422 when it says neither."""
    text = (text or "").strip()
    if text in ("", "new"):
        return text == "new", None
    prefix, _colon, number = text.partition(":")
    if prefix != "support" or pk_of_number(number) is None:
        raise ValidationError(
            {
                "decision": _(
                    "Answer “new” (a new case) or “support:” with the number of the open case"
                    " it repeats, e.g. support:AJ00000042."
                )
            }
        )
    wanted = pk_of_number(number)
    return False, next((case for case, _metres in candidates if case.pk == wanted), False)


@router.post(
    "/city/patrols/{patrol_id}/findings",
    response={201: FindingOut, 409: OfferOut},
    summary="Record a problem found",
    openapi_extra={"responses": {409: CONFLICT, 413: {"description": "The upload is too large."}}},
)
def record_finding(request, patrol_id: int, payload: Form[FindingIn], photos: PHOTOS = None):
    """A problem the open patrol found (multipart: the fields, ``photos``): a case registered
    at once, whose checker is the member; or, with ``decision`` “support:AJ…”, one more
    report of the open case nearby. Without a decision, open cases of the same category
    near the point answer 409 with the photos kept."""
    patrol = _patrol(request, patrol_id)
    access.require_record_finding(request.user, patrol)
    refuse_too_large(request)
    category = category_named(payload.category)
    candidates = []
    if category is not None and patrol.is_open:
        candidates = queries.nearby(category, payload.lon, payload.lat, payload.coordinate_system)
    new, support = _decision(payload.decision, candidates)
    if category is None or not patrol.is_open:
        support = None  # the action says what is wrong: the category, or the patrol ended
    photos = photos or []
    if support is False or (candidates and not new and support is None):
        # Keep the photos and ask first: the same problem may be a case already.
        kept = [p.sha256 for p in kept_photos(payload.kept)]
        kept += do_keep_patrol_photos(patrol, photos, actor=request.user)
        message = (
            _("The case chosen is no longer open nearby; look again.")
            if support is False
            else _(
                "An open case of the same category is near. If it is the same problem, send it"
                " again with the decision “support:” and that case's number, else “new”; the"
                " photos are kept: send them back as “kept”."
            )
        )
        return Status(409, offer_out(message, candidates, list(dict.fromkeys(kept))))
    finding = do_record_finding(
        patrol,
        actor=request.user,
        category=category,
        lon=payload.lon,
        lat=payload.lat,
        coordinate_system=payload.coordinate_system,
        description=payload.description,
        address=payload.address,
        photos=photos,
        kept=payload.kept,
        support=support,
    )
    return Status(201, next(f for f in queries.findings_of(patrol) if f.pk == finding.pk))


@router.post(
    "/city/patrols/{patrol_id}/end",
    response=PatrolDetailOut,
    summary="End a patrol",
    openapi_extra={"responses": {409: {"description": "Ended already."}}},
)
def end_patrol(request, patrol_id: int, payload: EndIn):
    """End a patrol (its member, or the office one left open); ``note`` replaces its note."""
    patrol = _patrol(request, patrol_id)
    do_end_patrol(patrol, actor=request.user, note=payload.note)
    return _summary(request, patrol_id)


@router.get("/city/patrol-checks", response=ChecksOut, summary="My checks")
def list_checks(request):
    """我的核查: the handled cases whose checker is the caller, and the others they may check,
    each with the unit's reply and photos; never a case they handled or one of a unit they
    report for."""
    access.require_patrol(request.user)
    mine, others = queries.checks_for(request.user)
    return {"mine": mine, "others": others}


@router.post(
    "/city/patrol-checks/{number}",
    response=CheckOut,
    summary="Check a handled case",
    openapi_extra={"responses": {409: {"description": "The case changed meanwhile."}}},
)
def check_case(request, number: str, payload: Form[CheckIn], photos: PHOTOS = None):
    """Pass (closes the case) or fail (back to the unit as rework, with a ``note``) a handled
    case on site, with "after" ``photos`` (multipart), on the ``version`` read."""
    access.require_patrol(request.user)
    case = get_object_or_404(
        queries.cases_for(request.user).select_related("unit"), pk=pk_of_number(number) or 0
    )
    access.require_check_case(request.user, case)
    refuse_too_large(request)
    version = required_version(request, payload.version, current=case.version, prefix="case")
    do_record_check(
        case,
        actor=request.user,
        passed=payload.passed,
        note=payload.note,
        photos=photos or [],
        version=version,
    )
    return _checked(request, case.pk)


def _checked(request, pk):
    """The case as the checks list shows it, with its photos."""
    case = queries.checkable(queries.cases_for(request.user)).get(pk=pk)
    case.photos = queries.photos_of_cases([pk]).get(pk, {})
    return case
