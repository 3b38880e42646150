"""City cases through the API: the list, one case with its flow, a staff report, each step.

A case the caller may not see is 404; a step they may not take is 403 with the rule's
words; a step on a version other than the one read (``version`` in the body, or
``If-Match: "case-7"``) is 409 Conflict; a step its state does not allow, or a body
that does not hold, is 422 naming the field.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from vanguard.citywork.actions import case_support
from vanguard.citywork.actions import cases as actions
from vanguard.citywork.api import router
from vanguard.citywork.api.case_schemas import (
    CaseDetailOut,
    CaseIn,
    CaseOut,
    CategoryOut,
    CheckIn,
    DecideIn,
    DecideReturnIn,
    DispatchIn,
    HandleIn,
    MergeIn,
    PostponeIn,
    ReasonIn,
    StepIn,
    may_read_contact,
)
from vanguard.citywork.choices import PhotoSource
from vanguard.citywork.forms.cases import STAFF_SOURCES
from vanguard.citywork.models import CaseCategory
from vanguard.citywork.models.cases import pk_of_number
from vanguard.citywork.photos import photos_of
from vanguard.citywork.queries import cases as queries
from vanguard.core.pagination import PageNumberPagination
from vanguard.core.preconditions import required_version
from vanguard.org import access
from vanguard.org.models import Unit
from vanguard.org.queries import current_campaign

CONFLICT = {"responses": {409: {"description": "The case changed meanwhile: read it again."}}}


def _require_see(user):
    access.require(
        access.may_see_cases(user), _("Your account takes no part in the campaign's city cases.")
    )


def _case(request, number, campaign):
    _require_see(request.user)
    return queries.case_of(request.user, current_campaign(campaign), number)


def _detail(request, number, campaign):
    case = _case(request, number, campaign)
    case.flow = list(queries.flow_of(case))
    case.steps = queries.open_steps(request.user, case)
    case.contact = may_read_contact(request.user, case)
    case.attached = list(photos_of(case))
    return case


@router.get("/city/cases", response=list[CaseOut], summary="City cases")
@paginate(PageNumberPagination)
def list_cases(
    request,
    campaign: str | None = None,
    state: str = "",
    main: str = "",
    category: str = "",
    unit: str = "",
    source: str = "",
    grid: str = "",
    overdue: bool = False,
    light: str = "",
    postpone: bool = False,
    q: str = "",
):
    """The cases the caller sees, the latest reported first: ``state`` (or ``open``), ``main``
    and ``category`` (codes), ``unit`` and ``grid`` (codes), ``source``, ``overdue`` (past the
    time limit), ``light``, ``postpone`` (more time asked for); ``q``: a case number
    (AJ00000042), a 12345 ticket or a tracking code."""
    _require_see(request.user)
    filters = queries.clean_filters(
        {
            "state": state,
            "main": main,
            "category": category,
            "unit": unit,
            "source": source,
            "grid": grid,
            "overdue": "1" if overdue else "",
            "light": light,
            "postpone": "1" if postpone else "",
            "q": q,
        }
    )
    return queries.listed(request.user, current_campaign(campaign), filters)


@router.get("/city/cases/{number}", response=CaseDetailOut, summary="One city case")
def get_case(request, number: str, campaign: str | None = None):
    """One case with its flow record and the steps the caller may take now."""
    return _detail(request, number, campaign)


@router.post("/city/cases", response={201: CaseDetailOut}, summary="Report a case (staff)")
def report_case(request, payload: CaseIn, campaign: str | None = None):
    """A patrol's or an inspection's finding (registered at once) or a 12345 call (waits for
    registration), by the office or the city-work task force. ``lon``/``lat`` in
    ``coordinate_system`` (wgs84, gcj02 from WeChat or Gaode, bd09 from Baidu)."""
    access.require_keep_cases(request.user)
    if payload.source not in STAFF_SOURCES:
        raise ValidationError(
            {"source": _("Staff report patrol, inspection or hotline (12345) cases.")}
        )
    category = CaseCategory.objects.filter(code=payload.category).first()
    if category is None:
        raise ValidationError(
            {"category": _("There is no category “{code}”.").format(code=payload.category)}
        )
    case = actions.do_report_case(
        campaign=current_campaign(campaign),
        source=payload.source,
        category=category,
        lon=payload.lon,
        lat=payload.lat,
        coordinate_system=payload.coordinate_system,
        address=payload.address,
        description=payload.description,
        hotline_ticket=payload.hotline_ticket,
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
        actor=request.user,
    )
    return Status(201, _detail(request, case.number, case.campaign.code))


@router.get("/city/case-categories", response=list[CategoryOut], summary="Case categories")
def list_categories(request):
    """Every main category and subcategory with its time limit, department and radius."""
    _require_see(request.user)
    return CaseCategory.objects.select_related("parent", "unit").order_by("sort_order", "code")


# --- the steps ----------------------------------------------------------------------------------


def _step(request, number, campaign, payload, act):
    """Find the case, read the version named, take the step, answer the case as it is now."""
    case = _case(request, number, campaign)
    version = required_version(request, payload.version, current=case.version, prefix="case")
    act(case, version)
    return _detail(request, number, campaign)


def _unit(code, field="unit", *, required=True):
    if not code:
        if required:
            raise ValidationError({field: _("Name the unit by its code.")})
        return None
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise ValidationError({field: _("Unknown unit “{code}”.").format(code=code)})
    return unit


def _checker(username):
    if not username:
        return None
    from vanguard.citywork.forms.cases import checkers

    found = checkers().filter(username=username).first()
    if found is None:
        raise ValidationError({"checker": _("{name} may not check cases.").format(name=username)})
    return found


@router.post("/city/cases/{number}/register", response=CaseDetailOut, openapi_extra=CONFLICT)
def register(request, number: str, payload: StepIn, campaign: str | None = None):
    """立案: the office or the city-work task force confirms a report as a case."""
    access.require_keep_cases(request.user)
    return _step(
        request,
        number,
        campaign,
        payload,
        lambda c, v: actions.do_register(c, actor=request.user, version=v),
    )


@router.post("/city/cases/{number}/discard", response=CaseDetailOut, openapi_extra=CONFLICT)
def discard(request, number: str, payload: ReasonIn, campaign: str | None = None):
    """不予立案, with the reason the reporter sees."""
    access.require_keep_cases(request.user)
    return _step(
        request,
        number,
        campaign,
        payload,
        lambda c, v: actions.do_discard(c, actor=request.user, reason=payload.reason, version=v),
    )


@router.post("/city/cases/{number}/dispatch", response=CaseDetailOut, openapi_extra=CONFLICT)
def dispatch(request, number: str, payload: DispatchIn, campaign: str | None = None):
    """派遣 to ``unit`` (by code; without one, the route's suggestion); the clock starts."""
    access.require_keep_cases(request.user)
    unit = _unit(payload.unit, required=False)
    checker = _checker(payload.checker)
    return _step(
        request,
        number,
        campaign,
        payload,
        lambda c, v: actions.do_dispatch(
            c, actor=request.user, unit=unit, checker=checker, version=v
        ),
    )


def _unit_side(request, case):
    if not access.reports_for(request.user, case.unit_id):
        access.require_handle_case(request.user, case)


def _at_unit(request, number, campaign, payload, act):
    case = _case(request, number, campaign)
    _unit_side(request, case)
    version = required_version(request, payload.version, current=case.version, prefix="case")
    act(case, version)
    return _detail(request, number, campaign)


@router.post("/city/cases/{number}/sign", response=CaseDetailOut, openapi_extra=CONFLICT)
def sign(request, number: str, payload: StepIn, campaign: str | None = None):
    """签收 by a reporter of the responsible unit (the clock already runs from dispatch)."""
    return _at_unit(
        request,
        number,
        campaign,
        payload,
        lambda c, v: actions.do_sign(c, actor=request.user, version=v),
    )


@router.post("/city/cases/{number}/return", response=CaseDetailOut, openapi_extra=CONFLICT)
def send_back(request, number: str, payload: ReasonIn, campaign: str | None = None):
    """退单: the unit says why the case is not its own; the task force decides."""
    return _at_unit(
        request,
        number,
        campaign,
        payload,
        lambda c, v: actions.do_return(c, actor=request.user, reason=payload.reason, version=v),
    )


@router.post("/city/cases/{number}/handle", response=CaseDetailOut, openapi_extra=CONFLICT)
def handle(request, number: str, payload: HandleIn, campaign: str | None = None):
    """处置反馈: the unit says what it did; the clock stops and the case waits for its check."""
    return _at_unit(
        request,
        number,
        campaign,
        payload,
        lambda c, v: actions.do_handle(c, actor=request.user, reply=payload.reply, version=v),
    )


@router.post("/city/cases/{number}/postpone", response=CaseDetailOut, openapi_extra=CONFLICT)
def postpone(request, number: str, payload: PostponeIn, campaign: str | None = None):
    """缓办: the unit asks for more time, to ``until``, with a reason."""
    until = payload.until
    if timezone.is_naive(until):
        until = timezone.make_aware(until)
    return _at_unit(
        request,
        number,
        campaign,
        payload,
        lambda c, v: actions.do_ask_postponement(
            c, actor=request.user, until=until, reason=payload.reason, version=v
        ),
    )


@router.post("/city/cases/{number}/decide-return", response=CaseDetailOut, openapi_extra=CONFLICT)
def decide_return(request, number: str, payload: DecideReturnIn, campaign: str | None = None):
    """Uphold a return (the case goes to ``unit``) or refuse it (it stays, with a ``note``)."""
    access.require_keep_cases(request.user)
    unit = _unit(payload.unit, required=payload.uphold)
    return _step(
        request,
        number,
        campaign,
        payload,
        lambda c, v: actions.do_decide_return(
            c, actor=request.user, uphold=payload.uphold, unit=unit, note=payload.note, version=v
        ),
    )


@router.post(
    "/city/cases/{number}/decide-postponement", response=CaseDetailOut, openapi_extra=CONFLICT
)
def decide_postponement(request, number: str, payload: DecideIn, campaign: str | None = None):
    """Approve a postponement (the time limit moves) or refuse it."""
    access.require_keep_cases(request.user)
    return _step(
        request,
        number,
        campaign,
        payload,
        lambda c, v: actions.do_decide_postponement(
            c, actor=request.user, approve=payload.approve, note=payload.note, version=v
        ),
    )


@router.post("/city/cases/{number}/check", response=CaseDetailOut, openapi_extra=CONFLICT)
def check(request, number: str, payload: CheckIn, campaign: str | None = None):
    """核查 by someone other than the handler and their unit: passed closes the case, failed
    sends it back as rework (say what is still wrong)."""
    case = _case(request, number, campaign)
    access.require_check_case(request.user, case)
    version = required_version(request, payload.version, current=case.version, prefix="case")
    actions.do_check(
        case, actor=request.user, passed=payload.passed, note=payload.note, version=version
    )
    return _detail(request, number, campaign)


@router.post("/city/cases/{number}/merge", response=CaseDetailOut, openapi_extra=CONFLICT)
def merge(request, number: str, payload: MergeIn, campaign: str | None = None):
    """A report of the same problem as the open case ``into`` joins it as its support."""
    access.require_keep_cases(request.user)
    found = current_campaign(campaign)
    target = get_object_or_404(
        queries.cases_for(request.user, found), pk=pk_of_number(payload.into) or 0
    )
    return _step(
        request,
        number,
        campaign,
        payload,
        lambda c, v: case_support.do_merge(c, into=target, actor=request.user, version=v),
    )


PHOTO_ROLES = ("report", "before", "after")


@router.post(
    "/city/cases/{number}/photos", response={201: CaseDetailOut}, summary="Add photos to a case"
)
def add_photos(
    request,
    number: str,
    photos: File[list[UploadedFile]],
    role: Form[str] = "after",
    campaign: str | None = None,
):
    """Add photos (multipart ``photos``, one or more; JPEG, PNG or WebP) to a case in
    ``role``: ``report`` or ``before`` (the office or the city-work task force, while the
    case is open), ``after`` (the responsible unit while it handles the case, its checker
    once handled). Each is checked for its real type and size, stripped of its metadata
    and shrunk to 2048 px; the original goes to evidence storage."""
    case = _case(request, number, campaign)
    if role not in PHOTO_ROLES:
        raise ValidationError(
            {"role": _("role is one of: {roles}.").format(roles=", ".join(PHOTO_ROLES))}
        )
    case_support.do_add_photos(case, photos, role=role, actor=request.user, source=PhotoSource.API)
    return Status(201, _detail(request, number, campaign))
