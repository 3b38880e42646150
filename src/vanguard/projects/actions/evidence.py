"""Evidence (证明材料) of a key node: the files accepted, and keeping each upload with
its history.
"""

import os

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.core.actors import user_of
from vanguard.exchange.files import check_upload, extension_of
from vanguard.org import access
from vanguard.projects.actions.milestones import locked_milestone
from vanguard.projects.models import EvidenceFile, Milestone

# Evidence (证明材料) of a key node: approvals as PDF or OFD, scans and photos,
# Word and Excel files (WPS's own formats too), up to 20 MB. Each file passes
# vanguard.exchange.files: its bytes must match its name, pictures are re-encoded
# without their metadata, PDFs that run scripts are refused.
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024

EVIDENCE_EXTENSIONS = (
    *("pdf", "ofd"),
    *("jpg", "jpeg", "png", "webp"),
    *("doc", "docx", "wps", "xls", "xlsx", "et"),
)


def _check_evidence(upload):
    """The upload made safe to keep; refuses a file that is empty, too large or unsafe."""
    name = os.path.basename(getattr(upload, "name", "") or "")
    if extension_of(name) not in EVIDENCE_EXTENSIONS:
        raise ValidationError(
            {
                "evidence": _(
                    "“{name}” is not an accepted file: upload a PDF or OFD document, a JPG, "
                    "PNG or WebP image, or a Word or Excel file."
                ).format(name=name)
            }
        )
    if upload.size is not None and upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {
                "evidence": _("“{name}” is {size} MB; evidence may be up to {limit} MB.").format(
                    name=name,
                    size="{:.1f}".format(upload.size / 1024 / 1024),
                    limit=EVIDENCE_MAX_BYTES // (1024 * 1024),
                )
            }
        )
    try:
        return check_upload(upload, limit=EVIDENCE_MAX_BYTES, extensions=EVIDENCE_EXTENSIONS)
    except ValidationError as error:
        raise ValidationError({"evidence": error.messages}) from None


def do_attach_milestone_evidence(milestone, upload, *, actor, replaces=None):
    """Store a file as the evidence (证明材料) of a project's key node.

    The lead unit's reporters, the office and the projects task force may upload. A
    node has one current evidence file; ``replaces`` names the file the uploader saw
    (blank for none), and if another was uploaded meanwhile the upload is refused
    rather than silently replacing it. A replaced file is kept, with its digest, in
    the node's evidence history, and both steps are in the change log.
    """
    milestone = Milestone.objects.select_related("project__lead_unit").get(pk=milestone.pk)
    access.require_upload_evidence(actor, milestone.project)
    safe = _check_evidence(upload)
    with transaction.atomic():
        current = locked_milestone(milestone)
        if replaces is not None and current.evidence.name != replaces:
            raise ValidationError(
                _(
                    "Someone else uploaded evidence for {node} of project {code} meanwhile "
                    "({name}); reload the page to see it before replacing it."
                ).format(
                    node=current.node.name,
                    code=current.project.code,
                    name=os.path.basename(current.evidence.name) or "—",
                )
            )
        now = timezone.now()
        before = snapshot(current)
        current.evidence.save(
            "{}-{}-{}".format(current.project.code, current.node.code, safe.name),
            ContentFile(safe.content),
            save=False,
        )
        try:
            changes = []
            for old in EvidenceFile.objects.select_for_update().filter(
                milestone=current, replaced_at__isnull=True
            ):
                old_before = snapshot(old, ["file", "replaced_at"])
                old.replaced_at = now
                old.save(update_fields=["replaced_at"])
                changes.append(
                    Change(
                        old, ChangeAction.UPDATE, old_before, snapshot(old, ["file", "replaced_at"])
                    )
                )
            kept = EvidenceFile.objects.create(
                milestone=current,
                file=current.evidence.name,
                sha256=safe.sha256,
                size=len(safe.content),
                uploaded_by=user_of(actor),
                uploaded_at=now,
            )
            current.save(update_fields=["evidence"])
            changes.append(
                Change(kept, ChangeAction.CREATE, None, snapshot(kept, ["file", "sha256", "size"]))
            )
            changes.append(Change(current, ChangeAction.UPDATE, before, snapshot(current)))
            record_changes(changes, actor=actor)
        except BaseException:
            current.evidence.storage.delete(current.evidence.name)
            raise
    return current
