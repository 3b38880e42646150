"""Writes to the organisation: units, people and roles. Each is one transaction, logged."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import record_change, snapshot
from vanguard.org import access
from vanguard.org.models import Person, RoleAssignment, Unit


def do_create_unit(*, code, name, kind, parent=None, actor):
    """Create a unit."""
    access.require_change_organisation(actor)
    with transaction.atomic():
        if Unit.objects.filter(name=name).exists():
            raise ValidationError(_("A unit named “{name}” already exists.").format(name=name))
        unit = Unit(code=code, name=name, kind=kind, parent=parent)
        unit.full_clean()
        unit.save()
        record_change(unit, ChangeAction.CREATE, actor=actor, after=snapshot(unit))
    return unit


def do_update_unit(unit, *, actor, expected=None, reason="", **changes):
    """Change fields of a unit; ``expected`` (the values the editor saw) guards lost updates."""
    access.require_change_organisation(actor)
    with transaction.atomic():
        current = Unit.objects.select_for_update().get(pk=unit.pk)
        before = snapshot(current)
        if expected is not None:
            stale = [k for k, v in expected.items() if before.get(k) != v]
            if stale:
                raise ValidationError(
                    _(
                        "Someone else changed this unit meanwhile ({fields}); reload and retry."
                    ).format(fields=", ".join(stale))
                )
        for name, value in changes.items():
            setattr(current, name, value)
        current.full_clean()
        current.save(update_fields=list(changes))
        after = snapshot(current)
        if after != before:
            record_change(
                current, ChangeAction.UPDATE, actor=actor, before=before, after=after, reason=reason
            )
    return current


def do_create_person(*, username, name, unit=None, post="", phone="", password=None, actor):
    """Create an account and its person."""
    access.require_change_organisation(actor)
    with transaction.atomic():
        user = get_user_model().objects.create_user(username=username, password=password)
        user.first_name = name[:150]
        user.save(update_fields=["first_name"])
        person = Person.objects.create(user=user, name=name, unit=unit, post=post, phone=phone)
        record_change(person, ChangeAction.CREATE, actor=actor, after=snapshot(person))
    return person


def do_assign_role(person, role, *, task_force=None, unit=None, actor):
    """Give ``person`` a role; only the security administrator (or the system) may."""
    access.require_assign_roles(actor)
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(
            person=person, role=role, task_force=task_force, unit=unit
        )
        if created:
            record_change(assignment, ChangeAction.CREATE, actor=actor, after=snapshot(assignment))
    access.forget(person.user)
    return assignment
