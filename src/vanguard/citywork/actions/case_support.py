"""What others add to a city case: a merged report, a "me too", the reporter's verdict,
the photos taken with a step.

A report that repeats an open case joins it and counts as its support; a citizen who
reports the same open problem adds one; the reporter of a closed case confirms the fix
or says it is not fixed, which sends the case back as rework. The steps' frame (lock,
access, state, version, flow record, change log) is ``actions.cases``'.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes
from vanguard.citywork.actions.cases import _locked, _step, set_clock
from vanguard.citywork.actions.common import plain_snapshot, recompute
from vanguard.citywork.choices import PhotoRole
from vanguard.citywork.models import Case, CaseEvent
from vanguard.citywork.models.cases import OPEN_STATES, CaseAction, CaseState
from vanguard.citywork.photos import check_photos, store_photo
from vanguard.core.actors import user_of
from vanguard.org import access


def do_merge(case, *, into, actor, version=None):
    """A report that repeats an open case joins it: it counts as that case's support."""
    if into.pk == case.pk:
        raise ValidationError({"into": _("A case cannot be merged into itself.")})
    with transaction.atomic():
        # Lock both in id order so two merges never wait on each other in a circle.
        first, second = sorted([case.pk, into.pk])
        list(Case.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk"))
        target = Case.objects.get(pk=into.pk)
        if target.state not in OPEN_STATES or target.state == CaseState.MERGED:
            raise ValidationError(
                {"into": _("Case {number} is not open.").format(number=target.number)}
            )

        def check(c):
            access.require_keep_cases(actor)
            if c.category_id != target.category_id:
                raise ValidationError(
                    {"into": _("Only a case of the same category can be merged.")}
                )

        def change(c):
            c.state = CaseState.MERGED
            c.merged_into = target
            c.closed_at = timezone.now()

        merged = _step(
            case,
            version,
            {CaseState.REPORTED, CaseState.REGISTERED},
            actor=actor,
            check=check,
            change=change,
            action=CaseAction.MERGE,
            note=_("Merged into {number}.").format(number=target.number),
        )
        _support(
            target,
            actor,
            1 + merged.supporters,
            _("{number} merged in.").format(number=merged.number),
        )
    return merged


def _support(case, actor, count, note):
    Case.objects.filter(pk=case.pk).update(supporters=case.supporters + count)
    CaseEvent.objects.create(
        case=case,
        action=CaseAction.SUPPORT,
        at=timezone.now(),
        by=user_of(actor) if getattr(actor, "is_authenticated", False) else None,
        note=note,
    )


def do_support(case, *, actor=None):
    """ "Me too": someone else reports the same open problem."""
    with transaction.atomic():
        current = _locked(case, None, set(OPEN_STATES) - {CaseState.MERGED})
        _support(current, actor, 1, "")
    return current


def do_citizen_feedback(case, *, fixed, note=""):
    """The reporter confirms the fix, or says it is not fixed: the case goes back as rework."""
    note = " ".join((note or "").split())[:500]
    with transaction.atomic():
        current = _locked(case, None, {CaseState.CLOSED})
        if current.citizen_confirmed is True and fixed:
            return current
        before = plain_snapshot(current)
        if fixed:
            current.citizen_confirmed = True
            action = CaseAction.CONFIRM
        else:
            if not note:
                raise ValidationError({"note": _("Say what is still not fixed.")})
            current.citizen_confirmed = False
            current.state = CaseState.DISPATCHED
            current.rework_count += 1
            current.closed_at = current.closed_on_time = current.handled_at = None
            set_clock(current, timezone.now())
            action = CaseAction.REOPEN
        current.version += 1
        current.save()
        CaseEvent.objects.create(
            case=current, action=action, at=timezone.now(), unit=current.unit, note=note
        )
        record_changes(
            [Change(current, ChangeAction.UPDATE, before, plain_snapshot(current), note)],
            actor=None,
        )
        if not fixed:
            recompute([current.campaign_id])
    return current


def with_photos(take_step, photos, *, actor, source, role=PhotoRole.AFTER):
    """Take a step with the photos that show it ("after" photos of a handling or a check).

    Every photo is checked before the step (all its errors at once, under ``photos``); the
    step and the photos are then kept together or not at all. ``take_step()`` returns the
    case; the caller has asked who may take the step before.
    """
    try:
        checked = check_photos(photos or ())
    except ValidationError as error:
        raise ValidationError({"photos": error.messages}) from None
    with transaction.atomic():
        current = take_step()
        for item in checked:
            store_photo(item, source=source, by=actor, subject=current, role=role)
    return current


def do_add_photos(case, photos, *, role, actor, source):
    """Add photos to a case in ``role`` (report, before or after) without taking a step.

    Who may is asked first; every photo is checked before any is kept.
    """
    access.require_add_case_photos(actor, case, role)
    try:
        checked = check_photos(photos or ())
    except ValidationError as error:
        raise ValidationError({"photos": error.messages}) from None
    if not checked:
        raise ValidationError({"photos": _("Send at least one photo.")})
    with transaction.atomic():
        return [
            store_photo(item, source=source, by=actor, subject=case, role=role) for item in checked
        ]
