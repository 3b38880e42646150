"""Writing and verifying the change log.

Every action records its change through ``record_change`` (or ``record_changes`` for
bulk work) inside its own transaction, so the change and its log entry land together
or not at all. Each entry's hash covers its content and the previous entry's hash;
``verify_chain`` finds the first entry whose stored hash does not match.
"""

import datetime
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from vanguard.audit.models import ChainHead, ChangeEntry
from vanguard.core.bulk import insert_objects


def _json_default(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or ""
    raise TypeError(f"Cannot record {type(value)!r} in the change log")


_PLAIN = frozenset((str, int, float, bool, type(None)))
_SLOW = object()


def _plain(value):
    """One field value as JSON gives it back, without the round trip; _SLOW if unsure."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind in (datetime.datetime, datetime.date, datetime.time):
        return value.isoformat()
    if kind is decimal.Decimal or kind is uuid.UUID:
        return str(value)
    return _SLOW


def to_jsonable(data):
    """Return ``data`` with dates, decimals and models turned into JSON values."""
    if data is None:
        return None
    # A snapshot (a flat dict of field values) is converted value by value: a bulk
    # import logs tens of thousands of them. Anything else takes the JSON round trip.
    if type(data) is dict:
        plain = {}
        for key, value in data.items():
            value = _plain(value)
            if type(key) is not str or value is _SLOW:
                break
            plain[key] = value
        else:
            return plain
    return json.loads(json.dumps(data, default=_json_default, ensure_ascii=False))


def snapshot(obj, fields=None):
    """Return the concrete field values of ``obj`` as a JSON-safe dict (foreign keys by id)."""
    data = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        data[field.name] = getattr(obj, field.attname)
    return to_jsonable(data)


def entry_digest(
    *, seq, created_at, actor_id, action, content_type_id, object_id, before, after, reason, prev
):
    """Hash an entry's content together with the previous entry's hash."""
    payload = json.dumps(
        [
            seq,
            created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            actor_id,
            action,
            content_type_id,
            str(object_id),
            before,
            after,
            reason,
            prev,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=_json_default,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class Change:
    """A change about to be recorded."""

    obj: models.Model
    action: str
    before: dict | None = None
    after: dict | None = None
    reason: str = ""


def _lock_head():
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        ChainHead.objects.get_or_create(pk=1)
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def record_changes(changes, *, actor):
    """Append entries for ``changes`` to the chain; call inside the action's transaction."""
    if not changes:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_changes must run inside the action's transaction")
    head = _lock_head()
    now = timezone.now()
    actor_id = actor.pk if actor is not None else None
    actor_name = actor.get_username() if actor is not None else "system"
    content_types = {}
    entries = []
    seq, prev = head.last_seq, head.last_hash
    for change in changes:
        model = type(change.obj)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(model)
        content_type = content_types[model]
        before = to_jsonable(change.before)
        after = to_jsonable(change.after)
        seq += 1
        digest = entry_digest(
            seq=seq,
            created_at=now,
            actor_id=actor_id,
            action=str(change.action),
            content_type_id=content_type.pk,
            object_id=change.obj.pk,
            before=before,
            after=after,
            reason=change.reason,
            prev=prev,
        )
        entries.append(
            ChangeEntry(
                seq=seq,
                created_at=now,
                actor_id=actor_id,
                actor_name=actor_name,
                action=str(change.action),
                content_type=content_type,
                object_id=str(change.obj.pk),
                object_repr=str(change.obj)[:200],
                before=before,
                after=after,
                reason=change.reason,
                prev_hash=prev,
                entry_hash=digest,
            )
        )
        prev = digest
    # One prepared INSERT for all entries: a bulk import logs tens of thousands.
    insert_objects(entries)
    head.last_seq, head.last_hash = seq, prev
    head.save(update_fields=["last_seq", "last_hash"])
    return entries


def record_change(obj, action, *, actor, before=None, after=None, reason=""):
    """Append one entry for a change of ``obj``; call inside the action's transaction."""
    return record_changes([Change(obj, action, before, after, reason)], actor=actor)[0]


@dataclass
class VerifyResult:
    """The outcome of checking the chain."""

    checked: int
    broken_seq: int | None = None
    problem: str = ""

    @property
    def ok(self):
        return self.broken_seq is None


def verify_chain():
    """Recompute every entry's hash in order; report the first broken link."""
    prev = ""
    expected_seq = 0
    checked = 0
    rows = ChangeEntry.objects.order_by("seq").values_list(
        "seq",
        "created_at",
        "actor_id",
        "action",
        "content_type_id",
        "object_id",
        "before",
        "after",
        "reason",
        "prev_hash",
        "entry_hash",
    )
    for row in rows.iterator(chunk_size=5000):
        seq, created_at, actor_id, action, ct_id, object_id, before, after, reason, p, h = row
        expected_seq += 1
        checked += 1
        if seq != expected_seq:
            return VerifyResult(checked, expected_seq, f"entry #{expected_seq} is missing")
        if p != prev:
            return VerifyResult(checked, seq, f"previous-hash link does not match entry #{seq - 1}")
        digest = entry_digest(
            seq=seq,
            created_at=created_at,
            actor_id=actor_id,
            action=action,
            content_type_id=ct_id,
            object_id=object_id,
            before=before,
            after=after,
            reason=reason,
            prev=prev,
        )
        if digest != h:
            return VerifyResult(checked, seq, "content does not match its hash")
        prev = h
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq != expected_seq:
        return VerifyResult(checked, expected_seq + 1, f"entries after #{expected_seq} are missing")
    return VerifyResult(checked)


def history_of(obj):
    """Entries about ``obj``, newest first."""
    content_type = ContentType.objects.get_for_model(type(obj))
    return (
        ChangeEntry.objects.filter(content_type=content_type, object_id=str(obj.pk))
        .select_related("actor__person")
        .order_by("-seq")
    )
