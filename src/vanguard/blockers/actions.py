"""Writes to blockers: raise, resolve. Reports raise blockers through projects.actions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import record_change, snapshot
from vanguard.blockers.choices import BlockerState
from vanguard.blockers.models import Blocker
from vanguard.org import access
from vanguard.org.choices import Role


def _may_handle(actor, blocker):
    held = access.access_for(actor)
    return held.has(Role.OFFICE) or bool(held.battles) or blocker.unit_id in held.unit_ids


def may_resolve(user, blocker):
    """True when ``user`` may close ``blocker``: its owner unit, a task force or the office."""
    return _may_handle(user, blocker)


def do_resolve_blocker(blocker, *, resolution, actor, today=None):
    """Close a blocker with its resolution (the owner unit, a task force or the office)."""
    if not _may_handle(actor, blocker):
        raise PermissionDenied(_("You may not close this problem."))
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("Say how the problem was solved.")})
    with transaction.atomic():
        current = Blocker.objects.select_for_update().get(pk=blocker.pk)
        if current.state == BlockerState.RESOLVED:
            raise ValidationError(_("This problem is already resolved."))
        before = snapshot(current)
        current.state = BlockerState.RESOLVED
        current.resolution = resolution.strip()
        current.resolved_on = today or timezone.localdate()
        current.save(update_fields=["state", "resolution", "resolved_on"])
        record_change(
            current, ChangeAction.UPDATE, actor=actor, before=before, after=snapshot(current)
        )
    return current
