"""Open311 GeoReport v2: the city cases as a public, standard service.

docs/open311.md says more; in short:

- ``services`` are the public 小类 of the case categories (``group`` is the 大类), their
  ``description`` the time limit and the condition for closing;
- ``POST requests`` files a citizen report through the one case action, so the location
  is checked and converted there (``coordinate_system`` is an extension: gcj02, bd09),
  the description refused if it carries HTML; the ``api_key`` form field is an API token
  (``vanguard token create``) of the partner's account;
- ``GET requests`` lists cases of public categories: ``status`` is only open or closed,
  the workflow's step is in ``status_notes``; reporters' names and phones are never
  shown; coordinates are rounded to about ten metres;
- ``service_request_id`` is the case number (AJ…); the ``token`` of a request is its
  tracking code, which the citizen's tracking page also takes;
- photos come as the v2.1 draft's ``media`` upload (multipart/form-data, up to three),
  through the one photo store like every photo: checked before the case is made, the
  published copy stripped of its metadata; ``media_url`` in a request row is that
  copy's address. A ``media_url`` posted is not fetched (nothing is asked of another host);
- extensions: ``page``/``page_size`` and ``updated_after``/``updated_before``, announced
  in the discovery document.

Every GET is rate-limited per address; POSTs per address and per key.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from vanguard.accounts.throttle import client_address
from vanguard.accounts.tokens import user_for_token
from vanguard.citywork.actions.citizen import do_report_with_photos
from vanguard.citywork.choices import PhotoSource
from vanguard.citywork.locations import street_centre_named_in
from vanguard.citywork.models import Case, CaseCategory, CaseEvent
from vanguard.citywork.models.cases import CaseSource, CaseState, number_of, pk_of_number
from vanguard.citywork.open311.render import JSON, XML, errors, moment, respond
from vanguard.citywork.queries.public import first_report_photos
from vanguard.core.ratelimit import Limit, allow, allow_all
from vanguard.exchange.files import too_large_message
from vanguard.org.queries import current_campaign

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
MOST_ROWS = 1000
MOST_DAYS = 90
READ_LIMIT = Limit(120, 60)
WRITE_LIMITS = (Limit(10, 3600), Limit(1000, 86400))
CLOSED_STATES = {CaseState.CLOSED, CaseState.DISCARDED, CaseState.MERGED}
# The action's names of the fields the spec names otherwise.
_FIELD_NAMES = {"photos": "media"}
# Five decimals of a degree: about a metre; four: about ten metres, enough to find the spot.
COORDINATE_PLACES = 4


def _format(fmt):
    if fmt not in (XML, JSON):
        raise Http404
    return fmt


def _jurisdiction_refused(request, fmt):
    wanted = (
        request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or ""
    ).strip()
    if wanted and wanted != settings.OPEN311_JURISDICTION:
        return errors(
            fmt,
            404,
            (
                404,
                _("Unknown jurisdiction_id “{given}”: this endpoint serves {ours}.").format(
                    given=wanted[:100], ours=settings.OPEN311_JURISDICTION
                ),
            ),
        )
    return None


def _too_fast(verdict, fmt):
    response = errors(
        fmt,
        429,
        (429, _("Too many requests; try again in {n} seconds.").format(n=verdict.retry_after)),
    )
    response["Retry-After"] = str(verdict.retry_after)
    return response


def _read(view):
    """A GET door: its format, the jurisdiction and the read rate limit checked first."""

    @require_GET
    def door(request, fmt, *args, **kwargs):
        fmt = _format(fmt)
        verdict = allow("open311-read", client_address(request), READ_LIMIT)
        if not verdict.allowed:
            return _too_fast(verdict, fmt)
        return _jurisdiction_refused(request, fmt) or view(request, fmt, *args, **kwargs)

    door.__name__ = view.__name__
    door.__doc__ = view.__doc__
    return door


def _categories():
    return CaseCategory.objects.filter(
        parent__isnull=False, active=True, public=True
    ).select_related("parent")


def _notice(category):
    limit = f"{category.time_limit.normalize():f}"
    notice = _("To be handled within {limit} {unit}.").format(
        limit=limit, unit=category.get_time_unit_display()
    )
    if category.close_condition:
        notice += " " + _("Closed when: {condition}.").format(condition=category.close_condition)
    return notice


@require_GET
def discovery(request, fmt):
    """Service discovery: where the endpoint is, which formats, which extensions."""
    fmt = _format(fmt)
    base = request.build_absolute_uri("/open311/v2/")
    data = {
        "changeset": moment(_changeset()),
        "contact": settings.OPEN311_CONTACT,
        "key_service": _("API keys are issued by the headquarters office (vanguard token create)."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": moment(_changeset()),
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, "discovery", data)


def _changeset():
    """When the service list last changed: the newest change-log entry of a category (the
    categories a migration added predate every entry: the Unix epoch then)."""
    from django.contrib.contenttypes.models import ContentType

    from vanguard.audit.models import ChangeEntry

    latest = (
        ChangeEntry.objects.filter(content_type=ContentType.objects.get_for_model(CaseCategory))
        .order_by("-seq")
        .values_list("created_at", flat=True)
        .first()
    )
    return latest or datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@_read
def services(request, fmt):
    """The service list: one service per public subcategory."""
    data = [
        {
            "service_code": c.code,
            "service_name": c.name,
            "description": _notice(c),
            "metadata": False,
            "type": "realtime",
            "keywords": c.parent.name,
            "group": c.parent.name,
        }
        for c in _categories()
    ]
    return respond(fmt, "services", data)


@_read
def service_definition(request, fmt, code):
    """A service's definition: no attributes are asked beyond the standard fields."""
    category = _categories().filter(code=code).first()
    if category is None:
        return errors(
            fmt, 404, (404, _("No service has the code “{code}”.").format(code=code[:64]))
        )
    return respond(fmt, "service_definition", {"service_code": category.code, "attributes": []})


class _Services:
    """Each service's name, code and notice, and the states' names, read once per answer."""

    def __init__(self):
        self.categories = {c.pk: c for c in CaseCategory.objects.all()}
        self.notices = {pk: _notice(c) for pk, c in self.categories.items()}
        self.states = {value: str(label) for value, label in CaseState.choices}


def _request_row(case, services, reasons, media_url=""):
    """One case (a dict of ``_ROW_FIELDS``) as the spec's service request."""
    category = services.categories[case["category_id"]]
    state = case["state"]
    closed = state in CLOSED_STATES
    notes = services.states.get(state, state)
    if state == CaseState.MERGED and case["merged_into_id"]:
        notes = _("Merged into {number}.").format(number=number_of(case["merged_into_id"]))
    elif state == CaseState.DISCARDED and reasons.get(case["id"]):
        notes = "{}: {}".format(notes, reasons[case["id"]])
    return {
        "service_request_id": number_of(case["id"]),
        "status": "closed" if closed else "open",
        "status_notes": notes,
        "service_name": category.name,
        "service_code": category.code,
        "description": case["description"],
        "agency_responsible": case["unit__name"] or "",
        "service_notice": services.notices[case["category_id"]],
        "requested_datetime": moment(case["reported_at"]),
        "updated_datetime": moment(
            case["closed_at"] if closed and case["closed_at"] else case["updated_at"]
        ),
        "expected_datetime": moment(case["due_at"]),
        "address": case["address"],
        "address_id": "",
        "zipcode": "",
        "lat": f"{case['lat']:.{COORDINATE_PLACES}f}",
        "long": f"{case['lon']:.{COORDINATE_PLACES}f}",
        "media_url": media_url,
    }


# What a request answers of a case, and no more (a case has many more columns), read as
# plain values: a page of 1,000 rows spends its time here, not in the database.
_ROW_FIELDS = (
    "id",
    "state",
    "category_id",
    "merged_into_id",
    "description",
    "unit__name",
    "reported_at",
    "updated_at",
    "closed_at",
    "due_at",
    "address",
    "lon",
    "lat",
)


def _requests_answer(request, fmt, cases):
    """``cases`` (a queryset of ``_public_cases``) as the spec's list of requests."""
    services = _Services()
    cases = list(cases.values(*_ROW_FIELDS))
    # Why a report was not registered, read once for the whole page.
    discarded = [case["id"] for case in cases if case["state"] == CaseState.DISCARDED]
    reasons = (
        dict(
            CaseEvent.objects.filter(case_id__in=discarded, action="discard").values_list(
                "case_id", "note"
            )
        )
        if discarded
        else {}
    )
    # The first photo reported with each case, as its public copy's absolute address: the
    # copy carries no metadata and is public by design (a partner app shows it).
    photos = first_report_photos(case["id"] for case in cases)
    rows = [
        _request_row(
            case,
            services,
            reasons,
            request.build_absolute_uri(photos[case["id"]].url) if case["id"] in photos else "",
        )
        for case in cases
    ]
    return respond(fmt, "service_requests", rows)


def _public_cases():
    return Case.objects.filter(category__public=True).order_by("-reported_at", "-id")


def _when(request, name):
    raw = (request.GET.get(name) or "").strip()
    if not raw:
        return None
    value = parse_datetime(raw.replace(" ", "+"))
    if value is None or timezone.is_naive(value):
        raise ValueError(name)
    return value


@_read
def request_list(request, fmt):
    """GET Service Requests, with the spec's filters and the paging extensions."""
    cases = _public_cases()
    ids = [
        pk
        for pk in map(pk_of_number, (request.GET.get("service_request_id") or "").split(","))
        if pk
    ]
    if ids:
        return _requests_answer(request, fmt, cases.filter(pk__in=ids)[:MOST_ROWS])
    problems = []
    try:
        start, end = _when(request, "start_date"), _when(request, "end_date")
        after, before = _when(request, "updated_after"), _when(request, "updated_before")
    except ValueError as bad:
        return errors(
            fmt,
            400,
            (
                400,
                _(
                    "{name} must be a W3C date and time with its zone, e.g. 2026-12-01T09:00:00+08:00."
                ).format(name=bad),
            ),
        )
    end = end or timezone.now()
    start = start or end - datetime.timedelta(days=MOST_DAYS)
    if end - start > datetime.timedelta(days=MOST_DAYS):
        problems.append((400, _("The date range may not exceed {n} days.").format(n=MOST_DAYS)))
    codes = [c for c in (request.GET.get("service_code") or "").split(",") if c.strip()]
    if codes:
        known = set(_categories().filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            return errors(
                fmt, 404, (404, _("No service has the code “{code}”.").format(code=unknown[0][:64]))
            )
        cases = cases.filter(category__code__in=codes)
    status = (request.GET.get("status") or "").strip()
    if status == "open":
        cases = cases.exclude(state__in=CLOSED_STATES)
    elif status == "closed":
        cases = cases.filter(state__in=CLOSED_STATES)
    elif status:
        problems.append((400, _("status is open or closed.")))
    try:
        page = max(int(request.GET.get("page") or 1), 1)
        size = min(max(int(request.GET.get("page_size") or MOST_ROWS), 1), MOST_ROWS)
    except ValueError:
        problems.append((400, _("page and page_size are whole numbers.")))
        page, size = 1, MOST_ROWS
    if problems:
        return errors(fmt, 400, *problems)
    cases = cases.filter(reported_at__gte=start, reported_at__lte=end)
    if after:
        cases = cases.filter(updated_at__gt=after)
    if before:
        cases = cases.filter(updated_at__lt=before)
    return _requests_answer(request, fmt, cases[(page - 1) * size : page * size])


@_read
def request_detail(request, fmt, number):
    """GET Service Request: one case by its number."""
    pk = pk_of_number(number)
    cases = _public_cases().filter(pk=pk or 0)
    if not pk or not cases.exists():
        return errors(
            fmt, 404, (404, _("No service request has the id “{id}”.").format(id=number[:32]))
        )
    return _requests_answer(request, fmt, cases)


@_read
def token_detail(request, fmt, token):
    """GET service_request_id from a token: the token is the case's tracking code."""
    case = Case.objects.filter(tracking_code=token.upper()[:16]).only("pk").first()
    if case is None:
        return errors(
            fmt, 404, (404, _("No request has the token “{token}”.").format(token=token[:16]))
        )
    return respond(
        fmt, "service_requests", [{"service_request_id": case.number, "token": token.upper()}]
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests(request, fmt):
    """``/requests.{fmt}``: GET lists, POST files a citizen's report."""
    if request.method == "GET":
        return request_list(request, fmt)
    fmt = _format(fmt)
    return _jurisdiction_refused(request, fmt) or _post_request(request, fmt)


def _post_request(request, fmt):
    form = request.POST
    api_key = (form.get("api_key") or "").strip()
    account = user_for_token(api_key) if api_key else None
    if account is None:
        return errors(fmt, 403, (403, _("api_key is missing or not valid.")))
    verdict = allow_all(
        [
            ("open311-post-address", client_address(request), WRITE_LIMITS[0]),
            ("open311-post-key", api_key[3:11], WRITE_LIMITS[1]),
        ]
    )
    if not verdict.allowed:
        return _too_fast(verdict, fmt)
    code = (form.get("service_code") or "").strip()
    if not code:
        return errors(fmt, 400, (400, _("service_code is required.")))
    category = _categories().filter(code=code).first()
    if category is None:
        return errors(
            fmt, 404, (404, _("No service has the code “{code}”.").format(code=code[:64]))
        )
    lat, lon = (form.get("lat") or "").strip(), (form.get("long") or "").strip()
    address = (form.get("address_string") or "").strip()[:300]
    system = (form.get("coordinate_system") or "wgs84").strip().lower()
    if not (lat and lon):
        found = street_centre_named_in(address)
        if found is None:
            return errors(
                fmt,
                400,
                (
                    400,
                    _(
                        "Give lat and long (WGS84), or an address_string that names the town or street."
                    ),
                ),
            )
        lon, lat, street = found
        address = _("{address} (approximate: {street})").format(address=address, street=street)
        system = "wgs84"
    name = " ".join(p for p in (form.get("last_name", ""), form.get("first_name", "")) if p).strip()
    too_large = getattr(request, "upload_too_large", None)
    if too_large:
        return errors(fmt, 400, (400, "media: " + too_large_message(too_large)))
    media = request.FILES.getlist("media") + request.FILES.getlist("media[]")
    try:
        case = do_report_with_photos(
            campaign=current_campaign(None),
            source=CaseSource.OPEN311,
            photo_source=PhotoSource.OPEN311,
            category=category,
            lon=lon,
            lat=lat,
            coordinate_system=system,
            description=form.get("description") or "",
            address=address,
            reporter_name=name,
            reporter_phone=(form.get("phone") or form.get("email") or "").strip(),
            photos=media,
            actor=account,
        )
    except ValidationError as error:
        problems = (
            [
                (400, "{}: {}".format(_FIELD_NAMES.get(field, field), m))
                for field, messages in error.message_dict.items()
                for m in messages
            ]
            if hasattr(error, "error_dict")
            else [(400, m) for m in error.messages]
        )
        return errors(fmt, 400, *problems)
    except PermissionDenied as denied:
        return errors(fmt, 403, (403, str(denied)))
    notice = _notice(category)
    if (form.get("media_url") or "").strip() and not media:
        # Nothing is fetched from another host: the photo comes as an upload or not at all.
        notice += " " + _("The photo at media_url was not fetched; upload it as media instead.")
    return respond(
        fmt,
        "service_requests",
        # An id, never both an id and a token (the spec); the tracking code is on the page.
        [{"service_request_id": case.number, "service_notice": notice}],
    )
