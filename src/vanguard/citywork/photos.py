"""The one door into city work's photo store: ``store_photo``.

Every way a photo comes in (an inspection's form, a patrol, the API, the citizen page,
Open311, a volunteer, the hotline) calls ``store_photo``, so every path strips the same
way: FixMyStreet found in 2016, 2018 and again in 2026 that a path which skipped the
stripping published where its photos were taken. For each file it:

1. reads at most ``PHOTO_MAX_BYTES`` (refusing more, naming the file);
2. judges the real type by the bytes (``exchange.files.kind_of_content``): JPEG, PNG or
   WebP; a HEIC photo is refused with words that say how to send JPEG instead; a name
   that promises another type (a PNG named .jpg) and a picture that is also an archive
   are refused, since the original is kept as it came and handed out to the office;
3. decodes it through ``exchange.files.open_image`` (60 million pixels at most, checked
   before decoding; the EXIF orientation applied);
4. draws the public copy from its pixels alone: colours turned to sRGB, transparency on
   white, shrunk to 2048 px on the long side, JPEG quality 85. No EXIF, GPS, XMP, ICC
   profile or comment survives; a 320 px thumbnail is drawn the same way;
5. keeps the public copy and thumbnail under the copy's SHA-256, the original under its
   own SHA-256 in the evidence storage, and makes one ``Photo`` for the same picture
   however often it arrives; attaching it to a subject again changes nothing.

The store checks no access: the caller's action has decided that its actor may add a
photo to the subject (an anonymous citizen may, on the citizen page).
"""

import contextlib
import hashlib
import io
import os
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.citywork.choices import PhotoRole, PhotoSource
from vanguard.citywork.models.photos import Photo, PhotoAttachment, evidence_storage
from vanguard.core.actors import SYSTEM
from vanguard.exchange.files import (
    HEIC,
    IMAGE_KINDS,
    JPEG,
    KIND_OF_EXTENSION,
    MB,
    PNG,
    WEBP,
    extension_of,
    holds_archive,
    kind_of_content,
    open_image,
    pixels_only,
)

try:
    from PIL import ImageCms

    _SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
except (ImportError, OSError):  # a Pillow built without LittleCMS: colours left as they are
    ImageCms = None

PUBLIC_SIDE = 2048
PUBLIC_QUALITY = 85
THUMBNAIL_SIDE = 320
THUMBNAIL_QUALITY = 80
# How many photos one form takes at once (the nine squares of a phone's picker).
PHOTOS_AT_ONCE = 9
_EXTENSION = {JPEG: "jpg", PNG: "png", WEBP: "webp"}


@dataclass(frozen=True)
class CheckedPhoto:
    """A photo that passed the checks, with its copies drawn, not yet stored."""

    name: str
    original: bytes
    original_sha256: str
    original_kind: str
    image: bytes
    sha256: str
    width: int
    height: int
    thumbnail: bytes


# --- checking ---------------------------------------------------------------------------


def _read(file_or_bytes, name):
    """The name to speak of and the bytes of a file, an upload or bytes, within the limit."""
    limit = settings.PHOTO_MAX_BYTES
    if isinstance(file_or_bytes, bytes | bytearray | memoryview):
        name = os.path.basename(name or "") or _("the photo")
        data = bytes(file_or_bytes)
        size = len(data)
    else:
        name = os.path.basename(name or getattr(file_or_bytes, "name", "") or "") or _("the photo")
        size = getattr(file_or_bytes, "size", None)
        data = b""
        if size is None or size <= limit:
            if hasattr(file_or_bytes, "seek"):
                file_or_bytes.seek(0)
            data = file_or_bytes.read(limit + 1)
            size = size if size is not None else (len(data) if len(data) <= limit else None)
    if size is None:
        raise ValidationError(
            _("“{name}” is larger than {limit} MB, the most a photo may be.").format(
                name=name, limit=limit // MB
            )
        )
    if size > limit:
        raise ValidationError(
            _("“{name}” is {size} MB; it may be up to {limit} MB.").format(
                name=name, size="{:.1f}".format(size / MB), limit=limit // MB
            )
        )
    if not data:
        raise ValidationError(_("“{name}” is empty.").format(name=name))
    return name, data


def _kind(data, name):
    """The photo's real type; refuse what is not a photo we decode, or not what it is named."""
    kind = kind_of_content(data)
    extension = extension_of(name)
    if kind == HEIC or extension in ("heic", "heif"):
        raise ValidationError(
            _(
                "“{name}” is a HEIC photo, which cannot be read here. Set the phone's camera"
                " to “Most compatible” (JPEG), or send the photo as JPEG."
            ).format(name=name)
        )
    if kind not in IMAGE_KINDS:
        raise ValidationError(
            _("“{name}” is not a photo: JPEG, PNG or WebP pictures are accepted.").format(name=name)
        )
    if KIND_OF_EXTENSION.get(extension, kind) != kind:
        raise ValidationError(
            _("“{name}” is not a {kind} file inside; check that it is the right file.").format(
                name=name, kind=extension.upper()
            )
        )
    if holds_archive(data):
        raise ValidationError(
            _("“{name}” is a picture with an archive inside it and is refused.").format(name=name)
        )
    return kind


def _in_srgb(picture):
    """The picture as RGB (or grey) in sRGB, transparency laid on white."""
    profile = picture.info.get("icc_profile")
    if picture.mode in ("RGBA", "LA", "PA") or (
        picture.mode in ("P", "L", "RGB") and "transparency" in picture.info
    ):
        picture = picture.convert("RGBA")
        white = Image.new("RGBA", picture.size, (255, 255, 255, 255))
        picture = Image.alpha_composite(white, picture).convert("RGB")
    if profile and ImageCms is not None and picture.mode in ("RGB", "L", "CMYK"):
        # An unreadable profile leaves the colours as they are.
        with contextlib.suppress(ImageCms.PyCMSError, OSError, ValueError, TypeError):
            picture = ImageCms.profileToProfile(
                picture,
                ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                _SRGB,
                outputMode="L" if picture.mode == "L" else "RGB",
            )
    if picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    return picture


def _shrunk(picture, side):
    if max(picture.size) <= side:
        return picture
    smaller = picture.copy()
    smaller.thumbnail((side, side), Image.Resampling.LANCZOS)
    return smaller


def _jpeg(picture, quality):
    out = io.BytesIO()
    pixels_only(picture).save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


def check_photo(file_or_bytes, *, name=None):
    """Check a photo and draw its public copy and thumbnail; store nothing.

    ``file_or_bytes`` is an upload, an open file or bytes; ``name`` (else the file's
    own) is how messages speak of it. Returns a ``CheckedPhoto``; raises
    ``ValidationError`` whose message names the file.
    """
    name, data = _read(file_or_bytes, name)
    kind = _kind(data, name)
    picture = open_image(data, kind, name, draft_size=(PUBLIC_SIDE, PUBLIC_SIDE))
    try:
        public = _shrunk(_in_srgb(picture), PUBLIC_SIDE)
        image = _jpeg(public, PUBLIC_QUALITY)
        thumbnail = _jpeg(_shrunk(public, THUMBNAIL_SIDE), THUMBNAIL_QUALITY)
    except (OSError, ValueError) as exc:
        raise ValidationError(
            _("“{name}” is not a picture that can be opened; check the file.").format(name=name)
        ) from exc
    return CheckedPhoto(
        name=name,
        original=data,
        original_sha256=hashlib.sha256(data).hexdigest(),
        original_kind=kind,
        image=image,
        sha256=hashlib.sha256(image).hexdigest(),
        width=public.width,
        height=public.height,
        thumbnail=thumbnail,
    )


def check_photos(files):
    """Check several photos (a form's); raise one ``ValidationError`` naming every bad one."""
    files = list(files or ())
    if len(files) > PHOTOS_AT_ONCE:
        raise ValidationError(
            _("At most {count} photos may be sent at once.").format(count=PHOTOS_AT_ONCE)
        )
    checked, errors = [], []
    for item in files:
        try:
            checked.append(check_photo(item))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return checked


# --- storing -------------------------------------------------------------------------------


def public_name(sha256):
    return "photos/{}/{}.jpg".format(sha256[:2], sha256)


def thumbnail_name(sha256):
    return "photos/{}/{}.thumb.jpg".format(sha256[:2], sha256)


def original_name(sha256, kind):
    return "photos/{}/{}.{}".format(sha256[:2], sha256, _EXTENSION[kind])


def _keep(storage, name, content):
    """Write ``content`` as ``name`` unless it is there (the same bytes, by its hash)."""
    if storage.exists(name):
        return
    saved = storage.save(name, ContentFile(content))
    if saved != name:  # the same photo arrived twice at once: the other copy is kept
        storage.delete(saved)


def _account(by):
    """The account to record, or None (the system, an anonymous citizen)."""
    if by is None or by is SYSTEM or not getattr(by, "is_authenticated", False):
        return None
    return by


def store_photo(file_or_bytes, *, source, by=None, subject=None, role=PhotoRole.REPORT, name=None):
    """Keep a photo once and attach it to ``subject`` (if given) in ``role``; return the Photo.

    ``file_or_bytes`` is an upload, an open file, bytes or a ``CheckedPhoto``;
    ``source`` a ``PhotoSource``; ``by`` the user who sent it (None for an anonymous
    citizen, SYSTEM for a job). The same picture sent again (the same original, or one
    whose public copy is the same) is the same Photo: its first original is the one kept.
    Raises ``ValidationError`` naming the file when it is not a photo that may be kept.
    """
    if source not in PhotoSource.values:
        raise ValueError("unknown photo source: {!r}".format(source))
    checked = (
        file_or_bytes
        if isinstance(file_or_bytes, CheckedPhoto)
        else check_photo(file_or_bytes, name=name)
    )
    with transaction.atomic():
        photo = Photo.objects.filter(
            Q(sha256=checked.sha256) | Q(original_sha256=checked.original_sha256)
        ).first()
        if photo is None:
            originals = evidence_storage()
            _keep(default_storage, public_name(checked.sha256), checked.image)
            _keep(default_storage, thumbnail_name(checked.sha256), checked.thumbnail)
            stored_original = original_name(checked.original_sha256, checked.original_kind)
            _keep(originals, stored_original, checked.original)
            photo, _created = Photo.objects.get_or_create(
                sha256=checked.sha256,
                defaults={
                    "image": public_name(checked.sha256),
                    "thumbnail": thumbnail_name(checked.sha256),
                    "width": checked.width,
                    "height": checked.height,
                    "bytes": len(checked.image),
                    "original": stored_original,
                    "original_sha256": checked.original_sha256,
                    "original_bytes": len(checked.original),
                    "original_type": checked.original_kind,
                    "source": source,
                    "uploaded_by": _account(by),
                    "uploaded_at": timezone.now(),
                },
            )
        if subject is not None:
            attach_photo(photo, subject, role=role, source=source, by=by)
    return photo


def store_photos(files, *, source, by=None, subject=None, role=PhotoRole.REPORT):
    """Check every photo first (all errors at once, nothing kept), then store each."""
    checked = check_photos(files)
    with transaction.atomic():
        return [
            store_photo(item, source=source, by=by, subject=subject, role=role) for item in checked
        ]


def attach_photo(photo, subject, *, role, source, by=None):
    """Attach ``photo`` to ``subject`` in ``role``, once: attaching it again changes nothing.

    The attachment is written to the change log with the photo's hash, in the caller's
    transaction.
    """
    if role not in PhotoRole.values:
        raise ValueError("unknown photo role: {!r}".format(role))
    if subject.pk is None:
        raise ValueError("a photo is attached to a saved subject")
    with transaction.atomic():
        attachment, created = PhotoAttachment.objects.get_or_create(
            content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk,
            role=role,
            photo=photo,
            defaults={
                "source": source,
                "attached_by": _account(by),
                "attached_at": timezone.now(),
            },
        )
        if created:
            after = {**snapshot(attachment), "sha256": photo.sha256, "subject": str(subject)}
            record_changes(
                [Change(attachment, ChangeAction.CREATE, after=after)], actor=_account(by) or SYSTEM
            )
    return attachment


# --- reading -------------------------------------------------------------------------------


def attachments():
    """Attachments with their photo, in the order they were attached (for ``Prefetch``)."""
    return PhotoAttachment.objects.select_related("photo").order_by("pk")


def with_photos(lookup="photo_attachments"):
    """Prefetch a subject's attachments and photos in one query, however many subjects."""
    return Prefetch(lookup, queryset=attachments())


def photos_of(subject, role=None):
    """The attachments of ``subject`` (in ``role``, if given), each with its photo."""
    found = attachments().filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    )
    return found.filter(role=role) if role else found
