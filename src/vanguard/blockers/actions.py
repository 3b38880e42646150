"""Writes to blockers: raise, dispatch, follow up, resolve.

Every source raises its problems through ``do_raise_blockers`` (a dekad report about its
project, a visit about its key enterprise), from inside its own action.

Who may do what (the rules are ``org.access``'s ``may_*_blocker*``):
- raise problems about a thing: the headquarters office, the task force of the
  source's battle, and the reporters of the unit answerable for the thing;
- dispatch a problem to another unit: the headquarters office, or the task force of
  the battle the problem belongs to (a dekad report's to the projects task force, an
  enterprise visit's to the indicators task force);
- follow up with a note and resolve: those, and the reporters of the unit that owns
  the problem now.
A task force never handles another battle's problems.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.blockers.choices import BlockerState, StepKind
from vanguard.blockers.models import Blocker, BlockerStep
from vanguard.blockers.sources import source_for
from vanguard.core.actors import user_of
from vanguard.org import access
from vanguard.org.models import Unit

NOTE_MAX = 2000
TITLE_MAX = 200


@dataclass
class RaisedBlocker:
    """A problem to raise: its title, an optional description and owner unit (a Unit or id)."""

    title: str
    description: str = ""
    unit: object = None


def as_raised(item):
    """``item`` (a title, a tuple, a dict or a RaisedBlocker) as a RaisedBlocker."""
    if isinstance(item, str):
        return RaisedBlocker(item)
    if isinstance(item, dict):
        return RaisedBlocker(item.get("title", ""), item.get("description", ""), item.get("unit"))
    if isinstance(item, tuple | list):
        return RaisedBlocker(*item)
    return RaisedBlocker(item.title, item.description or "", item.unit)


def problem_key(title):
    """A problem's title as compared for repeats: spacing, case and closing marks ignored."""
    return " ".join((title or "").split()).casefold().rstrip("。.；;，,！!")


def do_raise_blockers(source, items, *, unit, actor, occasion=None, raised_on=None):
    """Raise problems about ``source`` (a thing of a registered source: a project, a key
    enterprise) and return every problem ``items`` name.

    ``items`` are titles, (title, description[, unit]) tuples, dicts or ``RaisedBlocker``;
    a problem naming no unit is owned by ``unit``. ``occasion`` is what raised them (a dekad
    report, a visit), ``raised_on`` their date (today). Blank titles are skipped; titles
    are cut at 200 characters. Where the source merges repeats (a project's reports), a
    title is kept on one line, a title the thing already has open is that problem,
    returned (first) but not raised again, and a title named twice is raised once. Runs in the caller's transaction
    when there is one; the new problems are in the change log.
    """
    kind = source_for(source)
    access.require_raise_blockers(actor, kind.battle, kind.unit_id_of(source))
    default_unit = getattr(unit, "pk", unit)
    named = []
    for item in map(as_raised, items):
        title = (item.title or "").strip()
        if kind.merges_repeats:  # compared on one line, so kept on one line
            title = " ".join(title.split())
        title = title[:TITLE_MAX]
        if title:
            owner = getattr(item.unit, "pk", item.unit)
            named.append((problem_key(title), title, (item.description or "").strip(), owner))
    if kind.merges_repeats:
        first = {}
        for entry in named:
            first.setdefault(entry[0], entry)
        named = list(first.values())
    owners = {owner for *_rest, owner in named if owner is not None}
    if owners and owners - set(Unit.objects.filter(pk__in=owners).values_list("pk", flat=True)):
        raise ValidationError({"blockers": _("A problem names an unknown owner unit.")})
    if not named:
        return []
    with transaction.atomic():
        open_ = {}
        if kind.merges_repeats:
            repeated = Blocker.objects.filter(
                source_kind=kind.key, source_id=source.pk, state=BlockerState.OPEN
            ).order_by("pk")
            for blocker in repeated:
                open_.setdefault(problem_key(blocker.title), blocker)
        created = Blocker.objects.bulk_create(
            [
                Blocker(
                    campaign_id=kind.campaign_id_of(source),
                    title=title,
                    description=description,
                    unit_id=owner or default_unit,
                    state=BlockerState.OPEN,
                    raised_on=raised_on or timezone.localdate(),
                    source_kind=kind.key,
                    source_id=source.pk,
                    occasion_id=occasion.pk if occasion is not None else None,
                    raised_by=user_of(actor),
                )
                for key, title, description, owner in named
                if key not in open_
            ]
        )
        record_changes(
            [Change(b, ChangeAction.CREATE, after=snapshot(b)) for b in created], actor=actor
        )
    return [open_[key] for key, *_rest in named if key in open_] + created


def _open_for_update(blocker):
    # NO KEY UPDATE: a report that names the problem (a row referring to it) is filed while
    # the problem is followed up, without a wait that could close a circle with the
    # change log's head, which the report's write holds by then.
    current = Blocker.objects.select_for_update(no_key=True).get(pk=blocker.pk)
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
