"""Uploaded workbooks kept between a dry run and its apply.

The file goes to the default storage (MEDIA_ROOT/imports/ unless an S3-compatible
backend is configured) under a random token, so any web process can apply what
another one previewed. A file's name carries its owner's id and the import's kind, so
a token is useless to anyone else; files older than a day are swept on each upload.
"""

import contextlib
import datetime
import re
import secrets

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

FOLDER = "imports"
MAX_BYTES = 20 * 1024 * 1024
KEEP_FOR = datetime.timedelta(days=1)
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_KIND_RE = re.compile(r"^[a-z0-9_]{1,32}$")


# What an import reads; the content decides, the name only screens the form.
ACCEPTED_SUFFIXES = (".xlsx", ".xlsm", ".csv")
# Formats offices also have, and how to turn each into one that is read.
_OTHER_FORMATS = {
    ".xls": "Excel 97-2003 (.xls)",
    ".et": "WPS (.et)",
    ".ods": "OpenDocument (.ods)",
    ".numbers": "Numbers (.numbers)",
}


def upload_error(upload):
    """Why an uploaded file cannot be imported, in words, or None."""
    if upload is None:
        return _("Choose a file to upload: an .xlsx workbook or a .csv file.")
    name = upload.name.lower()
    for suffix, kind in _OTHER_FORMATS.items():
        if name.endswith(suffix):
            return _(
                "A {kind} file cannot be read: open it in Excel, WPS or LibreOffice, save it as"
                " .xlsx, and upload that. Accepted: .xlsx, .xlsm, .csv."
            ).format(kind=kind)
    if not name.endswith(ACCEPTED_SUFFIXES):
        return _("Upload an .xlsx workbook or a .csv file (accepted: .xlsx, .xlsm, .csv).")
    if upload.size > MAX_BYTES:
        return _("The file is larger than {size} MB.").format(size=MAX_BYTES // (1024 * 1024))
    return None


class UploadMissing(Exception):
    """The token names no file of this user (expired, applied already, or forged)."""


def _name(kind, user, token):
    if not _KIND_RE.match(kind) or not _TOKEN_RE.match(token or ""):
        raise UploadMissing(token)
    return "{}/{}-{}-{}.xlsx".format(FOLDER, kind, user.pk, token)


def keep_upload(uploaded, *, kind, user):
    """Store an uploaded file; return the token that finds it again."""
    _sweep()
    token = secrets.token_urlsafe(24)
    default_storage.save(_name(kind, user, token), uploaded)
    return token


def open_upload(token, *, kind, user):
    """The kept file as a binary file object; raises UploadMissing."""
    name = _name(kind, user, token)
    if not default_storage.exists(name):
        raise UploadMissing(token)
    return default_storage.open(name, "rb")


def discard_upload(token, *, kind, user):
    """Remove a kept file (after it was applied)."""
    with contextlib.suppress(UploadMissing):
        default_storage.delete(_name(kind, user, token))


def _sweep():
    """Delete kept files older than KEEP_FOR; best effort, never in the user's way."""
    sweep_folder(FOLDER, KEEP_FOR)


def sweep_folder(folder, keep_for):
    """Delete files in ``folder`` of the default storage older than ``keep_for``.

    Best effort: a storage that cannot list or date its files keeps them.
    """
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError, OSError):
        return
    cutoff = timezone.now() - keep_for
    for filename in files:
        name = "{}/{}".format(folder, filename)
        try:
            if default_storage.get_modified_time(name) < cutoff:
                default_storage.delete(name)
        except (FileNotFoundError, NotImplementedError, OSError):
            continue
