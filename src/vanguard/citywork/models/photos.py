"""The one photo store of city work: each picture kept once, attached to any subject.

A photo is stored once however often it arrives (its public copy's SHA-256 is its key)
and attached to as many subjects as show it: an inspection of a place, a case, a
volunteer activity, each in a role (as reported, before, after). Three files belong to
it. The public copy (at most 2048 px, re-encoded as JPEG, no metadata) and its thumbnail
live in the default storage under the hash, and anyone with the address may read them.
The original, as the phone took it, with its EXIF (time, position, phone), is kept in a
storage of its own outside MEDIA_ROOT (``EVIDENCE_ROOT``) and read only through a view
that checks ``org.access.may_read_photo_originals``.

Writes go through ``vanguard.citywork.photos.store_photo``; nothing else makes a photo.
"""

import os

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vanguard.citywork.choices import PhotoRole, PhotoSource


class EvidenceStorage(FileSystemStorage):
    """Files kept as evidence under ``settings.EVIDENCE_ROOT``: they have no address.

    The folder is read from the settings at each use, so a test (or a deployment that
    moves it) needs no new storage. ``url`` refuses: such a file leaves only through a
    view that checks who asks.
    """

    def __init__(self):
        super().__init__()

    @property
    def base_location(self):
        return settings.EVIDENCE_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Evidence files have no address; serve them through a view.")


_EVIDENCE_STORAGE = EvidenceStorage()


def evidence_storage():
    """The storage of originals (a callable, so migrations name it rather than a folder)."""
    return _EVIDENCE_STORAGE


class Photo(models.Model):
    """One picture: its public copy and thumbnail (stripped), and its original (evidence)."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    image = models.FileField(_("public copy"), max_length=255)
    thumbnail = models.FileField(_("thumbnail"), max_length=255)
    width = models.PositiveIntegerField(_("width (px)"))
    height = models.PositiveIntegerField(_("height (px)"))
    bytes = models.PositiveIntegerField(_("size (bytes)"))
    original = models.FileField(_("original"), storage=evidence_storage, max_length=255)
    original_sha256 = models.CharField(_("SHA-256 of the original"), max_length=64)
    original_bytes = models.PositiveIntegerField(_("size of the original (bytes)"))
    original_type = models.CharField(_("type of the original"), max_length=8)
    source = models.CharField(_("source"), max_length=16, choices=PhotoSource)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["original_sha256"], name="photo_original_sha256")]

    def __str__(self):
        return self.sha256[:12]

    def get_absolute_url(self):
        return self.url

    @property
    def url(self):
        """The public copy's stable address."""
        return reverse("citywork:photo", args=[self.sha256])

    @property
    def thumbnail_url(self):
        return reverse("citywork:photo_thumbnail", args=[self.sha256])

    @property
    def original_url(self):
        """The original's address: it opens only for those who may read originals."""
        return reverse("citywork:photo_original", args=[self.sha256])


class PhotoAttachment(models.Model):
    """A photo attached to a subject (an inspection, a case, an activity) in a role."""

    photo = models.ForeignKey(
        Photo, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("photo")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    role = models.CharField(_("kind of photo"), max_length=16, choices=PhotoRole)
    source = models.CharField(_("source"), max_length=16, choices=PhotoSource)
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attached by"),
    )
    attached_at = models.DateTimeField(_("attached at"))

    class Meta:
        verbose_name = _("attached photo")
        verbose_name_plural = _("attached photos")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "role", "photo"], name="photo_attached_once"
            )
        ]

    def __str__(self):
        return "{} {}".format(self.get_role_display(), self.photo_id)
