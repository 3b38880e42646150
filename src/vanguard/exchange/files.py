"""Uploaded files made safe to keep and to hand out again.

Evidence of key nodes comes from many hands, and so do the photos of city work (its
photo store, ``vanguard.citywork.photos``, decodes pictures here too). Every such file
passes here before it is stored:

- its size is limited while it streams in (``SizeLimitUploadHandler``), so a 300 MB
  file is refused after 20 MB, not after it was read whole;
- its bytes must be what its name says (a PNG named .pdf is refused);
- images are decoded and encoded again: metadata (EXIF with the GPS position of the
  phone that took the photo) is dropped, and anything hidden after or inside the
  picture (an appended archive, a script) does not survive;
- PDFs that would run something when opened (JavaScript, automatic actions, launching
  programs, embedded files) are refused, and so are files that are two kinds at once
  (a PDF that is also an archive, a document that begins as a web page).
"""

import hashlib
import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MB = 1024 * 1024
# What a multipart body may carry beyond its files: boundaries, headers, small fields.
FORM_OVERHEAD = 64 * 1024
# Larger pictures are refused rather than decoded (a small file can claim huge sizes).
MAX_IMAGE_PIXELS = 60_000_000
# How much of a PDF's compressed streams is unpacked to look for active content.
MAX_PDF_INFLATED = 200 * MB

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
# The brands of an ISO media file that hold HEIF pictures (an iPhone's HEIC photos).
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}

# What each kind of file is, judged by its bytes (not its name).
PDF, OFD, JPEG, PNG, WEBP, WORD, EXCEL, OLE, HEIC = (
    "pdf",
    "ofd",
    "jpeg",
    "png",
    "webp",
    "word",
    "excel",
    "ole",
    "heic",
)
IMAGE_KINDS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}
# The kind each extension promises.
KIND_OF_EXTENSION = {
    "pdf": PDF,
    "ofd": OFD,
    "jpg": JPEG,
    "jpeg": JPEG,
    "png": PNG,
    "webp": WEBP,
    "docx": WORD,
    "xlsx": EXCEL,
    "doc": OLE,
    "wps": OLE,
    "xls": OLE,
    "et": OLE,
}
# The member that an archive of each kind must hold.
_ZIP_MARKERS = {OFD: "OFD.xml", WORD: "word/document.xml", EXCEL: "xl/workbook.xml"}
# Opening tags that make a browser or a mail client take a file for a web page.
_HTML_START = re.compile(rb"<\s*(?:!doctype\s+html|html|script|svg|iframe|body|head)\b", re.I)
# PDF names that make a reader act on its own: run scripts, open programs or files.
_PDF_ACTIVE = {
    "JS",
    "JavaScript",
    "AA",
    "Launch",
    "EmbeddedFile",
    "EmbeddedFiles",
    "RichMedia",
    "XFA",
    "SubmitForm",
    "ImportData",
}
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_PDF_STREAM = re.compile(rb"stream\r?\n")
_ESCAPED = re.compile(r"#([0-9A-Fa-f]{2})")


class UploadTooLarge(StopUpload):
    """The body passed the limit while streaming; nothing more of it is read."""


class SizeLimitUploadHandler(FileUploadHandler):
    """Stop reading an upload as soon as its files pass ``limit`` bytes.

    Listed first in FILE_UPLOAD_HANDLERS with the site-wide limit (UPLOAD_MAX_BYTES), it
    is the backstop for every form and API call. A view with a smaller limit installs
    its own first, before the body is read: ``request.upload_handlers.insert(0,
    SizeLimitUploadHandler(request, limit=...))``. It keeps nothing itself; it counts
    and passes each chunk on. Past the limit it stops the upload without reading the
    rest and sets ``request.upload_too_large`` to the limit, for the view to report.
    Fields sent before the file (the CSRF token) are still read, so the form can
    answer with the limit; a view may also refuse a body whose Content-Length is too
    large before reading anything (``declared_too_large``).
    """

    def __init__(self, request=None, limit=None):
        super().__init__(request)
        self.limit = limit if limit is not None else settings.UPLOAD_MAX_BYTES
        self.received = 0

    def _mark(self):
        if self.request is not None and not getattr(self.request, "upload_too_large", None):
            self.request.upload_too_large = self.limit

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self._mark()
            # The rest of the body is not read: the server closes the connection after
            # the answer instead of swallowing the remaining hundreds of megabytes.
            raise UploadTooLarge(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


def declared_too_large(request, limit):
    """True when the request says (Content-Length) that its body passes ``limit``."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > limit + FORM_OVERHEAD


def too_large_message(limit):
    """The words for a file over ``limit`` bytes."""
    return _("The file is larger than {limit} MB, the most that may be uploaded here.").format(
        limit=limit // MB
    )


@dataclass
class SafeFile:
    """A checked upload: the bytes to store (re-encoded for images) and their digest."""

    name: str
    content: bytes
    kind: str
    sha256: str


def extension_of(name):
    return name.rpartition(".")[2].lower() if "." in name else ""


def kind_of_content(data):
    """The kind the bytes are (``None`` when not one we know), ignoring the name."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return HEIC
    if data.startswith(_OLE):
        return OLE
    if data.startswith(_ZIP):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, EOFError, OSError):
            return None
        for kind, marker in _ZIP_MARKERS.items():
            if marker in names:
                return kind
    return None


def check_upload(upload, *, limit, extensions):
    """Read ``upload`` and return a ``SafeFile``; raise ``ValidationError`` in words.

    ``extensions`` are the accepted file name endings. The caller stores
    ``SafeFile.content``, never the upload itself: images come back re-encoded.
    """
    name = os.path.basename(upload.name or "")
    extension = extension_of(name)
    if extension not in extensions or extension not in KIND_OF_EXTENSION:
        raise ValidationError(_("“{name}” is not a kind of file accepted here.").format(name=name))
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("“{name}” is {size} MB; it may be up to {limit} MB.").format(
                name=name, size="{:.1f}".format(upload.size / MB), limit=limit // MB
            )
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if not data:
        raise ValidationError(_("“{name}” is empty.").format(name=name))
    if len(data) > limit:
        raise ValidationError(too_large_message(limit))
    declared = KIND_OF_EXTENSION[extension]
    actual = kind_of_content(data)
    if actual != declared:
        raise ValidationError(
            _("“{name}” is not a {kind} file inside; check that it is the right file.").format(
                name=name, kind=extension.upper()
            )
        )
    if declared in IMAGE_KINDS:
        data = reencode_image(data, declared, name)
    else:
        if _HTML_START.search(data[:1024]):
            raise ValidationError(
                _("“{name}” contains a web page at its start and is refused.").format(name=name)
            )
        if declared == PDF:
            check_pdf(data, name)
    return SafeFile(name, data, declared, hashlib.sha256(data).hexdigest())


def open_image(data, kind, name, *, draft_size=None):
    """The picture in ``data`` decoded and turned upright; raise ``ValidationError`` in words.

    ``data`` must decode as ``kind`` (its real type, judged by ``kind_of_content``) and
    have no more than ``MAX_IMAGE_PIXELS`` pixels, checked before the pixels are decoded.
    ``draft_size`` lets a large JPEG be decoded at a smaller scale that still covers it
    (for a copy that is shrunk anyway). The picture keeps the original's metadata in its
    ``info``: write it out only through ``pixels_only``.
    """
    broken = ValidationError(
        _("“{name}” is not a picture that can be opened; check the file.").format(name=name)
    )
    huge = ValidationError(
        _("“{name}” has too many pixels: pictures may be up to {limit} million pixels.").format(
            name=name, limit=MAX_IMAGE_PIXELS // 10**6
        )
    )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != IMAGE_KINDS[kind]:
                raise broken
            width, height = probe.size
            if width * height > MAX_IMAGE_PIXELS:
                raise huge
            if draft_size and probe.format == "JPEG":
                probe.draft(probe.mode, draft_size)
            probe.load()
            # The orientation lives in EXIF: apply it before EXIF goes, so photos
            # taken upright stay upright.
            return ImageOps.exif_transpose(probe)
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise huge from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise broken from None


def pixels_only(picture):
    """A new picture from the pixels of ``picture`` alone: no metadata can follow it."""
    clean = Image.frombytes(picture.mode, picture.size, picture.tobytes())
    if picture.mode in ("P", "PA"):
        clean.putpalette(picture.getpalette())
        if "transparency" in picture.info:
            transparency = picture.info["transparency"]
            if isinstance(transparency, int):
                clean.info["transparency"] = transparency
    return clean


def reencode_image(data, kind, name):
    """The picture drawn again in its own format, without metadata (EXIF, GPS, comments)."""
    picture = open_image(data, kind, name)
    if kind == JPEG and picture.mode not in ("RGB", "L", "CMYK"):
        picture = picture.convert("RGB")
    clean = pixels_only(picture)
    out = io.BytesIO()
    options = {"JPEG": {"quality": 90}, "PNG": {"optimize": True}, "WEBP": {"quality": 90}}
    clean.save(out, format=IMAGE_KINDS[kind], **options[IMAGE_KINDS[kind]])
    return out.getvalue()


def holds_archive(data):
    """True when ``data`` is also a readable archive with members (a picture with a zip
    after it): a reader of zips would find files in it."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return bool(archive.namelist())
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        return False


def _pdf_names(data):
    for match in _PDF_NAME.finditer(data):
        raw = match.group(1).decode("latin-1")
        if "#" in raw:
            raw = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), raw)
        yield raw


def _pdf_parts(data):
    """The PDF's text outside streams, and its object streams unpacked.

    Other streams (pictures, fonts, page content) are skipped: their bytes are not
    read as objects by a PDF reader, and chance bytes in them would look like names.
    """
    budget = MAX_PDF_INFLATED
    position = 0
    for match in _PDF_STREAM.finditer(data):
        if match.start() < position:
            continue
        outside = data[position : match.start()]
        yield outside
        end = data.find(b"endstream", match.end())
        if end < 0:
            return
        position = end + len(b"endstream")
        dictionary = outside[-4096:]
        if b"/ObjStm" in dictionary and b"/FlateDecode" in dictionary:
            try:
                inflated = zlib.decompressobj().decompress(data[match.end() : end], budget)
            except zlib.error:
                continue
            budget -= len(inflated)
            if budget <= 0:
                raise ValidationError(_("The PDF unpacks to too much data to be checked."))
            yield inflated
    yield data[position:]


def check_pdf(data, name):
    """Refuse a PDF that acts on its own when opened, or that is also another kind."""
    found = set()
    for part in _pdf_parts(data):
        found.update(n for n in _pdf_names(part) if n in _PDF_ACTIVE)
    if found:
        raise ValidationError(
            _(
                "“{name}” contains scripts, automatic actions or embedded files ({what}); "
                "save it again as a plain PDF (print to PDF) and upload that."
            ).format(name=name, what=", ".join("/" + n for n in sorted(found)))
        )
    if zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationError(
            _("“{name}” is a PDF with an archive inside it and is refused.").format(name=name)
        )
