"""Writes of city cases: report, register, dispatch, return, handle, check, postpone, merge.

Every step locks the case inside its transaction, checks the state it changes and the
version the actor read (two dispatchers never overwrite each other unknowingly), writes
the step to the case's flow record and the change log, and asks for the lights'
recompute when the clock changed. ``models.cases`` describes the workflow.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes
from vanguard.calendar.services import load_calendar
from vanguard.calendar.worktime import TimeUnit, WorkTime
from vanguard.citywork import routing
from vanguard.citywork.actions.case_notices import tell_dispatched
from vanguard.citywork.actions.common import plain_snapshot, recompute
from vanguard.citywork.locations import point
from vanguard.citywork.models import Case, CaseCategory, CaseEvent
from vanguard.citywork.models.cases import CaseAction, CaseSource, CaseState
from vanguard.core.actors import user_of
from vanguard.core.preconditions import STALE
from vanguard.maps import district
from vanguard.org import access

MAX_DESCRIPTION = 4000
# Share of the time limit after which the light turns yellow.
WARNING_SHARE = Decimal("0.75")
# Sources whose reports were seen by staff and are registered as they come in.
SEEN_BY_STAFF = {CaseSource.PATROL, CaseSource.INSPECTION}


# --- the clock --------------------------------------------------------------------------------


def work_time():
    return WorkTime.of(load_calendar())


def set_clock(case, start, work=None):
    """Start the case's time limit at ``start``: its due and warning times."""
    work = work or work_time()
    limit, unit = case.category.time_limit, TimeUnit(case.category.time_unit)
    case.dispatched_at = start
    case.due_at = work.add(start, float(limit), unit)
    case.warn_at = work.add(start, float(limit * WARNING_SHARE), unit)


# --- reporting ---------------------------------------------------------------------------------


def clean_description(text):
    """Plain text only: tags are refused rather than stored (nothing is ever rendered raw)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"description": _("Describe the problem.")})
    if len(text) > MAX_DESCRIPTION:
        raise ValidationError(
            {
                "description": _("Keep the description within {n} characters.").format(
                    n=MAX_DESCRIPTION
                )
            }
        )
    if "<" in text and ">" in text:
        raise ValidationError(
            {"description": _("Write the description as plain text, without HTML.")}
        )
    return text


def check_category(category, *, public=False):
    if not isinstance(category, CaseCategory):
        raise ValidationError({"category": _("Choose a category.")})
    if category.parent_id is None or not category.active or (public and not category.public):
        raise ValidationError(
            {"category": _("Choose a subcategory in use, not “{name}”.").format(name=category.name)}
        )
    return category


def do_report_case(
    *,
    campaign,
    source,
    category,
    lon,
    lat,
    description,
    actor,
    coordinate_system="wgs84",
    address="",
    reporter_name="",
    reporter_phone="",
    hotline_ticket="",
    reported_at=None,
):
    """Take a report into the pool; return the case.

    The location is checked and converted at this door (GCJ-02, BD-09 → WGS84) and must
    lie in the district. A report seen by staff (patrol, inspection) is registered at
    once; others wait for registration. The caller checks who may report this way.
    """
    if source not in CaseSource.values:
        raise ValidationError({"source": _("Unknown source of a case.")})
    category = check_category(category, public=source in (CaseSource.CITIZEN, CaseSource.OPEN311))
    description = clean_description(description)
    placement = district.locate(lon, lat, coordinate_system, field="location")
    hotline_ticket = (hotline_ticket or "").strip()
    now = timezone.now()
    with transaction.atomic():
        if (
            hotline_ticket
            and Case.objects.filter(campaign=campaign, hotline_ticket=hotline_ticket).exists()
        ):
            raise ValidationError(
                {
                    "hotline_ticket": _("12345 ticket {ticket} is already a case.").format(
                        ticket=hotline_ticket
                    )
                }
            )
        found = routing.route(category, placement.lon, placement.lat)
        case = Case(
            campaign=campaign,
            source=source,
            category=category,
            description=description,
            address=(address or placement.street or "")[:300],
            coordinate_system=placement.system,
            grid=found.grid,
            hotline_ticket=hotline_ticket,
            reported_by=user_of(actor) if getattr(actor, "is_authenticated", False) else None,
            reporter_name=(reporter_name or "").strip()[:100],
            reporter_phone=(reporter_phone or "").strip()[:32],
            reported_at=reported_at or now,
        )
        case.place_at(point(placement.lon, placement.lat))
        if source in SEEN_BY_STAFF:
            case.state = CaseState.REGISTERED
            case.registered_at = now
            if case.reported_by is not None:
                # The patrol that found it goes back to check it (核查).
                case.checker = case.reported_by
        case.save()
        events = [_event(case, CaseAction.REPORT, actor, at=case.reported_at)]
        if case.state == CaseState.REGISTERED:
            events.append(_event(case, CaseAction.REGISTER, actor, at=now))
        CaseEvent.objects.bulk_create(events)
        record_changes(
            [Change(case, ChangeAction.CREATE, after=plain_snapshot(case))],
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
    return case


def _event(case, action, actor, *, note="", unit=None, public=True, at=None):
    return CaseEvent(
        case=case,
        action=action,
        at=at or timezone.now(),
        by=user_of(actor) if getattr(actor, "is_authenticated", False) else None,
        unit=unit,
        note=note,
        public=public,
    )


# --- one step at a time -----------------------------------------------------------------------


def _locked(case, version, states, check=None):
    """The case, locked, passing ``check`` (who may), in one of ``states`` and on the
    version read."""
    current = (
        Case.objects.select_for_update(of=("self",))
        .select_related("category", "unit")
        .get(pk=case.pk)
    )
    if check is not None:
        check(current)
    if current.state not in states:
        raise ValidationError(
            _("Case {number} is {state} now; reload it.").format(
                number=current.number, state=current.get_state_display()
            ),
            code=STALE,
        )
    if version is not None and int(version) != current.version:
        raise ValidationError(
            _(
                "Case {number} was changed by someone else meanwhile; reload it and try again."
            ).format(number=current.number),
            code=STALE,
        )
    return current


def _step(
    case,
    version,
    states,
    *,
    actor,
    check,
    change,
    action,
    note="",
    public=True,
    unit=None,
    clock=False,
):
    """Lock, check access, change, save, record: the frame of every step."""
    with transaction.atomic():
        current = _locked(case, version, states, check)
        before = plain_snapshot(current)
        change(current)
        current.version += 1
        current.save()
        CaseEvent.objects.create(
            case=current,
            action=action,
            at=timezone.now(),
            by=user_of(actor),
            unit=unit if unit is not None else current.unit,
            note=note,
            public=public,
        )
        record_changes(
            [Change(current, ChangeAction.UPDATE, before, plain_snapshot(current), note)],
            actor=actor,
        )
        if clock:
            recompute([current.campaign_id])
    return current


def _reason(text, field="reason", message=None):
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({field: message or _("Give the reason.")})
    return text[:500]


def do_register(case, *, actor, version=None):
    """立案: a report from the public is confirmed as a case."""

    def change(c):
        c.state = CaseState.REGISTERED
        c.registered_at = timezone.now()

    return _step(
        case,
        version,
        {CaseState.REPORTED},
        actor=actor,
        check=lambda c: access.require_keep_cases(actor),
        change=change,
        action=CaseAction.REGISTER,
    )


def do_discard(case, *, actor, reason, version=None):
    """不予立案: not a case (not in the district's remit, not a problem); the reporter sees why."""
    reason = _reason(reason)

    def change(c):
        c.state = CaseState.DISCARDED
        c.closed_at = timezone.now()

    return _step(
        case,
        version,
        {CaseState.REPORTED},
        actor=actor,
        check=lambda c: access.require_keep_cases(actor),
        change=change,
        action=CaseAction.DISCARD,
        note=reason,
    )


def do_dispatch(case, *, actor, unit=None, version=None, checker=None):
    """派遣: send the case to ``unit`` (by default the route's suggestion); the clock starts."""

    def check(c):
        access.require_keep_cases(actor)
        nonlocal unit
        if unit is None:
            unit = routing.route(c.category, c.lon, c.lat, grid=c.grid).unit
        if unit is None:
            raise ValidationError(
                {"unit": _("No unit is routed for this place and category: choose one.")}
            )

    def change(c):
        c.state = CaseState.DISPATCHED
        c.unit = unit
        c.registered_at = c.registered_at or timezone.now()
        c.return_reason = ""
        if checker is not None:
            c.checker = checker
        set_clock(c, timezone.now())

    with transaction.atomic():
        dispatched = _step(
            case,
            version,
            {CaseState.REGISTERED},
            actor=actor,
            check=check,
            change=change,
            action=CaseAction.DISPATCH,
            clock=True,
        )
        tell_dispatched(dispatched)
    return dispatched


def do_sign(case, *, actor, version=None):
    """签收: the unit acknowledges the case (the clock already runs from dispatch)."""

    def change(c):
        c.signed_at = c.signed_at or timezone.now()

    return _step(
        case,
        version,
        {CaseState.DISPATCHED},
        actor=actor,
        check=lambda c: access.require_handle_case(actor, c),
        change=change,
        action=CaseAction.SIGN,
    )


def do_return(case, *, actor, reason, version=None):
    """退单: the unit sends the dispatch back with a reason; the dispatcher decides."""
    reason = _reason(reason, message=_("Say why the case is not your unit's."))

    def change(c):
        c.state = CaseState.RETURNED
        c.return_reason = reason
        c.bounce_count += 1

    return _step(
        case,
        version,
        {CaseState.DISPATCHED},
        actor=actor,
        check=lambda c: access.require_handle_case(actor, c),
        change=change,
        action=CaseAction.RETURN,
        note=reason,
        public=False,
        clock=True,
    )


def do_decide_return(case, *, actor, uphold, unit=None, note="", version=None):
    """The dispatcher's decision on a return.

    Upheld: the case goes to ``unit`` (another unit), whose clock starts now. Refused (the
    grid and the routes say it is the unit's): back to the unit, the clock running on from
    the first dispatch.
    """
    note = " ".join((note or "").split())

    def check(c):
        access.require_keep_cases(actor)
        if uphold and (unit is None or unit.pk == c.unit_id):
            raise ValidationError({"unit": _("Choose the unit the case goes to instead.")})
        if not uphold and not note:
            raise ValidationError(
                {"note": _("Say why the case stays with {unit}.").format(unit=c.unit.name)}
            )

    def change(c):
        c.state = CaseState.DISPATCHED
        if uphold:
            c.unit = unit
            c.signed_at = None
            set_clock(c, timezone.now())

    with transaction.atomic():
        decided = _step(
            case,
            version,
            {CaseState.RETURNED},
            actor=actor,
            check=check,
            change=change,
            action=CaseAction.RETURN_UPHELD if uphold else CaseAction.RETURN_REFUSED,
            note=note,
            public=False,
            clock=True,
            unit=unit if uphold else None,
        )
        tell_dispatched(decided, refused=not uphold)
    return decided


def do_handle(case, *, actor, reply, version=None):
    """处置反馈: the unit says what it did (after photos attached by the caller); the clock stops."""
    reply = _reason(reply, "reply", _("Say what was done."))

    def change(c):
        c.state = CaseState.HANDLED
        c.handled_at = timezone.now()
        c.handled_by = user_of(actor)
        c.reply = reply
        c.signed_at = c.signed_at or c.handled_at
        if c.postpone_until:
            c.postpone_until, c.postpone_reason = None, ""

    return _step(
        case,
        version,
        {CaseState.DISPATCHED},
        actor=actor,
        check=lambda c: access.require_handle_case(actor, c),
        change=change,
        action=CaseAction.HANDLE,
        note=reply,
        clock=True,
    )


def do_check(case, *, actor, passed, note="", version=None):
    """核查: someone other than the handler checks on site; passed closes, failed is rework."""
    note = " ".join((note or "").split())

    def check(c):
        access.require_check_case(actor, c)
        if not passed and not note:
            raise ValidationError({"note": _("Say what is still wrong.")})

    def change(c):
        now = timezone.now()
        c.checked_at = now
        c.checker = user_of(actor) or c.checker
        if passed:
            c.state = CaseState.CLOSED
            c.closed_at = now
            c.closed_on_time = c.handled_at <= c.due_at
        else:
            c.state = CaseState.DISPATCHED
            c.rework_count += 1
            c.handled_at = None

    return _step(
        case,
        version,
        {CaseState.HANDLED},
        actor=actor,
        check=check,
        change=change,
        action=CaseAction.CHECK_PASSED if passed else CaseAction.CHECK_FAILED,
        note=note,
        clock=True,
    )


def do_ask_postponement(case, *, actor, until, reason, version=None):
    """缓办: the unit asks for more time, to ``until``, with a reason."""
    reason = _reason(reason)

    def check(c):
        access.require_handle_case(actor, c)
        if c.state != CaseState.DISPATCHED:
            raise ValidationError(_("Only a case being handled may be postponed."))
        if until is None or until <= max(c.due_at, timezone.now()):
            raise ValidationError({"until": _("Ask for a time after the present time limit.")})
        if c.postpone_until is not None:
            raise ValidationError(_("A postponement is already asked for; wait for the decision."))

    def change(c):
        c.postpone_until = until
        c.postpone_reason = reason

    return _step(
        case,
        version,
        {CaseState.DISPATCHED},
        actor=actor,
        check=check,
        change=change,
        action=CaseAction.POSTPONE_ASKED,
        note=reason,
        public=False,
    )


def do_decide_postponement(case, *, actor, approve, note="", version=None):
    """The task force approves (the time limit moves) or refuses a postponement."""
    note = " ".join((note or "").split())

    def check(c):
        access.require_keep_cases(actor)
        if c.postpone_until is None:
            raise ValidationError(_("No postponement is asked for."))

    def change(c):
        if approve:
            c.due_at = c.postpone_until
            c.warn_at = max(c.warn_at, c.due_at - (c.due_at - c.dispatched_at) / 4)
            c.postponed = True
        c.postpone_until, c.postpone_reason = None, ""

    return _step(
        case,
        version,
        {CaseState.DISPATCHED},
        actor=actor,
        check=check,
        change=change,
        action=CaseAction.POSTPONE_APPROVED if approve else CaseAction.POSTPONE_REFUSED,
        note=note,
        public=False,
        clock=True,
    )
