"""Evidence bundles: a ZIP of files with a manifest that ties them to the change log.

``write_bundle`` writes every file, then ``manifest.json`` naming each file with its
SHA-256 and size, and the range of change-log entries (first and last sequence number)
the bundle rests on, with a digest of those entries' hashes. ``verify_bundle`` proves a
bundle complete and unaltered: every listed file present with its hash, no file that is
not listed, the range whole in the log and its digest recomputed from the database equal
to the manifest's. Since each entry's hash is signed and chained (``log.verify_chain``),
an equal digest means the log entries behind the bundle are the ones it was made from.
"""

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field

from vanguard.audit.models import ChainHead, ChangeEntry

MANIFEST = "manifest.json"
FORMAT = "vanguard-bundle/1"


def range_digest(first_seq, last_seq):
    """SHA-256 over the hashes of log entries ``first_seq``..``last_seq``, in order, and
    how many there are."""
    digest = hashlib.sha256()
    count = 0
    hashes = (
        ChangeEntry.objects.filter(seq__gte=first_seq, seq__lte=last_seq)
        .order_by("seq")
        .values_list("entry_hash", flat=True)
    )
    for entry_hash in hashes.iterator(chunk_size=5000):
        digest.update(entry_hash.encode("ascii"))
        digest.update(b"\n")
        count += 1
    return digest.hexdigest(), count


def head_seq():
    """The change log's last sequence number now (0 when it is empty)."""
    head = ChainHead.objects.filter(pk=1).values_list("last_seq", flat=True).first()
    return head or 0


def write_bundle(files, *, first_seq, last_seq, about=None):
    """A ZIP (bytes) of ``files`` ({name: bytes}) and its manifest.

    ``about`` is a dict the manifest carries as it is (what the bundle is, when it was made).
    """
    if MANIFEST in files:
        raise ValueError("A bundle's file cannot be named manifest.json.")
    first_seq = max(1, min(first_seq, last_seq)) if last_seq else 0
    digest, count = range_digest(first_seq, last_seq)
    manifest = {
        "format": FORMAT,
        "about": about or {},
        "files": [
            {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in sorted(files.items())
        ],
        "log": {
            "first_seq": first_seq,
            "last_seq": last_seq,
            "entries": count,
            "sha256": digest,
        },
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
        archive.writestr(
            MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
        )
    return buffer.getvalue()


@dataclass
class BundleCheck:
    """The outcome of ``verify_bundle``: the files checked and every failure found."""

    files: int = 0
    entries: int = 0
    failures: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.failures


def verify_bundle(source):
    """Check a bundle (a path or a file object) against its manifest and the change log."""
    check = BundleCheck()
    try:
        archive = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as exc:
        check.failures.append("不是可读的 ZIP 文件 / not a readable ZIP file: {}".format(exc))
        return check
    with archive:
        names = set(archive.namelist())
        if MANIFEST not in names:
            check.failures.append("缺少 manifest.json / manifest.json is missing")
            return check
        try:
            manifest = json.loads(archive.read(MANIFEST))
            listed = {item["name"]: item["sha256"] for item in manifest["files"]}
            log = manifest["log"]
            first_seq, last_seq = int(log["first_seq"]), int(log["last_seq"])
            entries, wanted = int(log["entries"]), str(log["sha256"])
        except (ValueError, KeyError, TypeError) as exc:
            check.failures.append(
                "manifest.json 无法读取 / manifest.json is unreadable: {}".format(exc)
            )
            return check
        for name, sha256 in sorted(listed.items()):
            if name not in names:
                check.failures.append("缺少文件 / file missing: {}".format(name))
                continue
            check.files += 1
            if hashlib.sha256(archive.read(name)).hexdigest() != sha256:
                check.failures.append("文件已被改动 / file altered: {}".format(name))
        for name in sorted(names - set(listed) - {MANIFEST}):
            check.failures.append("多出的文件 / file not in the manifest: {}".format(name))
    if manifest.get("format") != FORMAT:
        check.failures.append(
            "未知的格式 / unknown bundle format: {}".format(manifest.get("format"))
        )
    expected = last_seq - first_seq + 1 if last_seq else 0
    digest, count = range_digest(first_seq, last_seq)
    check.entries = count
    if count != expected or count != entries:
        check.failures.append(
            "变更日志第 {}–{} 条不完整：应有 {} 条，现有 {} 条 / change-log entries #{}–#{} "
            "incomplete: {} expected, {} found".format(
                first_seq, last_seq, entries, count, first_seq, last_seq, entries, count
            )
        )
    elif digest != wanted:
        check.failures.append(
            "变更日志第 {}–{} 条与卷宗不符 / change-log entries #{}–#{} do not match the "
            "bundle's digest".format(first_seq, last_seq, first_seq, last_seq)
        )
    broken = first_broken_entry(first_seq, last_seq) if count else None
    if broken is not None:
        check.failures.append(
            "变更日志第 {} 条的内容与签名不符 / change-log entry #{} does not match its "
            "signature: {}".format(broken[0], broken[0], broken[1])
        )
    return check


def first_broken_entry(first_seq, last_seq):
    """(seq, problem) of the first entry in the range whose signature or link to the
    entry before it does not hold; None when every one holds.

    The stored hashes alone (the digest) would not show an entry whose content was
    edited and its hash left as it was: each entry is signed again here.
    """
    from vanguard.audit.log import _SIGNED_COLUMNS, _digest_of

    rows = (
        ChangeEntry.objects.filter(seq__gte=first_seq, seq__lte=last_seq)
        .order_by("seq")
        .values_list(*_SIGNED_COLUMNS)
    )
    prev = None
    for row in rows.iterator(chunk_size=5000):
        values = dict(zip(_SIGNED_COLUMNS, row, strict=True))
        if prev is not None and values["prev_hash"] != prev:
            return values["seq"], "previous-hash link broken"
        if _digest_of(values, values["prev_hash"]) != values["entry_hash"]:
            return values["seq"], "content edited"
        prev = values["entry_hash"]
    return None
