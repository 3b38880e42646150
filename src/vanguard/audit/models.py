"""The change log: append-only, each entry chained to the previous one by a hash."""

import datetime
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from vanguard.audit.choices import ChangeAction
from vanguard.core.money import format_yuan


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a change-log entry."""


class ChainHead(models.Model):
    """The single row that holds the last sequence number and hash of the chain.

    Locking this row serialises writers on PostgreSQL; on SQLite, IMMEDIATE
    transactions already do.
    """

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")
    # Signed with the change-log key, so a head moved back over deleted entries shows.
    signature = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("change log head")

    def __str__(self):
        return "#{} {}".format(self.last_seq, self.last_hash[:12])


class ChangeEntry(models.Model):
    """One recorded change to domain data: who, when, what, before and after, why."""

    seq = models.BigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=ChangeAction)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("object type")
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    entry_hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "seq"]),
            # The newest change to a kind of object (``log.newest_changes``).
            models.Index(fields=["content_type", "seq"], name="changeentry_type_seq_idx"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Change-log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Change-log entries cannot be deleted.")

    def changed_fields(self):
        """Return (field, before, after) for each field whose value differs."""
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]

    def readable_changes(self):
        """``changed_fields`` as a reader wants them: names, choices and people in words."""
        if not hasattr(self, "_readable"):
            describe_changes([self])
        return self._readable


# Snapshot keys a reader has no use for: the row's number and its edit counter.
HIDDEN_KEYS = frozenset({"id", "version"})


def describe_changes(entries):
    """Give each entry its ``readable_changes`` with one query per kind of object named.

    A foreign key reads as the name of what it points to (a person's name for an
    account), a choice as its label, a time in local time. A model adds words for keys
    of its own (a report's key nodes) with a ``describe_history_value(key, value)``
    class method that returns ``(label, text)``, and hides keys with
    ``history_hidden_keys``.
    """
    rows = []
    wanted = {}
    for entry in entries:
        model = None
        if entry.content_type_id:
            model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
        hidden = HIDDEN_KEYS | set(getattr(model, "history_hidden_keys", ()))
        changes = []
        for name, old, new in entry.changed_fields():
            if name in hidden:
                continue
            field = _model_field(model, name)
            changes.append((model, name, field, old, new))
            if field is not None and field.is_relation:
                for value in (old, new):
                    for pk in _keys(value):
                        wanted.setdefault(field.related_model, set()).add(pk)
        rows.append((entry, changes))
    names = {related: _names_of(related, ids) for related, ids in wanted.items()}
    for entry, changes in rows:
        entry._readable = [_describe(names, *change) for change in changes]
    return entries


def _describe(names, model, name, field, old, new):
    describe = getattr(model, "describe_history_value", None)
    if describe is not None:
        described = describe(name, old), describe(name, new)
        if described[0] is not None or described[1] is not None:
            label = (described[0] or described[1])[0]
            return (label, *(d[1] if d else None for d in described))
    if field is None:
        return (name, readable_value(None, old), readable_value(None, new))
    label = str(field.verbose_name)
    if name.endswith("_yuan"):
        # Money is stored in yuan and read in 万元/亿元.
        return (label, *(None if v is None else format_yuan(int(v)) for v in (old, new)))
    if field.is_relation:
        known = names.get(field.related_model, {})
        return (label, *(_named(known, value) for value in (old, new)))
    return (label, readable_value(field, old), readable_value(field, new))


def _keys(value):
    """The primary keys a snapshot value holds: one for a foreign key, a list for many."""
    if value in (None, ""):
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _named(known, value):
    keys = _keys(value)
    if not keys:
        return None
    return "、".join(known.get(key, key) for key in keys)


def _names_of(model, ids):
    """``{str(pk): name}`` of the rows named, a person's name for an account."""
    rows = model._default_manager.filter(pk__in=ids)
    if model is get_user_model():
        rows = rows.select_related("person") if _has_field(model, "person") else rows
        return {str(u.pk): _person_name(u) for u in rows}
    return {str(row.pk): str(row) for row in rows}


def _person_name(user):
    person = getattr(user, "person", None) if _has_field(type(user), "person") else None
    return getattr(person, "name", None) or user.get_username()


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _model_field(model, name):
    """The concrete model field a snapshot key stands for (``lead_unit_id`` is ``lead_unit``).

    Reverse relations (a report's nodes) are not fields of the row and have no name of
    their own here: the model describes such keys itself.
    """
    if model is None:
        return None
    for candidate in (name, name[:-3] if name.endswith("_id") else None):
        if not candidate:
            continue
        try:
            field = model._meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
        if field.concrete or field.many_to_many and not field.auto_created:
            return field
    return None


def readable_value(field, value):
    """A snapshot value as text: a choice's label, yes or no, local time, compact JSON."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, datetime.UTC)
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False) if value else None
    return str(value)
