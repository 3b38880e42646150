"""The change log: append-only, each entry chained to the previous one by a hash."""

import datetime
import json

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from vanguard.audit.choices import ChangeAction


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a change-log entry."""


class ChainHead(models.Model):
    """The single row that holds the last sequence number and hash of the chain.

    Locking this row serialises writers on PostgreSQL; on SQLite, IMMEDIATE
    transactions already do.
    """

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

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
        indexes = [models.Index(fields=["content_type", "object_id", "seq"])]

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
        """``changed_fields`` as a reader wants them: field names and choices in words."""
        model = None
        if self.content_type_id:
            model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        rows = []
        for name, old, new in self.changed_fields():
            field = _model_field(model, name)
            label = str(field.verbose_name) if field is not None else name
            rows.append((label, readable_value(field, old), readable_value(field, new)))
        return rows


def _model_field(model, name):
    """The model field a snapshot key stands for (``lead_unit_id`` is ``lead_unit``)."""
    if model is None:
        return None
    for candidate in (name, name[:-3] if name.endswith("_id") else None):
        if not candidate:
            continue
        try:
            field = model._meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
        # A reverse relation (a report's ``nodes``) is no field of the row; name it as stored.
        return field if hasattr(field, "verbose_name") else None
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
