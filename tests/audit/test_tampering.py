"""Every way of quietly rewriting the change log is caught by ``vanguard audit verify``.

The threat: someone with write access to the database (an administrator with a SQL
console, a restored and edited backup) changes what the log says. The chain's hashes
are keyed with a secret that is not in the database, the head is signed, and signed
checkpoints kept outside the database catch what the database alone cannot.
"""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from vanguard.audit.log import (
    entry_digest,
    verify_chain,
    verify_checkpoints,
    write_checkpoint,
)
from vanguard.audit.models import ChainHead, ChangeEntry
from vanguard.org.actions import do_create_unit, do_update_unit
from vanguard.org.choices import UnitKind


@pytest.fixture
def log(office_clerk):
    """A log of 120 entries: 60 units created, each renamed once."""
    for i in range(60):
        unit = do_create_unit(
            code="u{}".format(i), name="单位{}".format(i), kind=UnitKind.DEPARTMENT,
            actor=office_clerk,
        )  # fmt: skip
        do_update_unit(unit, name="新单位{}".format(i), reason="更名", actor=office_clerk)
    assert ChangeEntry.objects.count() == 120
    assert verify_chain().ok


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_changing_the_actors_name_is_caught(log):
    sql("UPDATE audit_changeentry SET actor_name = %s WHERE seq = 7", ["leader"])
    assert verify_chain().broken_seq == 7


def test_changing_the_objects_name_is_caught(log):
    sql("UPDATE audit_changeentry SET object_repr = %s WHERE seq = 9", ["别的单位"])
    assert verify_chain().broken_seq == 9


def test_deleting_the_last_entries_and_moving_the_head_is_caught(log):
    keep = ChangeEntry.objects.get(seq=20)
    sql("DELETE FROM audit_changeentry WHERE seq > 20")
    sql(
        "UPDATE audit_chainhead SET last_seq = %s, last_hash = %s WHERE id = 1",
        [keep.seq, keep.entry_hash],
    )
    result = verify_chain()
    assert not result.ok
    assert "head" in result.problem


def test_rewriting_an_entry_and_rehashing_every_later_one_is_caught(log):
    """Without the key the forger can only use a plain hash, which does not match."""
    import hashlib

    rows = list(ChangeEntry.objects.filter(seq__gte=100).order_by("seq"))
    prev = ChangeEntry.objects.get(seq=99).entry_hash
    for row in rows:
        reason = "伪造" if row.seq == 100 else row.reason
        payload = json.dumps([row.seq, reason, prev], ensure_ascii=False)
        digest = hashlib.sha256(payload.encode()).hexdigest()
        sql(
            "UPDATE audit_changeentry SET reason = %s, prev_hash = %s, entry_hash = %s"
            " WHERE seq = %s",
            [reason, prev, digest, row.seq],
        )
        prev = digest
    sql("UPDATE audit_chainhead SET last_hash = %s WHERE id = 1", [prev])
    assert verify_chain().broken_seq == 100


def test_a_forger_holding_the_key_is_caught_by_the_checkpoints(log, tmp_path, settings):
    """Even re-hashing with the right key cannot match a checkpoint kept outside."""
    checkpoints = tmp_path / "checkpoints.jsonl"
    settings.AUDIT_CHECKPOINT_FILE = checkpoints
    write_checkpoint()
    rows = list(ChangeEntry.objects.filter(seq__gte=50).order_by("seq"))
    prev = ChangeEntry.objects.get(seq=49).entry_hash
    for row in rows:
        reason = "伪造" if row.seq == 50 else row.reason
        digest = entry_digest(
            seq=row.seq, created_at=row.created_at, actor_id=row.actor_id,
            actor_name=row.actor_name, action=row.action, content_type_id=row.content_type_id,
            object_id=row.object_id, object_repr=row.object_repr, before=row.before,
            after=row.after, reason=reason, prev=prev,
        )  # fmt: skip
        sql(
            "UPDATE audit_changeentry SET reason = %s, prev_hash = %s, entry_hash = %s"
            " WHERE seq = %s",
            [reason, prev, digest, row.seq],
        )
        prev = digest
    head = ChainHead.objects.get(pk=1)
    from vanguard.audit.log import head_signature

    sql(
        "UPDATE audit_chainhead SET last_hash = %s, signature = %s WHERE id = 1",
        [prev, head_signature(head.last_seq, prev)],
    )
    assert verify_chain().ok  # the database alone cannot tell
    result = verify_checkpoints(checkpoints)
    assert not result.ok and result.broken_seq == 120
    with pytest.raises(CommandError, match="120"):
        call_command("audit", "verify", "--checkpoints", str(checkpoints))


def test_truncation_below_a_checkpoint_is_caught(log, tmp_path, settings):
    checkpoints = tmp_path / "checkpoints.jsonl"
    settings.AUDIT_CHECKPOINT_FILE = checkpoints
    write_checkpoint()
    sql("DELETE FROM audit_changeentry WHERE seq > 100")
    result = verify_checkpoints(checkpoints)
    assert not result.ok and result.broken_seq == 120


def test_a_forged_checkpoint_line_is_refused(log, tmp_path, settings):
    checkpoints = tmp_path / "checkpoints.jsonl"
    settings.AUDIT_CHECKPOINT_FILE = checkpoints
    write_checkpoint()
    line = json.loads(checkpoints.read_text().splitlines()[-1])
    line["seq"] = 10
    line["hash"] = ChangeEntry.objects.get(seq=10).entry_hash
    checkpoints.write_text(json.dumps(line) + "\n")
    result = verify_checkpoints(checkpoints)
    assert not result.ok and "signature" in result.problem


def test_an_intact_log_passes_its_checkpoints(log, tmp_path, settings, capsys, office_clerk):
    checkpoints = tmp_path / "checkpoints.jsonl"
    settings.AUDIT_CHECKPOINT_FILE = checkpoints
    call_command("audit", "checkpoint")
    do_create_unit(code="late", name="后来的单位", kind=UnitKind.STREET, actor=office_clerk)
    call_command("audit", "checkpoint")
    assert len(checkpoints.read_text().splitlines()) == 2
    call_command("audit", "verify", "--checkpoints", str(checkpoints))
    out = capsys.readouterr().out
    assert "121" in out and "2" in out


def test_password_hashes_never_enter_the_log(db, sysadmin):
    from django.contrib.auth import get_user_model

    from vanguard.audit.actions import do_save_object

    user = get_user_model()(username="newcomer")
    user.set_password("a-long-and-unusual-passphrase")
    do_save_object(user, actor=sysadmin)
    user.set_password("another-long-passphrase")
    do_save_object(user, actor=sysadmin, reason="重置密码")
    entries = ChangeEntry.objects.filter(object_id=str(user.pk)).order_by("seq")
    assert len(entries) == 2  # the change is recorded ...
    for entry in entries:
        text = json.dumps([entry.before, entry.after])
        assert user.password not in text and "pbkdf2" not in text and "md5$" not in text


def test_a_checkpoint_is_also_posted_to_the_webhook(log, tmp_path, settings):
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    received = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    settings.AUDIT_CHECKPOINT_URL = "http://127.0.0.1:{}/".format(server.server_port)
    line = write_checkpoint()
    thread.join(timeout=10)
    server.server_close()
    assert received == [line]
    assert line["seq"] == 120
