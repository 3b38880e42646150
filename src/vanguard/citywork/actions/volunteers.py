"""Writes of volunteer activities (志愿服务): plan, change, cancel, hold, problems, signups.

The organising unit's reporters (and the office or the city-work task force) plan an
activity, change it while it is planned, cancel it, record it as held once it has taken
place (participants, photos) and report the problems it found, each a case from the
volunteers (``do_report_case``, waiting to be registered like a citizen's report).
Residents sign up on the public page: the activity is locked while its places are
counted, so two residents never take the last place together.
"""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.citywork.actions import cases
from vanguard.citywork.actions.common import check_version, field_errors, plain_snapshot
from vanguard.citywork.choices import ActivityKind, ActivityState, PhotoRole, PhotoSource
from vanguard.citywork.locations import point
from vanguard.citywork.models import VolunteerActivity, VolunteerFinding, VolunteerSignup
from vanguard.citywork.models.cases import CaseSource
from vanguard.citywork.photos import check_photos, store_photo
from vanguard.core.actors import user_of
from vanguard.core.preconditions import STALE
from vanguard.core.text import clean_text
from vanguard.maps import district
from vanguard.org import access

MOST_PLACES = 10_000
MOST_PARTICIPANTS = 100_000
# A mainland mobile number, written with or without spaces, dashes or +86.
MOBILE = re.compile(r"^1[3-9]\d{9}$")
ACTIVITY_FIELDS = (
    "title",
    "kind",
    "starts_at",
    "ends_at",
    "address",
    "unit",
    "capacity",
    "description",
)


def _plain(text, limit):
    return clean_text((text or "").strip())[:limit]


def check_activity(fields, location, errors):
    """Refuse what cannot be true of an activity, naming the field; clean the rest.

    ``location`` is (lon, lat, coordinate system) as entered, or None to keep the
    activity's; returns the checked ``Placement`` or None.
    """
    fields["title"] = " ".join((fields.get("title") or "").split())[:200]
    if not fields["title"]:
        errors["title"] = _("Give the activity a title.")
    if fields.get("kind") not in ActivityKind.values:
        errors["kind"] = _("Choose the kind of activity.")
    starts, ends = fields.get("starts_at"), fields.get("ends_at")
    if starts is None:
        errors["starts_at"] = _("Give the day and time the activity starts.")
    elif ends is not None and ends <= starts:
        errors["ends_at"] = _("An activity ends after it starts.")
    fields["address"] = " ".join((fields.get("address") or "").split())[:300]
    if not fields["address"]:
        errors["address"] = _("Say where the volunteers meet.")
    if fields.get("unit") is None:
        errors["unit"] = _("Name the organising unit.")
    capacity = fields.get("capacity")
    if capacity is None or not 1 <= capacity <= MOST_PLACES:
        errors["capacity"] = _("An activity takes 1 to {most} volunteers.").format(most=MOST_PLACES)
    fields["description"] = _plain(fields.get("description"), 4000)
    if "<" in fields["description"] and ">" in fields["description"]:
        errors["description"] = _("Write the description as plain text, without HTML.")
    if location is None:
        return None
    try:
        return district.locate(*location, field="location")
    except ValidationError as error:
        errors.update(error.message_dict)
        return None


def do_create_activity(campaign, *, actor, lon, lat, coordinate_system="wgs84", **fields):
    """Plan a volunteer activity of an organising unit; return it."""
    access.require_organise_activities(actor, fields.get("unit"))
    fields = {name: fields.get(name) for name in ACTIVITY_FIELDS}
    errors = {}
    placement = check_activity(fields, (lon, lat, coordinate_system), errors)
    field_errors(errors)
    with transaction.atomic():
        activity = VolunteerActivity(
            campaign=campaign,
            coordinate_system=placement.system,
            created_by=user_of(actor),
            **fields,
        )
        activity.place_at(point(placement.lon, placement.lat))
        activity.save()
        record_changes(
            [Change(activity, ChangeAction.CREATE, after=plain_snapshot(activity))], actor=actor
        )
    return activity


def _locked(activity, version, states, refusal):
    current = VolunteerActivity.objects.select_for_update().get(pk=activity.pk)
    if current.state not in states:
        raise ValidationError(
            refusal.format(title=current.title, state=current.get_state_display()), code=STALE
        )
    check_version(current, version, _("Activity “{title}”").format(title=current.title))
    return current


def _save(current, before, update, actor, reason=""):
    current.version += 1
    current.save(update_fields=[*update, "version", "updated_at"])
    record_changes(
        [Change(current, ChangeAction.UPDATE, before, plain_snapshot(current), reason)],
        actor=actor,
    )


def do_update_activity(
    activity, *, actor, version=None, lon=None, lat=None, coordinate_system="wgs84", **changes
):
    """Change a planned activity; its places never fall below those taken."""
    access.require_change_activity(actor, activity)
    if changes.get("unit") is not None and changes["unit"].pk != activity.unit_id:
        access.require_organise_activities(actor, changes["unit"])
    with transaction.atomic():
        current = _locked(
            activity,
            version,
            {ActivityState.PLANNED},
            _("“{title}” is {state}; only a planned activity is changed."),
        )
        fields = {name: getattr(current, name) for name in ACTIVITY_FIELDS}
        fields.update({k: v for k, v in changes.items() if k in ACTIVITY_FIELDS})
        errors = {}
        located = lon is not None and lat is not None
        placement = check_activity(
            fields, (lon, lat, coordinate_system) if located else None, errors
        )
        taken = current.signups.count()
        if fields.get("capacity") is not None and fields["capacity"] < taken:
            errors["capacity"] = _(
                "{count} volunteers have signed up; keep at least as many places."
            ).format(count=taken)
        field_errors(errors)
        changed = [name for name in ACTIVITY_FIELDS if fields[name] != getattr(current, name)]
        spot = point(placement.lon, placement.lat) if placement is not None else None
        moved = spot is not None and spot["coordinates"] != current.geometry["coordinates"]
        if not changed and not moved:
            return current
        before = plain_snapshot(current)
        for name in changed:
            setattr(current, name, fields[name])
        if moved:
            current.place_at(spot)
            current.coordinate_system = placement.system
            changed += [*VolunteerActivity.LOCATION_FIELDS, "coordinate_system"]
        _save(current, before, changed, actor)
    return current


def do_cancel_activity(activity, *, actor, reason, version=None):
    """Call off a planned activity, saying why; its page tells those who signed up."""
    access.require_change_activity(actor, activity)
    reason = " ".join((reason or "").split())[:500]
    if not reason:
        raise ValidationError({"reason": _("Say why the activity is cancelled.")})
    with transaction.atomic():
        current = _locked(
            activity,
            version,
            {ActivityState.PLANNED},
            _("“{title}” is {state}; only a planned activity is cancelled."),
        )
        before = plain_snapshot(current)
        current.state = ActivityState.CANCELLED
        current.cancel_reason = reason
        _save(current, before, ["state", "cancel_reason"], actor, reason)
    return current


def do_record_held(
    activity, *, actor, participants, summary="", photos=(), version=None, today=None
):
    """Record that an activity took place: how many took part, what was done, its photos.

    Recorded again, the figures are corrected (naming the version read); photos add up.
    """
    access.require_change_activity(actor, activity)
    today = today or timezone.localdate()
    errors = {}
    if participants is None or not 0 <= participants <= MOST_PARTICIPANTS:
        errors["participants"] = _("Give how many took part (0 to {most}).").format(
            most=MOST_PARTICIPANTS
        )
    if timezone.localdate(activity.starts_at) > today:
        errors["participants"] = _(
            "“{title}” starts on {day}; record it as held once it has taken place."
        ).format(title=activity.title, day=timezone.localdate(activity.starts_at))
    summary = _plain(summary, 4000)
    checked = []
    try:
        checked = check_photos(photos)
    except ValidationError as error:
        errors["photos"] = error.messages
    field_errors(errors)
    with transaction.atomic():
        current = _locked(
            activity,
            version,
            {ActivityState.PLANNED, ActivityState.HELD},
            _("“{title}” is {state}; a cancelled activity is not recorded as held."),
        )
        before = plain_snapshot(current)
        current.state = ActivityState.HELD
        current.participants = participants
        current.summary = summary
        current.held_recorded_at = current.held_recorded_at or timezone.now()
        _save(current, before, ["state", "participants", "summary", "held_recorded_at"], actor)
        for item in checked:
            store_photo(
                item,
                source=PhotoSource.VOLUNTEER,
                by=actor,
                subject=current,
                role=PhotoRole.ACTIVITY,
            )
    return current


def do_record_activity_problem(
    activity,
    *,
    actor,
    category,
    lon,
    lat,
    description,
    coordinate_system="wgs84",
    address="",
    photos=(),
):
    """Report a problem a held activity found: a case from the volunteers, with its photos."""
    access.require_change_activity(actor, activity)
    errors = {}
    checked = []
    try:
        checked = check_photos(photos)
    except ValidationError as error:
        errors["photos"] = error.messages
    field_errors(errors)
    with transaction.atomic():
        current = VolunteerActivity.objects.select_for_update().get(pk=activity.pk)
        if current.state != ActivityState.HELD:
            raise ValidationError(
                _("Record “{title}” as held before reporting what it found.").format(
                    title=current.title
                ),
                code=STALE,
            )
        case = cases.do_report_case(
            campaign=current.campaign,
            source=CaseSource.VOLUNTEER,
            category=category,
            lon=lon,
            lat=lat,
            coordinate_system=coordinate_system,
            description=description,
            address=address,
            reporter_name=current.unit.name,
            actor=actor,
        )
        finding = VolunteerFinding.objects.create(
            activity=current, case=case, found_at=timezone.now()
        )
        for item in checked:
            store_photo(
                item, source=PhotoSource.VOLUNTEER, by=actor, subject=case, role=PhotoRole.REPORT
            )
        record_changes([Change(finding, ChangeAction.CREATE, after=snapshot(finding))], actor=actor)
    return finding


# --- signups (public) --------------------------------------------------------------------------


def clean_phone(text):
    """A mainland mobile number as 11 digits, whatever spaces, dashes or +86 it came with."""
    digits = re.sub(r"[\s\-()（）]", "", text or "")
    digits = digits.removeprefix("+86").removeprefix("0086")
    if not MOBILE.match(digits):
        raise ValidationError({"phone": _("Give an 11-digit mobile number.")})
    return digits


def masked(phone):
    """A phone as the change log keeps it: enough to tell two apart, not to call."""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


def do_sign_up(activity, *, name, phone, now=None):
    """A resident signs up for a planned activity; return the signup.

    The activity is locked while its places are counted: the last place goes to one
    resident and the next is told the activity is full. One signup per phone.
    """
    name = " ".join(clean_text(name or "").split())[:50]
    errors = {}
    if not name:
        errors["name"] = _("Give your name.")
    elif "<" in name or ">" in name:
        errors["name"] = _("Write your name without “<” or “>”.")
    try:
        phone = clean_phone(phone)
    except ValidationError as error:
        errors.update(error.message_dict)
    field_errors(errors)
    now = now or timezone.now()
    with transaction.atomic():
        current = VolunteerActivity.objects.select_for_update().get(pk=activity.pk)
        if current.state != ActivityState.PLANNED or current.starts_at <= now:
            raise ValidationError(
                _("Signups for “{title}” are closed.").format(title=current.title), code=STALE
            )
        taken = VolunteerSignup.objects.filter(activity=current)
        if taken.filter(phone=phone).exists():
            raise ValidationError(
                {
                    "phone": _("This phone has signed up for “{title}” already.").format(
                        title=current.title
                    )
                }
            )
        if taken.count() >= current.capacity:
            raise ValidationError(
                _("“{title}” is full: all {capacity} places are taken.").format(
                    title=current.title, capacity=current.capacity
                ),
                code=STALE,
            )
        try:
            with transaction.atomic():
                signup = VolunteerSignup.objects.create(
                    activity=current, name=name, phone=phone, created_at=now
                )
        except IntegrityError:
            raise ValidationError(
                {
                    "phone": _("This phone has signed up for “{title}” already.").format(
                        title=current.title
                    )
                }
            ) from None
        after = {**snapshot(signup), "phone": masked(phone)}
        record_changes([Change(signup, ChangeAction.CREATE, after=after)], actor=None)
    return signup
