"""Photos as phones make them, for the tests that send them through the doors."""

import io
import zipfile

from PIL import Image, ImageCms

GPS_IFD = 0x8825
MAKE, ORIENTATION = 0x010F, 0x0112
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
    b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="36,3.25N"/>'
    b"</rdf:RDF></x:xmpmeta>"
)
COMMENT = b"taken by 13900000001 at home"
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def phone_photo(size=(64, 48), *, orientation=1, fmt="JPEG", colour=(200, 120, 40)):
    """A photo with everything a phone puts in it: EXIF with GPS and the make, XMP, an
    ICC profile and (JPEG) a comment."""
    picture = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[MAKE] = "PhoneMaker"
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (36.0, 3.0, 15.5), 3: "E", 4: (120.0, 11.0, 2.0)})
    options = {"exif": exif.tobytes(), "icc_profile": SRGB}
    if fmt == "JPEG":
        options.update(xmp=XMP, comment=COMMENT)
    out = io.BytesIO()
    picture.save(out, format=fmt, **options)
    return out.getvalue()


def plain(fmt="PNG", size=(40, 30), mode="RGB"):
    picture = Image.new(mode, size)
    out = io.BytesIO()
    picture.save(out, format=fmt)
    return out.getvalue()


def with_archive(data):
    """``data`` with a zip archive after it: a picture to a viewer, files to an unzipper."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return data + out.getvalue()


def has_metadata(data):
    """What of a phone's metadata is left in ``data``, by Pillow and by the raw bytes."""
    picture = Image.open(io.BytesIO(data))
    found = [key for key in ("exif", "icc_profile", "xmp", "comment") if picture.info.get(key)]
    if picture.getexif():
        found.append("getexif")
    for raw in (b"Exif", b"GPS", b"PhoneMaker", b"xmpmeta", b"ICC_PROFILE", COMMENT):
        if raw in data:
            found.append(raw.decode())
    return found
