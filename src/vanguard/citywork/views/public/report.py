"""The citizens' photo report (随手拍): the form, the open cases nearby, "me too", thanks.

No login. A phone's browser or WeChat's built-in one sends photos from the camera, the
place (the phone's location, WGS84; a WeChat or Gaode point, GCJ-02, says so in
``coordinate_system``; or a tap on the map), the kind of problem, what is wrong and,
if the person wants a call-back, a phone number. The page asks ``nearby/`` for open
cases of the same kind within the kind's radius before it is sent and offers "me too"
instead of a new case; the server asks again when the report arrives, and holds the
photos while the person decides. Refusals are in words and keep what was typed.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanguard.citywork import routing
from vanguard.citywork.actions.case_support import do_support
from vanguard.citywork.actions.citizen import (
    MOST_PHOTOS,
    check_public_report,
    check_report_photos,
    do_report_with_photos,
    keep_report_photos,
    kept_photos,
    offered_case,
)
from vanguard.citywork.forms.public import ReportForm, SupportForm, public_categories, sign_kept
from vanguard.citywork.models import Case
from vanguard.citywork.queries.public import (
    first_report_photos,
    public_progress,
    public_state,
)
from vanguard.citywork.views.public.doors import (
    post_allowed,
    private,
    public_door,
    read_allowed,
    refusal_words,
    refused,
    remember_report,
    report_allowed,
    support_once,
    too_many,
)
from vanguard.core.coords import CoordinateSystem, to_wgs84
from vanguard.core.forms import add_action_errors
from vanguard.exchange.files import MB, too_large_message
from vanguard.maps import district
from vanguard.org.queries import current_campaign

DESCRIPTION_SHOWN = 120


def _outside_words():
    return _(
        "This place is outside {district}. Tap the map where the problem is, or check that"
        " your phone's location is on."
    ).format(district=district.district_name())


def _errors(form, error):
    """An action's refusal on the form's fields, the place in the citizen's words."""
    if hasattr(error, "error_dict"):
        errors = dict(error.error_dict)
        if errors.pop("location", None) is not None:
            form.add_error("lon", _outside_words())
        if not errors:
            return
        error = ValidationError(errors)
    add_action_errors(form, error)


def _map_config(form):
    """What the page's map draws (the district and its towns and streets, no tiles) and
    where its marker starts (a point given in GCJ-02 or BD-09 shown in WGS84)."""
    west, south, east, north = district.district_bbox()
    marker = None
    data = form.data if form.is_bound else form.initial
    try:
        lon, lat = float(data.get("lon") or ""), float(data.get("lat") or "")
        system = data.get("coordinate_system") or CoordinateSystem.WGS84
        lon, lat = to_wgs84(lon, lat, CoordinateSystem(system))
        marker = [lat, lon]
    except (TypeError, ValueError):
        marker = None
    return {
        "bounds": [[south, west], [north, east]],
        "district": district.district()["geometry"],
        "streets": [
            {"name": f["properties"]["name"], "geometry": f["geometry"]} for f in district.streets()
        ],
        "marker": marker,
        "nearby_url": reverse("report:nearby"),
        "support_url": reverse("report:support"),
        "most_photos": MOST_PHOTOS,
        "photo_mb": settings.PHOTO_MAX_BYTES // MB,
        "texts": {
            "locating": _("Finding where you are…"),
            "located": _("Your location is set (about {metres} m)."),
            "tapped": _("The place you tapped is set."),
            "street": _("In {street}."),
            "no_location": _("Your location could not be found: tap the map where the problem is."),
            "no_place": _("Give the place: use your phone's location or tap the map where it is."),
            "too_many_photos": _("At most {count} photos go with a report.").format(
                count=MOST_PHOTOS
            ),
            "too_large": _("“{name}” is larger than {limit} MB: choose a smaller photo.").replace(
                "{limit}", str(settings.PHOTO_MAX_BYTES // MB)
            ),
            "html": _("Write the description as plain text, without HTML."),
            "checking": _("Looking for the same problem reported nearby…"),
            "nearby": _(
                "Already reported nearby: if it is the same problem, say “me too” instead"
                " of reporting it again."
            ),
            "none_nearby": _("No open report of this kind nearby."),
            "metres": _("{metres} m away"),
            "supporters": _("{count} more people reported it"),
            "me_too": _("Me too: the same problem"),
            "failed": _("The reports nearby could not be looked up; you may still send yours."),
            "sending": _("Sending…"),
        },
    }


def _page(request, form, *, status=200, nearby=(), verdict=None, kept=()):
    context = {
        "form": form,
        "config": _map_config(form),
        "nearby": nearby,
        "refusal": refusal_words(verdict) if verdict else "",
        "kept": kept,
        "most_photos": MOST_PHOTOS,
        "photo_mb": settings.PHOTO_MAX_BYTES // MB,
        "upload_mb": settings.UPLOAD_MAX_BYTES // MB,
        "district_name": district.district_name(),
    }
    response = render(request, "citywork/public/report.html", context, status=status)
    # It carries the form's token and, after an error, what the person typed.
    response["Cache-Control"] = "private, no-store"
    if verdict:
        response["Retry-After"] = str(verdict.retry_after)
    return response


def _prefill(query):
    """A link may carry the place (a mini program's web view opens the page with its own
    point, GCJ-02) and the kind of problem."""
    initial = {}
    for name in ("lon", "lat", "category", "coordinate_system"):
        value = (query.get(name) or "").strip()[:32]
        if value:
            initial[name] = value
    return initial


def _nearby_rows(found):
    """The open cases nearby as the page lists them: no reporter, no tracking code."""
    photos = first_report_photos([case.pk for case, _m in found])
    rows = []
    for case, metres in found:
        text = case.description
        photo = photos.get(case.pk)
        rows.append(
            {
                "number": case.number,
                "description": text[:DESCRIPTION_SHOWN]
                + ("…" if len(text) > DESCRIPTION_SHOWN else ""),
                "state": public_state(case),
                "reported": timezone.localtime(case.reported_at).strftime("%Y-%m-%d"),
                "metres": int(round(metres)),
                "supporters": case.supporters,
                "thumbnail": photo.thumbnail_url if photo else "",
            }
        )
    return rows


def _nearby(category, placement):
    found = routing.nearby_open(category, placement.lon, placement.lat)
    if found:
        ids = [case.pk for case, _m in found]
        full = {
            c.pk: c
            for c in Case.objects.filter(pk__in=ids).only(
                "pk", "state", "reported_at", "description", "supporters"
            )
        }
        found = [(full[case.pk], metres) for case, metres in found if case.pk in full]
    return _nearby_rows(found)


@public_door
@require_http_methods(["GET", "POST"])
def report(request):
    """The photo report form; a report that passes every check becomes a case."""
    categories = list(public_categories())
    if request.method == "GET":
        return _page(request, ReportForm(initial=_prefill(request.GET), categories=categories))
    form = ReportForm(request.POST, request.FILES, categories=categories)
    verdict = post_allowed(request)
    if not verdict.allowed:
        form.is_valid()
        return _page(request, form, status=429, verdict=verdict)
    if (request.POST.get("homepage") or "").strip():
        # Filled only by a robot; it learns nothing about why.
        return refused(request, _("The report was not accepted."))
    too_large = getattr(request, "upload_too_large", None)
    if not form.is_valid() or too_large:
        if too_large:
            form.add_error(
                "photos",
                too_large_message(too_large)
                + " "
                + _("Send fewer photos, or smaller ones (each up to {size} MB).").format(
                    size=settings.PHOTO_MAX_BYTES // MB
                ),
            )
        return _page(request, form, status=413 if too_large else 400)
    data = form.cleaned_data
    category = form.chosen_category
    kept = kept_photos(form.kept_digests())
    files = request.FILES.getlist("photos")
    placement, checked = None, []
    try:
        placement = check_public_report(
            category=category,
            lon=data["lon"],
            lat=data["lat"],
            description=data["description"],
            coordinate_system=data["coordinate_system"],
        )
    except ValidationError as error:
        _errors(form, error)
    try:
        checked = check_report_photos(files, kept)
    except ValidationError as error:
        _errors(form, error)
    if form.errors:
        return _page(request, form, status=400, kept=kept)
    nearby = _nearby(category, placement)
    if any(row["number"] not in form.seen_numbers() for row in nearby):
        # Ask first; the photos wait, so that a report sent after all need not take them again.
        kept = kept + keep_report_photos(checked) if checked else kept
        again = request.POST.copy()
        again["kept"] = sign_kept([p.sha256 for p in kept])
        again["seen"] = ",".join(row["number"] for row in nearby)
        form = ReportForm(again, categories=categories)
        form.is_valid()
        return _page(request, form, nearby=nearby, kept=kept)
    verdict = report_allowed(request)
    if not verdict.allowed:
        return _page(request, form, status=429, verdict=verdict, kept=kept)
    try:
        case = do_report_with_photos(
            campaign=current_campaign(None),
            category=category,
            lon=data["lon"],
            lat=data["lat"],
            coordinate_system=data["coordinate_system"],
            description=data["description"],
            address=data["address"],
            reporter_phone=data["phone"],
            photos=checked,
            kept=kept,
        )
    except ValidationError as error:
        _errors(form, error)
        return _page(request, form, status=400, kept=kept)
    return remember_report(request, redirect("report:thanks", code=case.tracking_code), case)


@public_door
@require_GET
def nearby(request):
    """Open cases of a kind near a point, for the form to offer "me too" (JSON)."""
    verdict = read_allowed(request)
    if not verdict.allowed:
        response = JsonResponse({"error": refusal_words(verdict)}, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    category = next(
        (c for c in public_categories() if c.code == (request.GET.get("category") or "")), None
    )
    if category is None:
        return JsonResponse(
            {"error": _("Choose the kind of problem."), "field": "category"}, status=400
        )
    try:
        placement = district.locate(
            request.GET.get("lon"),
            request.GET.get("lat"),
            request.GET.get("coordinate_system") or CoordinateSystem.WGS84,
        )
    except ValidationError:
        return JsonResponse({"error": _outside_words(), "field": "location"}, status=400)
    return JsonResponse({"street": placement.street or "", "cases": _nearby(category, placement)})


@public_door
@require_POST
def support(request):
    """ "Me too": the person's problem is an open case the page showed nearby."""
    verdict = post_allowed(request)
    if not verdict.allowed:
        return too_many(request, verdict)
    form = SupportForm(request.POST)
    if not form.is_valid():
        return refused(request, _("Choose the report that is the same problem."))
    data = form.cleaned_data
    category = next((c for c in public_categories() if c.code == data["category"]), None)
    if category is None:
        return refused(request, _("Choose the kind of problem."))
    verdict = report_allowed(request, scope="citizen-support")
    if not verdict.allowed:
        return too_many(request, verdict)
    try:
        case = offered_case(
            data["case"],
            category=category,
            lon=data["lon"],
            lat=data["lat"],
            coordinate_system=data["coordinate_system"] or CoordinateSystem.WGS84,
        )
        if not support_once(request, case).allowed:
            return _supported(request, case, again=True)
        case = do_support(case, actor=None)
    except ValidationError as error:
        return refused(request, " ".join(error.messages))
    return _supported(request, case)


def _supported(request, case, again=False):
    case = Case.objects.select_related("category", "unit").get(pk=case.pk)
    return render(
        request,
        "citywork/public/supported.html",
        {"progress": public_progress(case), "again": again},
    )


@public_door
@require_GET
def thanks(request, code):
    """The report is in: its tracking code, large, and where to follow it."""
    verdict = read_allowed(request)
    if not verdict.allowed:
        return too_many(request, verdict)
    case = Case.objects.select_related("category").filter(tracking_code=code).first()
    if case is None:
        return redirect("report:track_lookup")
    return private(render(request, "citywork/public/thanks.html", {"case": case}))
