"""Writes of the public's reports (随手拍, Open311): a case with its photos, "me too".

A report from the public comes with up to ``MOST_PHOTOS`` photos. Every photo is checked
(real type, size, pixels) and its stripped copy drawn before anything is written, and the
case and its photos are written in one transaction: a bad photo, or any other refusal,
leaves no case and no attachment behind. Who may report this way is the caller's
business (the public page counts reports per address and phone, Open311 asks for a key).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vanguard.citywork import routing
from vanguard.citywork.actions.case_support import do_support
from vanguard.citywork.actions.cases import check_category, clean_description, do_report_case
from vanguard.citywork.choices import PhotoRole, PhotoSource
from vanguard.citywork.models import Case, Photo
from vanguard.citywork.models.cases import CaseSource, pk_of_number
from vanguard.citywork.photos import CheckedPhoto, attach_photo, check_photos, store_photo
from vanguard.maps import district

# A photo report shows the problem; three photos do (FixMyStreet takes three too).
MOST_PHOTOS = 3
PUBLIC_SOURCES = {CaseSource.CITIZEN, CaseSource.OPEN311}


def check_report_photos(files, kept=()):
    """The photos of a report checked and drawn, not stored: at most ``MOST_PHOTOS`` with
    those ``kept`` from an earlier try (``CheckedPhoto``s pass as they are). Raises
    ValidationError on "photos"."""
    files = list(files or ())
    if len(files) + len(kept) > MOST_PHOTOS:
        raise ValidationError(
            {
                "photos": _("At most {count} photos go with a report; you sent {sent}.").format(
                    count=MOST_PHOTOS, sent=len(files) + len(kept)
                )
            }
        )
    ready = [f for f in files if isinstance(f, CheckedPhoto)]
    try:
        return ready + check_photos([f for f in files if not isinstance(f, CheckedPhoto)])
    except ValidationError as error:
        raise ValidationError({"photos": error.messages}) from None


def check_public_report(*, category, lon, lat, description, coordinate_system="wgs84"):
    """Check what a public report says, all at once; return where it is (a Placement).

    The same checks ``do_report_case`` makes, made first so that a form shows every
    problem together and the photos need not be drawn for a report that cannot be filed.
    """
    errors = {}
    try:
        check_category(category, public=True)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        clean_description(description)
    except ValidationError as error:
        errors.update(error.message_dict)
    placement = None
    try:
        placement = district.locate(lon, lat, coordinate_system, field="location")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return placement


def do_report_with_photos(
    *,
    campaign,
    category,
    lon,
    lat,
    description,
    photos=(),
    kept=(),
    coordinate_system="wgs84",
    address="",
    reporter_name="",
    reporter_phone="",
    source=CaseSource.CITIZEN,
    photo_source=PhotoSource.PAGE,
    actor=None,
):
    """File a public report with its photos; return the case.

    ``photos`` are uploads or bytes, or ``CheckedPhoto``s already checked; ``kept`` are
    ``Photo``s kept from an earlier try of the same report. Every photo is checked before
    the case is made and the whole is one transaction. ``actor`` is None for an anonymous
    citizen, or the partner's account for Open311.
    """
    if source not in PUBLIC_SOURCES:
        raise ValueError("not a public source: {!r}".format(source))
    errors = {}
    try:
        check_public_report(
            category=category,
            lon=lon,
            lat=lat,
            description=description,
            coordinate_system=coordinate_system,
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    checked = []
    try:
        checked = check_report_photos(photos, kept)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = do_report_case(
            campaign=campaign,
            source=source,
            category=category,
            lon=lon,
            lat=lat,
            description=description,
            coordinate_system=coordinate_system,
            address=address,
            reporter_name=reporter_name,
            reporter_phone=reporter_phone,
            actor=actor,
        )
        for photo in kept:
            attach_photo(photo, case, role=PhotoRole.REPORT, source=photo_source, by=actor)
        for photo in checked:
            store_photo(photo, source=photo_source, by=actor, subject=case, role=PhotoRole.REPORT)
    return case


def keep_report_photos(files):
    """Keep a report's photos, attached to nothing yet, while the citizen decides (a case
    of the same kind is open nearby); return the Photos. Raises ValidationError on
    "photos" when one is bad: then nothing is kept."""
    checked = check_report_photos(files)
    with transaction.atomic():
        return [store_photo(photo, source=PhotoSource.PAGE, by=None) for photo in checked]


def kept_photos(digests):
    """The Photos named by ``digests`` (of ``keep_report_photos``), in that order."""
    found = {p.sha256: p for p in Photo.objects.filter(sha256__in=list(digests)[:MOST_PHOTOS])}
    return [found[d] for d in digests if d in found]


def offered_case(number, *, category, lon, lat, coordinate_system="wgs84"):
    """The open case numbered ``number`` if it is one of ``category`` within its radius of
    the point given (one the page offers for "me too" there); else ValidationError.

    Anyone may say "me too", so a number alone does not add support to any case in the
    district: the case must be one the page itself offered for that place.
    """
    placement = district.locate(lon, lat, coordinate_system, field="location")
    pk = pk_of_number(number)
    near = {
        case.pk
        for case, _metres in routing.nearby_open(
            check_category(category, public=True), placement.lon, placement.lat
        )
    }
    if pk is None or pk not in near:
        raise ValidationError(
            {
                "case": _(
                    "Case {number} is not an open case of this kind near the place given."
                ).format(number=(number or "")[:20])
            }
        )
    return Case.objects.get(pk=pk)


def do_support_nearby(number, *, category, lon, lat, coordinate_system="wgs84"):
    """ "Me too" from someone at the place, for a case ``offered_case`` finds; return it."""
    case = offered_case(
        number, category=category, lon=lon, lat=lat, coordinate_system=coordinate_system
    )
    return do_support(case, actor=None)
