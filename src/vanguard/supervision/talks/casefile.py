"""The case file (卷宗) of a referral: every part the domains contribute, and its ZIP.

A part is registered with ``register_part(name, build)``; ``build(referral)`` returns a
``CasePart`` (a title, columns, rows and documents) or None when it has nothing for the
case. Supervision registers the parts it owns (the referral itself, the matter's light
changes, the talk with its notice and record); the domains register theirs from their
``AppConfig.ready()`` (the projects' reports and certifications; orders, answers and
exemptions when they exist). The engine never imports a domain.

The ZIP holds each part's rows as JSON (``data/<name>.json``), its documents as DOCX
(``documents/...``, with a PDF copy of each where LibreOffice is installed) and a manifest with the SHA-256 of every file and the change-log
range the file rests on (``audit.bundle``), which ``vanguard audit verify-bundle``
proves against the log.
"""

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db.models import Min
from django.utils import timezone, translation

from vanguard.audit.bundle import head_seq, write_bundle
from vanguard.audit.log import to_jsonable
from vanguard.audit.models import ChangeEntry
from vanguard.exchange.official import LIBREOFFICE_PDF


@dataclass
class CasePart:
    """What one part adds to the file: rows (dicts keyed by ``columns``) and documents."""

    title: str
    columns: list  # [(key, label)]
    rows: list
    # File name -> bytes, or a function giving them: made only when the ZIP is.
    documents: dict = field(default_factory=dict)
    # Objects whose change-log entries the part rests on: [(model, [pk, ...])].
    logged: list = field(default_factory=list)


# name -> build(referral); ORDER: name -> its place in the file (smaller first).
PARTS = {}
ORDER = {}


def register_part(name, build, *, order=50):
    """Add a part to every case file (from an ``AppConfig.ready()``); a name is taken once.

    ``order`` places it: the case itself and its lights come first (10, 20), the talk
    last (90); the domains' evidence goes between (50 by default).
    """
    if name in PARTS:
        raise ValueError("A case-file part named {!r} is already registered.".format(name))
    PARTS[name] = build
    ORDER[name] = order


def build_case_file(referral):
    """``[(name, CasePart)]`` of the referral, the parts in their order."""
    parts = []
    for name in sorted(PARTS, key=lambda n: (ORDER.get(n, 50), n)):
        build = PARTS[name]
        part = build(referral)
        if part is not None:
            parts.append((name, part))
    return parts


def _first_seq(parts):
    """The first change-log entry about anything the file holds."""
    firsts = []
    for _name, part in parts:
        for model, pks in part.logged:
            content_type = ContentType.objects.get_for_model(model)
            keys = [str(pk) for pk in pks]
            # In slices, so a unit's thousands of reports stay within SQLite's parameters.
            for start in range(0, len(keys), LOGGED_SLICE):
                found = ChangeEntry.objects.filter(
                    content_type=content_type, object_id__in=keys[start : start + LOGGED_SLICE]
                ).aggregate(first=Min("seq"))["first"]
                if found is not None:
                    firsts.append(found)
    return min(firsts, default=None)


LOGGED_SLICE = 5000
# A document that takes longer than this to convert goes into the file without its PDF.
PDF_TIMEOUT = 60


def pdf_copies(documents):
    """``{name.pdf: bytes}`` of the DOCX ``documents``, converted by LibreOffice when it is
    installed; empty without it or when a conversion fails (the DOCX stays the record)."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if not office or not documents:
        return {}
    with tempfile.TemporaryDirectory(prefix="vanguard-case-") as folder:
        folder = Path(folder)
        sources = []
        for name, content in documents.items():
            source = folder / name
            source.write_bytes(content)
            sources.append(str(source))
        try:
            subprocess.run(
                [office, "--headless", "--convert-to", LIBREOFFICE_PDF, "--outdir", str(folder)]
                + sources,
                check=True,
                capture_output=True,
                timeout=PDF_TIMEOUT,
            )
        except (OSError, subprocess.SubprocessError):
            return {}
        return {
            pdf.name: pdf.read_bytes()
            for pdf in (folder / Path(name).with_suffix(".pdf").name for name in documents)
            if pdf.exists()
        }


def case_file_zip(referral):
    """The case file as one ZIP (bytes) with its manifest, and its file name."""
    with translation.override("zh-hans"):
        made_at = timezone.now()
        last_seq = head_seq()
        parts = build_case_file(referral)
        files, documents = {}, {}
        index = []
        for name, part in parts:
            data = {
                "part": name,
                "title": str(part.title),
                "columns": [[key, str(label)] for key, label in part.columns],
                "rows": to_jsonable(part.rows),
            }
            files["data/{}.json".format(name)] = json.dumps(
                data, ensure_ascii=False, indent=2, sort_keys=True
            ).encode("utf-8")
            for document, content in part.documents.items():
                content = content() if callable(content) else content
                files["documents/{}".format(document)] = content
                documents[document] = content
            index.append({"part": name, "title": str(part.title), "rows": len(part.rows)})
        for name, content in pdf_copies(documents).items():
            files["documents/{}".format(name)] = content
        first_seq = _first_seq(parts) or last_seq
        about = {
            "case": referral.pk,
            "unit": referral.unit.name,
            "matter": referral.subject_label,
            "made_at": timezone.localtime(made_at).isoformat(timespec="seconds"),
            "data_at": timezone.localtime(made_at).isoformat(timespec="seconds"),
            "parts": index,
        }
        content = write_bundle(files, first_seq=first_seq, last_seq=last_seq, about=about)
    return content, "问责卷宗-{}-{}.zip".format(referral.pk, timezone.localdate().isoformat())
