"""Writes to blockers: dispatch, follow up, resolve. Sources raise them through their actions.

Who may do what (the rules are ``org.access``'s ``may_*_blocker``):
- dispatch a problem to another unit: the headquarters office, or the task force of
  the battle the problem belongs to (a dekad report's to the projects task force, an
  enterprise visit's to the indicators task force);
- follow up with a note and resolve: those, and the reporters of the unit that owns
  the problem now.
A task force never handles another battle's problems.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.blockers.choices import BlockerState, StepKind
from vanguard.blockers.models import Blocker, BlockerStep
from vanguard.core.actors import user_of
from vanguard.org import access

NOTE_MAX = 2000


def _open_for_update(blocker):
    current = Blocker.objects.select_for_update().get(pk=blocker.pk)
    if current.state == BlockerState.RESOLVED:
        raise ValidationError(_("This problem is already resolved."))
    return current


def _note(note, *, required):
    text = (note or "").strip()
    if required and not text:
        raise ValidationError({"note": _("Write the note.")})
    if len(text) > NOTE_MAX:
        raise ValidationError(
            {"note": _("The note is too long (at most {n} characters).").format(n=NOTE_MAX)}
        )
    return text


def do_dispatch_blocker(blocker, *, unit, note="", actor, now=None):
    """Give an open blocker to another unit (the office or its battle's task force)."""
    access.require_dispatch_blocker(actor, blocker)
    text = _note(note, required=False)
    if unit is None:
        raise ValidationError({"unit": _("Choose the unit to dispatch the problem to.")})
    with transaction.atomic():
        current = _open_for_update(blocker)
        if current.unit_id == unit.pk:
            raise ValidationError(
                {"unit": _("The problem is already with {unit}.").format(unit=unit.name)}
            )
        before = snapshot(current)
        step = BlockerStep.objects.create(
            blocker=current,
            kind=StepKind.DISPATCHED,
            note=text,
            from_unit_id=current.unit_id,
            to_unit=unit,
            actor=user_of(actor),
            at=now or timezone.now(),
        )
        current.unit = unit
        current.owner = None
        current.save(update_fields=["unit", "owner"])
        record_changes(
            [
                Change(current, ChangeAction.UPDATE, before, snapshot(current), text),
                Change(step, ChangeAction.CREATE, after=snapshot(step)),
            ],
            actor=actor,
        )
    return current


def do_follow_up_blocker(blocker, *, note, actor, now=None):
    """Add a follow-up note to an open blocker (owner unit, its battle's task force, office)."""
    access.require_follow_up_blocker(actor, blocker)
    text = _note(note, required=True)
    with transaction.atomic():
        current = _open_for_update(blocker)
        step = BlockerStep.objects.create(
            blocker=current,
            kind=StepKind.FOLLOWED_UP,
            note=text,
            actor=user_of(actor),
            at=now or timezone.now(),
        )
        record_changes([Change(step, ChangeAction.CREATE, after=snapshot(step))], actor=actor)
    return step


def do_resolve_blocker(blocker, *, resolution, actor, today=None):
    """Close a blocker with its resolution (owner unit, its battle's task force, the office)."""
    access.require_resolve_blocker(actor, blocker)
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("Say how the problem was solved.")})
    with transaction.atomic():
        current = _open_for_update(blocker)
        before = snapshot(current)
        current.state = BlockerState.RESOLVED
        current.resolution = resolution.strip()
        current.resolved_on = today or timezone.localdate()
        current.save(update_fields=["state", "resolution", "resolved_on"])
        record_changes(
            [Change(current, ChangeAction.UPDATE, before, snapshot(current))], actor=actor
        )
    return current
