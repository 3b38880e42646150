"""Sign the change log: every column under a key kept outside the database.

Entries written before were hashed with plain SHA-256 over fewer columns. This
migration checks that older chain first, refuses to go on if it is already broken
(signing it would bless the damage), and then signs every entry and the head anew.
"""

import datetime
import hashlib
import json

from django.db import migrations, models


def _legacy_digest(row, prev):
    payload = json.dumps(
        [
            row.seq,
            row.created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            row.actor_id,
            row.action,
            row.content_type_id,
            str(row.object_id),
            row.before,
            row.after,
            row.reason,
            prev,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def sign_chain(apps, schema_editor):
    from vanguard.audit.log import entry_digest, head_signature

    ChangeEntry = apps.get_model("audit", "ChangeEntry")
    ChainHead = apps.get_model("audit", "ChainHead")
    old_prev = new_prev = ""
    batch = []
    for row in ChangeEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if row.prev_hash != old_prev or _legacy_digest(row, old_prev) != row.entry_hash:
            raise RuntimeError(
                "The change log is broken at entry #{}; it is not signed. Find out what "
                "happened (vanguard audit verify on the previous version) before "
                "migrating.".format(row.seq)
            )
        old_prev = row.entry_hash
        row.prev_hash = new_prev
        row.entry_hash = entry_digest(
            seq=row.seq,
            created_at=row.created_at,
            actor_id=row.actor_id,
            actor_name=row.actor_name,
            action=row.action,
            content_type_id=row.content_type_id,
            object_id=row.object_id,
            object_repr=row.object_repr,
            before=row.before,
            after=row.after,
            reason=row.reason,
            prev=new_prev,
        )
        new_prev = row.entry_hash
        batch.append(row)
        if len(batch) >= 2000:
            ChangeEntry.objects.bulk_update(batch, ["prev_hash", "entry_hash"])
            batch = []
    ChangeEntry.objects.bulk_update(batch, ["prev_hash", "entry_hash"])
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None:
        head.last_hash = new_prev
        head.signature = head_signature(head.last_seq, new_prev)
        head.save(update_fields=["last_hash", "signature"])


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="chainhead",
            name="signature",
            field=models.CharField(default="", max_length=64),
        ),
        migrations.RunPython(sign_chain, migrations.RunPython.noop),
    ]
