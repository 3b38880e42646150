"""Every write of the notices app: robots kept by the office, retries, marking read."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.notices.addresses import check_webhook_url
from vanguard.notices.choices import ROBOT_KINDS, Channel, DeliveryState
from vanguard.notices.models import Delivery, Notice, Webhook
from vanguard.org import access


def do_create_webhook(*, name, kind, url, actor, unit=None, task_force=None, secret=""):
    """Add a group robot to a unit or a task force (the office); the address is checked."""
    access.require_keep_notices(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the robot a name.")})
    if kind not in dict(ROBOT_KINDS):
        raise ValidationError({"kind": _("Choose the kind of robot.")})
    if (unit is None) == (task_force is None):
        raise ValidationError({"unit": _("Choose either a unit or a task force, not both.")})
    url = check_webhook_url(url, resolve=False)
    secret = (secret or "").strip() if kind == Channel.DINGTALK else ""
    with transaction.atomic():
        hook = Webhook.objects.create(
            name=name[:100], kind=kind, url=url, secret=secret, unit=unit, task_force=task_force
        )
        record_changes([Change(hook, ChangeAction.CREATE, after=snapshot(hook))], actor=actor)
    return hook


def do_delete_webhook(hook, *, actor):
    """Remove a group robot (the office); its past deliveries go with it."""
    access.require_keep_notices(actor)
    with transaction.atomic():
        before = snapshot(hook)
        Webhook.objects.filter(pk=hook.pk).delete()
        record_changes([Change(hook, ChangeAction.DELETE, before=before)], actor=actor)


def do_retry_delivery(delivery, *, actor, now=None):
    """Send a failed or waiting delivery again at once (the office)."""
    access.require_keep_notices(actor)
    now = now or timezone.now()
    with transaction.atomic():
        current = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if current.state == DeliveryState.SENT:
            raise ValidationError(_("This message was already sent."))
        before = snapshot(current)
        current.state = DeliveryState.PENDING
        current.next_attempt_at = now
        current.save(update_fields=["state", "next_attempt_at"])
        record_changes(
            [Change(current, ChangeAction.UPDATE, before, snapshot(current), "retry")],
            actor=actor,
        )
    return current


def do_mark_read(notice_ids, *, actor, now=None):
    """Mark the actor's own notices read; return how many changed.

    Reading one's inbox changes nothing anyone else sees, so no change-log row is
    written (docs/decisions/0030-notices.md).
    """
    if not access.may_read_notices(actor) or getattr(actor, "pk", None) is None:
        raise PermissionDenied
    mine = Notice.objects.filter(recipient=actor, read_at__isnull=True)
    if notice_ids is not None:
        mine = mine.filter(pk__in=list(notice_ids))
    return mine.update(read_at=now or timezone.now())
