"""Writes of demonstration zones and model roads: places, checklists, inspections, acceptance."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.citywork.actions.common import (
    apply_changes,
    check_version,
    field_errors,
    owner_errors,
    plain_snapshot,
    recompute,
    save_new_version,
    set_active,
)
from vanguard.citywork.choices import PhotoRole, PhotoSource, PlaceKind, PlaceState
from vanguard.citywork.locations import AREA, LINE, clean_geometry, length_m
from vanguard.citywork.models import Criterion, Inspection, Place
from vanguard.citywork.photos import check_photos, store_photo
from vanguard.core.actors import user_of
from vanguard.core.preconditions import STALE
from vanguard.org import access

PLACE_FIELDS = (
    "name",
    "lead_unit",
    "responsible_person",
    "geometry",
    "planned_acceptance",
    "description",
)
SHAPES = {PlaceKind.ZONE: AREA, PlaceKind.ROAD: LINE}


# --- the checklists --------------------------------------------------------------------------


def do_add_criterion(*, kind, text, actor, code=""):
    """Add an acceptance criterion to the checklist of a kind of place."""
    access.require_manage_weekly_work(actor)
    if kind not in PlaceKind.values:
        raise ValidationError({"kind": _("Choose a demonstration zone or a model road.")})
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": _("Write the criterion.")})
    with transaction.atomic():
        if Criterion.objects.filter(kind=kind, text=text).exists():
            raise ValidationError({"text": _("The checklist has this criterion already.")})
        code = slugify(code or "") or "c{}".format(Criterion.objects.filter(kind=kind).count() + 1)
        while Criterion.objects.filter(kind=kind, code=code).exists():
            code += "-1"
        last = Criterion.objects.filter(kind=kind).order_by("-sort_order").first()
        criterion = Criterion.objects.create(
            kind=kind, code=code, text=text, sort_order=(last.sort_order if last else 0) + 10
        )
        record_changes(
            [Change(criterion, ChangeAction.CREATE, after=snapshot(criterion))], actor=actor
        )
    return criterion


def do_set_criterion_active(criterion, *, active, actor):
    """Take a criterion off the checklist of new inspections, or put it back."""
    access.require_manage_weekly_work(actor)
    return set_active(Criterion, criterion, active=active, actor=actor)


# --- places ------------------------------------------------------------------------------------


def check_place(kind, fields):
    """Refuse what cannot be true of a place, naming the field; clean its geometry."""
    errors = {}
    fields["name"] = " ".join((fields.get("name") or "").split())
    if not fields["name"]:
        errors["name"] = _("Give the place's name.")
    owner_errors(fields, errors)
    if fields.get("planned_acceptance") is None:
        errors["planned_acceptance"] = _("Give the planned day of acceptance.")
    if fields.get("geometry") is None:
        errors["geometry"] = (
            _("Draw the zone as a polygon.")
            if kind == PlaceKind.ZONE
            else _("Draw the road as a line.")
        )
    else:
        try:
            fields["geometry"] = clean_geometry(fields["geometry"], SHAPES[kind])
        except ValidationError as exc:
            errors["geometry"] = exc.messages
    fields["description"] = (fields.get("description") or "").strip()
    field_errors(errors)
    return fields


def do_create_place(campaign, *, code, kind, actor, reason="", **fields):
    """Add a demonstration zone or a model road (the office or the city-work task force)."""
    access.require_manage_weekly_work(actor)
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": _("Give the place a code.")})
    if kind not in PlaceKind.values:
        raise ValidationError({"kind": _("Choose a demonstration zone or a model road.")})
    fields = check_place(kind, {name: fields.get(name) for name in PLACE_FIELDS})
    geometry = fields.pop("geometry")
    with transaction.atomic():
        if Place.objects.filter(campaign=campaign, code=code).exists():
            raise ValidationError({"code": _("Code “{code}” is taken.").format(code=code)})
        place = Place(campaign=campaign, code=code, kind=kind, **fields)
        place.place_at(geometry)
        place.length_m = length_m(geometry) if kind == PlaceKind.ROAD else None
        place.save()
        record_changes(
            [Change(place, ChangeAction.CREATE, after=plain_snapshot(place), reason=reason)],
            actor=actor,
        )
        recompute([campaign.pk])
    return place


def do_update_place(place, *, actor, version=None, reason="", **changes):
    """Change a place's name, owner, location or planned acceptance."""
    access.require_manage_weekly_work(actor)
    with transaction.atomic():
        current = Place.objects.select_for_update().get(pk=place.pk)
        check_version(current, version, _("Place {code}").format(code=current.code))
        fields = {name: getattr(current, name) for name in PLACE_FIELDS}
        fields.update({k: v for k, v in changes.items() if k in PLACE_FIELDS})
        check_place(current.kind, fields)
        changed = [name for name in PLACE_FIELDS if fields[name] != getattr(current, name)]
        if not changed:
            return current
        before = plain_snapshot(current)
        update = apply_changes(current, fields, changed)
        if "geometry" in changed:
            if current.kind == PlaceKind.ROAD:
                current.length_m = length_m(fields["geometry"])
            update.append("length_m")
        save_new_version(current, before, update, actor=actor, reason=reason)
    return current


# --- inspections and acceptance -------------------------------------------------------------------


def do_record_inspection(
    place, *, inspected_on, inspectors, met, actor, remarks="", photos=(), today=None
):
    """Record an inspection (巡查验收): the place's checklist as found that day.

    ``met`` lists the codes of the criteria met; every other criterion on the checklist
    was not. ``photos`` (uploads or bytes) go through the photo store and are attached
    to the inspection; one that is not a photo refuses the whole inspection, naming it.
    The lead unit does not inspect its own place.
    """
    access.require_inspect_places(actor, place)
    today = today or timezone.localdate()
    errors = {}
    if inspected_on is None:
        errors["inspected_on"] = _("Give the day of the inspection.")
    elif inspected_on > today:
        errors["inspected_on"] = _("An inspection is recorded once it took place.")
    inspectors = " ".join((inspectors or "").split())
    if not inspectors:
        errors["inspectors"] = _("Name who inspected.")
    criteria = list(Criterion.objects.filter(kind=place.kind, active=True))
    if not criteria:
        errors["met"] = _("The checklist of this kind of place is empty; the office adds it first.")
    met = set(met or ())
    unknown = met - {c.code for c in criteria}
    if unknown:
        errors["met"] = _("Not on the checklist: {codes}.").format(codes=", ".join(sorted(unknown)))
    try:
        checked = check_photos(photos)
    except ValidationError as error:
        errors["photos"] = error.messages
    field_errors(errors)
    checklist = [{"code": c.code, "text": c.text, "met": c.code in met} for c in criteria]
    with transaction.atomic():
        inspection = Inspection.objects.create(
            place=place,
            inspected_on=inspected_on,
            inspectors=inspectors,
            checklist=checklist,
            met_count=sum(1 for c in checklist if c["met"]),
            total_count=len(checklist),
            remarks=(remarks or "").strip(),
            recorded_by=user_of(actor),
            recorded_at=timezone.now(),
        )
        record_changes(
            [Change(inspection, ChangeAction.CREATE, after=snapshot(inspection))], actor=actor
        )
        for photo in checked:
            store_photo(
                photo,
                source=PhotoSource.INSPECTION,
                by=actor,
                subject=inspection,
                role=PhotoRole.INSPECTION,
            )
        recompute([place.campaign_id])
    return inspection


def _accepted_by(place):
    if place.accepted_by_id is None:
        return ""
    person = getattr(place.accepted_by, "person", None)
    who = person.name if person is not None else place.accepted_by.get_username()
    return _(" (accepted by {who} on {day})").format(who=who, day=place.accepted_on)


def _locked_place(place, version, state, refusal):
    """The place, locked, in ``state`` and on the version read; else STALE saying why."""
    current = Place.objects.select_for_update(of=("self",)).get(pk=place.pk)
    if current.state != state:
        raise ValidationError(
            refusal.format(code=current.code, state=current.get_state_display())
            + _accepted_by(current),
            code=STALE,
        )
    if version is not None and int(version) != current.version:
        raise ValidationError(
            _("{code} changed meanwhile; reload it and try again.").format(code=current.code),
            code=STALE,
        )
    return current


def do_apply_acceptance(place, *, actor, version=None, today=None):
    """The lead unit applies for acceptance (申请验收): the place is ready to be checked."""
    access.require_report_weekly(actor, place)
    today = today or timezone.localdate()
    with transaction.atomic():
        current = _locked_place(
            place,
            version,
            PlaceState.CREATING,
            _("{code} is {state}; only a place being built applies for acceptance."),
        )
        before = plain_snapshot(current)
        current.state = PlaceState.APPLIED
        current.applied_on = today
        current.return_reason = ""
        save_new_version(current, before, ["state", "applied_on", "return_reason"], actor=actor)
    return current


def do_accept_place(place, *, actor, version=None, today=None):
    """Accept (验收) a place: an inspection on or after the application met every criterion.

    Two task-force members at once: the place is locked, the first accepts, the second is
    told who did.
    """
    access.require_verify_weekly(actor, place)
    today = today or timezone.localdate()
    with transaction.atomic():
        current = _locked_place(
            place,
            version,
            PlaceState.APPLIED,
            _("{code} is {state}; only a place applied for acceptance is accepted."),
        )
        latest = (
            Inspection.objects.filter(place=current, inspected_on__gte=current.applied_on)
            .order_by("-inspected_on", "-pk")
            .first()
        )
        if latest is None:
            raise ValidationError(
                _("Inspect {code} after its application ({day}) before accepting it.").format(
                    code=current.code, day=current.applied_on
                )
            )
        if not latest.passed:
            missing = [c["text"] for c in latest.checklist if not c["met"]]
            raise ValidationError(
                _("The inspection of {day} did not meet: {criteria}.").format(
                    day=latest.inspected_on, criteria="；".join(missing) or "—"
                )
            )
        before = plain_snapshot(current)
        current.state = PlaceState.ACCEPTED
        current.accepted_on = today
        current.accepted_by = user_of(actor)
        save_new_version(current, before, ["state", "accepted_on", "accepted_by"], actor=actor)
    return current


def do_return_place(place, *, actor, reason, version=None):
    """Send an application for acceptance back to the lead unit with a reason."""
    access.require_verify_weekly(actor, place)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the application is sent back.")})
    with transaction.atomic():
        current = _locked_place(
            place,
            version,
            PlaceState.APPLIED,
            _("{code} is {state}; only an application for acceptance is sent back."),
        )
        before = plain_snapshot(current)
        current.state = PlaceState.CREATING
        current.applied_on = None
        current.return_reason = reason
        save_new_version(
            current, before, ["state", "applied_on", "return_reason"], actor=actor, reason=reason
        )
    return current
