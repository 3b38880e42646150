"""Generic writes used where a screen edits any model (the admin): saved and logged together."""

from django.db import transaction

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import record_change, snapshot


def do_save_object(obj, *, actor, reason=""):
    """Create or update ``obj`` and log its before/after values in one transaction."""
    with transaction.atomic():
        before = None
        if obj.pk is not None:
            old = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(old) if old is not None else None
        obj.save()
        after = snapshot(obj)
        if before != after:
            action = ChangeAction.CREATE if before is None else ChangeAction.UPDATE
            record_change(obj, action, actor=actor, before=before, after=after, reason=reason)
    return obj


def do_delete_object(obj, *, actor, reason=""):
    """Delete ``obj`` and log its last values in one transaction."""
    with transaction.atomic():
        before = snapshot(obj)
        record_change(obj, ChangeAction.DELETE, actor=actor, before=before, reason=reason)
        obj.delete()
