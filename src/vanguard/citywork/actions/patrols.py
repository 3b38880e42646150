"""Writes of patrols (巡查): start and end one, record a problem found, check a handled case.

A problem found becomes a case through the one case action (``do_report_case`` with the
patrol as its source: registered at once, the member its checker), its photos through
the one photo store as the case's "before" photos. When an open case of the same
category lies within its duplicate radius, the member may support it instead: the case
counts one more report and the patrol's photos join it. A check (核查) from the phone
goes through ``do_check`` with the "after" photos in the same transaction.
"""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.citywork.actions import case_support, cases
from vanguard.citywork.actions.common import field_errors
from vanguard.citywork.choices import PhotoRole, PhotoSource
from vanguard.citywork.models import Patrol, PatrolFinding, Photo
from vanguard.citywork.models.cases import CaseSource
from vanguard.citywork.photos import PHOTOS_AT_ONCE, attach_photo, check_photos, store_photo
from vanguard.core import geo
from vanguard.core.actors import user_of
from vanguard.core.preconditions import STALE
from vanguard.maps import district
from vanguard.org import access

MAX_NOTE = 2000
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _words(text, limit):
    return " ".join((text or "").split())[:limit]


# --- the patrol ------------------------------------------------------------------------------


def do_start_patrol(campaign, *, actor, grid=None, area="", note=""):
    """Start a patrol of ``actor``: one open at a time, kept by the database too."""
    access.require_patrol(actor)
    member = user_of(actor)
    if member is None:
        raise ValidationError(_("A patrol is a person's: the system does not patrol."))
    already = _("You are on patrol {number} already; end it before starting another.")
    with transaction.atomic():
        current = Patrol.objects.filter(member=member, ended_at__isnull=True).first()
        if current is not None:
            raise ValidationError(already.format(number=current.number), code=STALE)
        try:
            with transaction.atomic():
                patrol = Patrol.objects.create(
                    campaign=campaign,
                    member=member,
                    started_at=timezone.now(),
                    grid=grid,
                    area=_words(area, 200),
                    note=(note or "").strip()[:MAX_NOTE],
                )
        except IntegrityError:
            # Two starts at once from two phones: the other one is the patrol.
            current = Patrol.objects.filter(member=member, ended_at__isnull=True).first()
            raise ValidationError(
                already.format(number=current.number if current else ""), code=STALE
            ) from None
        record_changes([Change(patrol, ChangeAction.CREATE, after=snapshot(patrol))], actor=actor)
    return patrol


def do_end_patrol(patrol, *, actor, note=None):
    """End a patrol (its member, or the office for one left open); ``note`` replaces its note."""
    access.require_end_patrol(actor, patrol)
    with transaction.atomic():
        current = Patrol.objects.select_for_update().get(pk=patrol.pk)
        if current.ended_at is not None:
            raise ValidationError(
                _("Patrol {number} has ended already ({at}).").format(
                    number=current.number,
                    at=timezone.localtime(current.ended_at).strftime("%Y-%m-%d %H:%M"),
                ),
                code=STALE,
            )
        before = snapshot(current)
        current.ended_at = timezone.now()
        update = ["ended_at"]
        if note is not None and note.strip():
            current.note = note.strip()[:MAX_NOTE]
            update.append("note")
        current.save(update_fields=update)
        record_changes(
            [Change(current, ChangeAction.UPDATE, before, snapshot(current))], actor=actor
        )
    return current


# --- problems found --------------------------------------------------------------------------


def kept_photos(hashes):
    """The photos a form kept earlier (shown again to offer a duplicate), by their hashes."""
    hashes = list(dict.fromkeys(h for h in (hashes or ()) if h))
    if any(not SHA256.match(h) for h in hashes):
        raise ValidationError(
            {"photos": _("The photos kept earlier are not known; take them again.")}
        )
    found = {p.sha256: p for p in Photo.objects.filter(sha256__in=hashes)}
    if len(found) != len(hashes):
        raise ValidationError(
            {"photos": _("The photos kept earlier are not known; take them again.")}
        )
    return [found[h] for h in hashes]


def do_keep_patrol_photos(patrol, files, *, actor):
    """Keep a finding's photos before the member decides on a duplicate; return their hashes.

    The photos are stored (stripped, the originals kept) and attached to nothing yet: the
    finding attaches them to the case it reports or supports.
    """
    access.require_record_finding(actor, patrol)
    try:
        checked = check_photos(files)
    except ValidationError as error:
        raise ValidationError({"photos": error.messages}) from None
    with transaction.atomic():
        return [store_photo(item, source=PhotoSource.PATROL, by=actor).sha256 for item in checked]


def _check_support(case, category, placement):
    """Refuse to support a case that is not the same problem: another category, or too far."""
    if case.category_id != category.pk:
        raise ValidationError(
            {"category": _("Case {number} is of another category.").format(number=case.number)}
        )
    distance = geo.distance_m(placement.lon, placement.lat, case.lon, case.lat)
    if distance > category.duplicate_radius_m:
        raise ValidationError(
            {
                "location": _(
                    "Case {number} is {metres} m away, farther than {radius} m: report a new case."
                ).format(
                    number=case.number,
                    metres=round(distance),
                    radius=category.duplicate_radius_m,
                )
            }
        )


def do_record_finding(
    patrol,
    *,
    actor,
    category,
    lon,
    lat,
    description,
    coordinate_system="wgs84",
    address="",
    photos=(),
    kept=(),
    support=None,
):
    """Record a problem the patrol found; return the ``PatrolFinding``.

    ``photos`` are uploads (checked first, all errors at once), ``kept`` the hashes of
    photos kept by ``do_keep_patrol_photos``; at least one is needed. With ``support`` (an
    open case of the same category nearby) that case gets one more report and the
    photos; otherwise a new case is reported, registered at once, the member its checker.
    """
    access.require_record_finding(actor, patrol)
    errors = {}
    checked, earlier = [], []
    try:
        checked = check_photos(photos)
    except ValidationError as error:
        errors["photos"] = error.messages
    try:
        earlier = kept_photos(kept)
    except ValidationError as error:
        errors.update(error.message_dict)
    if "photos" not in errors:
        if not checked and not earlier:
            errors["photos"] = _("Take at least one photo of the problem.")
        elif len(checked) + len(earlier) > PHOTOS_AT_ONCE:
            errors["photos"] = _("At most {count} photos may be sent at once.").format(
                count=PHOTOS_AT_ONCE
            )
    category = _category_or_errors(category, errors)
    try:
        description = cases.clean_description(description)
    except ValidationError as error:
        errors.update(error.message_dict)
    placement = None
    try:
        placement = district.locate(lon, lat, coordinate_system, field="location")
    except ValidationError as error:
        errors.update(error.message_dict)
    field_errors(errors)
    with transaction.atomic():
        current = Patrol.objects.select_for_update().get(pk=patrol.pk)
        if current.ended_at is not None:
            raise ValidationError(
                _("Patrol {number} has ended; start a new patrol to record more.").format(
                    number=current.number
                ),
                code=STALE,
            )
        if support is not None:
            _check_support(support, category, placement)
            if PatrolFinding.objects.filter(patrol=current, case=support).exists():
                raise ValidationError(
                    _("This patrol has recorded case {number} already.").format(
                        number=support.number
                    )
                )
            case = case_support.do_support(support, actor=actor)
        else:
            case = cases.do_report_case(
                campaign=current.campaign,
                source=CaseSource.PATROL,
                category=category,
                lon=lon,
                lat=lat,
                coordinate_system=coordinate_system,
                description=description,
                address=address,
                actor=actor,
            )
        finding = PatrolFinding.objects.create(
            patrol=current,
            case=case,
            supported=support is not None,
            note=description,
            found_at=timezone.now(),
        )
        for item in checked:
            store_photo(
                item, source=PhotoSource.PATROL, by=actor, subject=case, role=PhotoRole.BEFORE
            )
        for photo in earlier:
            attach_photo(photo, case, role=PhotoRole.BEFORE, source=PhotoSource.PATROL, by=actor)
        record_changes([Change(finding, ChangeAction.CREATE, after=snapshot(finding))], actor=actor)
    return finding


def _category_or_errors(category, errors):
    try:
        return cases.check_category(category)
    except ValidationError as error:
        errors.update(error.message_dict)
        return None


# --- the check (核查) ----------------------------------------------------------------------------


def do_record_check(case, *, actor, passed, note="", photos=(), version=None):
    """核查 from the phone: pass or fail the unit's work, with "after" photos, in one go.

    Who may check is asked first (the handler and the unit never check), then every
    photo, so nothing is kept of a refused check.
    """
    access.require_check_case(actor, case)
    return case_support.with_photos(
        lambda: cases.do_check(case, actor=actor, passed=passed, note=note, version=version),
        photos,
        actor=actor,
        source=PhotoSource.PATROL,
    )
