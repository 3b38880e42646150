"""Writing and verifying the change log.

Every action records its change through ``record_change`` (or ``record_changes`` for
bulk work) inside its own transaction, so the change and its log entry land together
or not at all. Each entry's hash covers its content and the previous entry's hash;
``verify_chain`` finds the first entry whose stored hash does not match.
"""

import datetime
import decimal
import hashlib
import hmac
import json
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from vanguard.audit.models import ChainHead, ChangeEntry, describe_changes
from vanguard.core.bulk import insert_rows


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


# Columns that hold secrets: their values never enter the log, only whether they changed.
SECRET_FIELDS = frozenset({"password", "key_hash", "secret", "token"})


def snapshot(obj, fields=None):
    """Return the concrete field values of ``obj`` as a JSON-safe dict (foreign keys by id).

    A secret (a password hash, a token's hash, or a field the model lists in
    ``audit_secret_fields``) is replaced by a keyed fingerprint: a reader sees that it
    changed, and nothing that helps to guess it.
    """
    secret = SECRET_FIELDS | set(getattr(obj, "audit_secret_fields", ()))
    data = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        value = getattr(obj, field.attname)
        if field.name in secret and value:
            value = "******" + keyed_hash("secret", str(value))[:8]
        data[field.name] = value
    return to_jsonable(data)


def snapshot_values(model, values):
    """``snapshot`` of a row of ``model`` read as values (keyed by attname), without an object.

    For bulk work that reads or writes rows as values: gives what ``snapshot`` gives of
    the same row loaded as an instance.
    """
    secret = SECRET_FIELDS | set(getattr(model, "audit_secret_fields", ()))
    data = {}
    for field in model._meta.concrete_fields:
        value = values[field.attname]
        if field.name in secret and value:
            value = "******" + keyed_hash("secret", str(value))[:8]
        data[field.name] = value
    return to_jsonable(data)


def keyed_hash(purpose, text):
    """HMAC-SHA256 of ``text`` under the change-log key, hex."""
    message = "{}\n{}".format(purpose, text).encode("utf-8")
    return hmac.new(audit_key(), message, hashlib.sha256).hexdigest()


def audit_key():
    """The key that signs the chain: ``AUDIT_KEY``, else one derived from ``SECRET_KEY``.

    It never lives in the database, so whoever can write the database cannot re-sign
    what they change.
    """
    key = getattr(settings, "AUDIT_KEY", "") or ""
    if key:
        return key.encode("utf-8")
    return hmac.new(
        settings.SECRET_KEY.encode("utf-8"), b"vanguard.audit.chain", hashlib.sha256
    ).digest()


def entry_digest(
    *,
    seq,
    created_at,
    actor_id,
    actor_name,
    action,
    content_type_id,
    object_id,
    object_repr,
    before,
    after,
    reason,
    prev,
):
    """Sign an entry's every column together with the previous entry's hash."""
    payload = json.dumps(
        [
            seq,
            created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            actor_id,
            actor_name,
            action,
            content_type_id,
            str(object_id),
            object_repr,
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
    return keyed_hash("entry", payload)


def head_signature(last_seq, last_hash):
    """The chain head's signature: a head moved back to an earlier entry lacks it."""
    return keyed_hash("head", "{}:{}".format(last_seq, last_hash))


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
    content_types = {}
    rows = []
    for change in changes:
        model = type(change.obj)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(model).pk
        rows.append(
            (
                content_types[model],
                change.obj.pk,
                str(change.obj)[:200],
                str(change.action),
                change.before,
                change.after,
                change.reason,
            )
        )
    return _append(rows, actor, keep=True)


def append_entries(model, rows, *, actor):
    """Append one entry per row about objects of ``model``, without loading the objects.

    For bulk work that has its rows as ids and values (the ladder's proposals and
    rises): each row is ``(object_id, object_repr, action, before, after, reason)``,
    ``before`` and ``after`` snapshots (flat dicts) or None. The entries are signed and
    chained exactly as ``record_changes`` signs them, in the order given, and written
    with one prepared INSERT. Call inside the action's transaction. Returns how many.
    """
    content_type_id = ContentType.objects.get_for_model(model).pk
    return _append(
        [
            (content_type_id, object_id, str(text)[:200], str(action), before, after, reason)
            for object_id, text, action, before, after, reason in rows
        ],
        actor,
    )


_ENTRY_COLUMNS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_name",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "before",
    "after",
    "reason",
    "prev_hash",
    "entry_hash",
)


def _append(rows, actor, keep=False):
    """Sign and chain ``rows`` (content type id, object id, repr, action, before, after,
    reason) after the chain's head, write them and move the head; the entries if ``keep``."""
    if not rows:
        return [] if keep else 0
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_changes must run inside the action's transaction")
    head = _lock_head()
    now = timezone.now()
    actor_id = actor.pk if actor is not None else None
    actor_name = actor.get_username() if actor is not None else "system"
    values = []
    seq, prev = head.last_seq, head.last_hash
    for content_type_id, object_id, object_repr, action, before, after, reason in rows:
        before = to_jsonable(before)
        after = to_jsonable(after)
        seq += 1
        digest = entry_digest(
            seq=seq,
            created_at=now,
            actor_id=actor_id,
            actor_name=actor_name,
            action=action,
            content_type_id=content_type_id,
            object_id=object_id,
            object_repr=object_repr,
            before=before,
            after=after,
            reason=reason,
            prev=prev,
        )
        values.append(
            (
                seq,
                now,
                actor_id,
                actor_name,
                action,
                content_type_id,
                str(object_id),
                object_repr,
                before,
                after,
                reason,
                prev,
                digest,
            )
        )
        prev = digest
    # One prepared INSERT for all entries: a bulk import logs tens of thousands.
    insert_rows(ChangeEntry, _ENTRY_COLUMNS, values)
    head.last_seq, head.last_hash = seq, prev
    head.signature = head_signature(seq, prev)
    head.save(update_fields=["last_seq", "last_hash", "signature"])
    if not keep:
        return len(values)
    entries = []
    for row in values:
        entry = ChangeEntry(**dict(zip(_ENTRY_COLUMNS, row, strict=True)))
        entry._state.adding = False
        entries.append(entry)
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
    """Recompute every entry's signature in order; report the first broken link.

    Catches an edited column, a deleted or inserted entry, a re-hashed chain (without
    the key) and a head moved back over deleted entries. A rewrite by someone who
    holds the key is caught only by checkpoints kept outside the database
    (``verify_checkpoints``).
    """
    prev = ""
    expected_seq = 0
    checked = 0
    rows = ChangeEntry.objects.order_by("seq").values_list(*_SIGNED_COLUMNS)
    for row in rows.iterator(chunk_size=5000):
        values = dict(zip(_SIGNED_COLUMNS, row, strict=True))
        seq = values["seq"]
        expected_seq += 1
        checked += 1
        if seq != expected_seq:
            return VerifyResult(checked, expected_seq, f"entry #{expected_seq} is missing")
        if values["prev_hash"] != prev:
            return VerifyResult(checked, seq, f"previous-hash link does not match entry #{seq - 1}")
        if _digest_of(values, prev) != values["entry_hash"]:
            return VerifyResult(checked, seq, "content does not match its signature")
        prev = values["entry_hash"]
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None:
        if head.signature != head_signature(head.last_seq, head.last_hash):
            return VerifyResult(checked, head.last_seq, "the chain head's signature is wrong")
        if head.last_seq != expected_seq or head.last_hash != prev:
            return VerifyResult(
                checked, expected_seq + 1, f"entries after #{expected_seq} are missing (head)"
            )
    elif checked:
        return VerifyResult(checked, 1, "the chain head is missing")
    return VerifyResult(checked)


_SIGNED_COLUMNS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_name",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "before",
    "after",
    "reason",
    "prev_hash",
    "entry_hash",
)


def _digest_of(values, prev):
    return entry_digest(
        seq=values["seq"],
        created_at=values["created_at"],
        actor_id=values["actor_id"],
        actor_name=values["actor_name"],
        action=values["action"],
        content_type_id=values["content_type_id"],
        object_id=values["object_id"],
        object_repr=values["object_repr"],
        before=values["before"],
        after=values["after"],
        reason=values["reason"],
        prev=prev,
    )


def checkpoint_signature(seq, entry_hash, at):
    return keyed_hash("checkpoint", "{}:{}:{}".format(seq, entry_hash, at))


def write_checkpoint(path=None):
    """Append the chain's head (sequence, hash, time, signature) to the checkpoint file.

    The file (``AUDIT_CHECKPOINT_FILE``) and the optional webhook
    (``AUDIT_CHECKPOINT_URL``) keep the head outside the database, so a later rewrite
    or truncation of the log no longer matches what was published. Returns the line.
    """
    head = ChainHead.objects.filter(pk=1).first()
    seq, entry_hash = (head.last_seq, head.last_hash) if head else (0, "")
    at = timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds")
    line = {
        "seq": seq,
        "hash": entry_hash,
        "time": at,
        "signature": checkpoint_signature(seq, entry_hash, at),
    }
    target = Path(path or settings.AUDIT_CHECKPOINT_FILE)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    url = getattr(settings, "AUDIT_CHECKPOINT_URL", "")
    if url:
        request = urllib.request.Request(
            url,
            data=json.dumps(line).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10):
            pass
    return line


def verify_checkpoints(path):
    """Prove the log against published checkpoints: each one signed, present and equal.

    Run after ``verify_chain``: a checkpoint whose entry is gone (truncation) or whose
    hash differs (a rewrite, even by someone holding the key) names its sequence.
    """
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    wanted = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            point = json.loads(text)
            seq, entry_hash, at = int(point["seq"]), point["hash"], point["time"]
            signature = point["signature"]
        except (ValueError, KeyError, TypeError):
            return VerifyResult(number - 1, 0, f"checkpoint line {number} is unreadable")
        if not hmac.compare_digest(signature, checkpoint_signature(seq, entry_hash, at)):
            return VerifyResult(number - 1, seq, f"checkpoint line {number}: bad signature")
        wanted.append((number, seq, entry_hash))
    seqs = [seq for _number, seq, _hash in wanted if seq]
    hashes = dict(ChangeEntry.objects.filter(seq__in=seqs).values_list("seq", "entry_hash"))
    for checked, (number, seq, entry_hash) in enumerate(wanted, start=1):
        if seq == 0:
            continue
        if seq not in hashes:
            return VerifyResult(checked, seq, f"entry #{seq} of checkpoint line {number} is gone")
        if hashes[seq] != entry_hash:
            return VerifyResult(checked, seq, f"entry #{seq} differs from checkpoint line {number}")
    return VerifyResult(len(wanted))


def history_of(obj, limit=50):
    """The newest ``limit`` entries about ``obj``, newest first, their changes in words."""
    content_type = ContentType.objects.get_for_model(type(obj))
    entries = list(
        ChangeEntry.objects.filter(content_type=content_type, object_id=str(obj.pk))
        .select_related("actor__person")
        .order_by("-seq")[:limit]
    )
    return describe_changes(entries)


def newest_changes(*models_):
    """A key that moves whenever a change to any of ``models_`` is recorded: the hash of
    the newest entry about each (None for a model with none), one index probe apiece.

    A figure read from those models may be kept under it. Read it before the figure:
    a change committed in between then only makes the kept figure newer than its key.
    """
    if not models_:
        return ()
    content_types = ContentType.objects.get_for_models(*models_, for_concrete_models=False)
    ids = [content_types[model].pk for model in models_]
    table = connection.ops.quote_name(ChangeEntry._meta.db_table)
    probe = "(SELECT entry_hash FROM {} WHERE content_type_id = %s ORDER BY seq DESC LIMIT 1)"
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join([probe.format(table)] * len(ids)), ids)
        return tuple(cursor.fetchone())
