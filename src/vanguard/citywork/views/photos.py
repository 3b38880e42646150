"""Serving city work's photos: the public copy and thumbnail to anyone, the original to few.

A public copy's address is its content's SHA-256, so what it names never changes:
browsers and proxies keep it for a year without asking again. The original leaves only
as a download for those ``org.access.may_read_photo_originals`` lets in, never cached.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from vanguard.citywork.models import Photo
from vanguard.org import access

FOREVER = "public, max-age=31536000, immutable"
_MIME = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def _open(field_file):
    try:
        return field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None


def _public(request, digest, field, tag):
    etag = '"{}{}"'.format(digest, tag)
    photo = get_object_or_404(Photo.objects.only(field), sha256=digest)
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(_open(getattr(photo, field)), content_type="image/jpeg")
        response["Content-Disposition"] = 'inline; filename="{}{}.jpg"'.format(digest, tag)
    response["ETag"] = etag
    response["Cache-Control"] = FOREVER
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def photo(request, digest):
    """The public copy (no metadata, at most 2048 px), to anyone who has its address."""
    return _public(request, digest, "image", "")


@require_safe
def photo_thumbnail(request, digest):
    """The 320 px thumbnail, for lists and maps."""
    return _public(request, digest, "thumbnail", ".thumb")


@login_required
@require_safe
def photo_original(request, digest):
    """The original as it came, with its EXIF: the office and the city-work task force."""
    access.require_read_photo_originals(request.user)
    photo = get_object_or_404(Photo, sha256=digest)
    response = FileResponse(
        _open(photo.original),
        as_attachment=True,
        filename="{}.{}".format(digest, photo.original.name.rpartition(".")[2]),
        content_type=_MIME.get(photo.original_type, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
