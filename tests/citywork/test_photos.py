"""The photo store of city work, through the inspection form: what is published carries
nothing of the phone, the original stays for the office and the task force, a file that
is not a photo is refused by name, and the same photo is kept once."""

import io
import os

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.citywork.conftest import signed_in, token_client
from tests.citywork.photo_files import (
    GPS_IFD,
    has_metadata,
    phone_photo,
    plain,
    with_archive,
)
from vanguard.audit.models import ChangeEntry
from vanguard.citywork.choices import PhotoRole, PhotoSource
from vanguard.citywork.models import Inspection, Photo, PhotoAttachment
from vanguard.citywork.photos import photos_of, store_photo
from vanguard.core.actors import SYSTEM

pytestmark = pytest.mark.django_db

ZONE_PAGE = "/city/places/p/SFQ-01/"
ROAD_PAGE = "/city/places/p/JPDL-01/"


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    """Where the public copies (MEDIA_ROOT) and the originals (EVIDENCE_ROOT) go."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return tmp_path


def files_under(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def inspect(client, page, *photos, day="2026-06-01"):
    """Record an inspection through the place's form, with ``photos`` as (name, bytes)."""
    return client.post(
        page + "inspect/",
        {
            "campaign": "xihaian-2026",
            "inspected_on": day,
            "inspectors": "郑专班",
            "met": [],
            "remarks": "路面整洁",
            "photos": [SimpleUploadedFile(name, content) for name, content in photos],
        },
    )


def photo_error(response):
    assert response.status_code == 400, response.status_code
    return " ".join(response.context["inspection_form"].errors["photos"])


def test_the_form_offers_the_phone_camera_to_those_who_inspect(places):
    page = signed_in(places["tf_citywork"]).get(ZONE_PAGE).content.decode()
    form = page.split('id="inspection-form"')[1].split("</form>")[0]
    assert 'enctype="multipart/form-data"' in page.split('id="inspection-form"')[0][-300:]
    assert 'accept="image/*" capture="environment"' in form
    assert "multiple" in form and "拍照" in form and "9 张" in form
    # Whoever may not inspect has no form at all.
    page = signed_in(places["leader"]).get(ZONE_PAGE).content.decode()
    assert 'id="inspection-form"' not in page


def test_a_phone_photo_is_published_without_its_position_and_kept_whole_as_evidence(
    places, storage
):
    original = phone_photo()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)
    response = inspect(signed_in(places["tf_citywork"]), ZONE_PAGE, ("现场.jpg", original))
    assert response.status_code == 302, response.content.decode()[:2000]

    photo = Photo.objects.get()
    attachment = PhotoAttachment.objects.get()
    assert attachment.subject == Inspection.objects.get()
    assert (attachment.role, attachment.source) == ("inspection", "inspection")
    assert photo.uploaded_by == places["tf_citywork"] == attachment.attached_by
    public = (storage / "media" / photo.image.name).read_bytes()
    thumbnail = (storage / "media" / photo.thumbnail.name).read_bytes()
    # The copies shown carry nothing of the phone: no EXIF, GPS, XMP, profile or comment.
    assert has_metadata(public) == [] and has_metadata(thumbnail) == []
    assert photo.image.name == "photos/{}/{}.jpg".format(photo.sha256[:2], photo.sha256)
    assert (photo.width, photo.height, photo.bytes) == (64, 48, len(public))
    # The original is kept as it came, outside MEDIA_ROOT, with its position.
    kept = storage / "evidence" / photo.original.name
    assert kept.read_bytes() == original and photo.original_sha256 in kept.name
    assert files_under(storage / "media") == sorted(
        [photo.sha256 + ".jpg", photo.sha256 + ".thumb.jpg"]
    )
    assert not list((storage / "media").rglob(photo.original_sha256 + "*"))

    # The place's page shows the thumbnail, linking to the public copy, to whoever sees it.
    for role in ("office", "leader", "tf_citywork", "reporter_hdjd", "dual"):
        client = signed_in(places[role])
        page = client.get(ZONE_PAGE).content.decode()
        row = page.split('data-inspection="{}"'.format(attachment.object_id))[1].split("</tr>")[0]
        assert 'href="{}"'.format(photo.url) in row and photo.thumbnail_url in row, role
        assert (photo.original_url in row) == (role in ("office", "tf_citywork", "dual")), role


def test_the_public_copy_opens_to_anyone_and_is_kept_by_caches(places):
    inspect(signed_in(places["office"]), ZONE_PAGE, ("现场.jpg", phone_photo()))
    photo = Photo.objects.get()
    from django.test import Client

    for url in (photo.url, photo.thumbnail_url):
        response = Client().get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert has_metadata(b"".join(response.streaming_content)) == []
        again = Client().get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304
    # An address of no photo finds nothing, and a malformed one no route.
    assert Client().get(photo.url.replace(photo.sha256, "0" * 64)).status_code == 404
    assert Client().get("/city/photos/{}.jpg".format(photo.sha256[:63])).status_code == 404


def test_the_original_opens_only_to_the_office_and_the_city_work_task_force(places):
    original = phone_photo()
    inspect(signed_in(places["tf_citywork"]), ROAD_PAGE, ("现场.jpg", original))
    url = Photo.objects.get().original_url
    for role in ("office", "tf_citywork", "dual"):
        response = signed_in(places[role]).get(url)
        assert response.status_code == 200, role
        content = b"".join(response.streaming_content)
        assert content == original and Image.open(io.BytesIO(content)).getexif().get_ifd(GPS_IFD)
        assert "attachment" in response["Content-Disposition"]
        assert response["Cache-Control"] == "private, no-store"
    for role in ("leader", "inspector", "tf_projects", "reporter_hdjd", "reporter_zjj"):
        assert signed_in(places[role]).get(url).status_code == 403, role
    from django.test import Client

    assert "/login/" in Client().get(url)["Location"]


def test_a_large_photo_is_turned_upright_and_shrunk_to_2048_pixels(places, storage):
    # Taken sideways (EXIF orientation 6: the phone was held upright).
    original = phone_photo((3000, 1000), orientation=6)
    response = inspect(signed_in(places["office"]), ZONE_PAGE, ("IMG_0001.JPG", original))
    assert response.status_code == 302, photo_error(response)
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (683, 2048)
    public = Image.open(storage / "media" / photo.image.name)
    thumbnail = Image.open(storage / "media" / photo.thumbnail.name)
    assert public.size == (683, 2048) and public.format == "JPEG"
    assert max(thumbnail.size) == 320 and thumbnail.size[1] == 320


def test_png_and_webp_become_jpeg_copies_without_metadata(places, storage):
    client = signed_in(places["office"])
    response = inspect(
        client,
        ZONE_PAGE,
        ("现场.png", phone_photo(fmt="PNG")),
        ("现场.webp", phone_photo(fmt="WEBP", colour=(10, 200, 30))),
        ("透明.png", plain("PNG", mode="RGBA")),
    )
    assert response.status_code == 302, photo_error(response)
    assert Photo.objects.count() == 3
    for photo in Photo.objects.all():
        public = (storage / "media" / photo.image.name).read_bytes()
        assert Image.open(io.BytesIO(public)).format == "JPEG"
        assert has_metadata(public) == []
    # Transparency is laid on white, not black.
    clear = Photo.objects.get(original_type="png", width=40)
    assert Image.open(storage / "media" / clear.image.name).getpixel((5, 5)) == (255, 255, 255)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("现场.jpg", plain("PNG"), "不是 JPG"),  # a PNG named .jpg
        ("现场.jpg", os.urandom(4096), "不是照片"),  # garbage named .jpg
        ("现场.jpg", b"\xff\xd8\xff\xe0" + b"<script>alert(1)</script>" * 20, "打开"),
        ("现场.jpg", with_archive(phone_photo()), "压缩包"),  # a photo and an archive at once
        ("IMG_0002.HEIC", b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 200, "HEIC"),
        ("说明.pdf", b"%PDF-1.7\n%%EOF\n", "不是照片"),
        ("空.jpg", b"", "空文件"),
    ],
)
def test_what_is_not_a_photo_is_refused_by_name_and_nothing_is_kept(
    places, storage, name, content, words
):
    response = inspect(
        signed_in(places["tf_citywork"]), ZONE_PAGE, ("好照片.jpg", phone_photo()), (name, content)
    )
    message = photo_error(response)
    assert name in message and words in message, message
    assert "好照片.jpg" not in message
    assert not Inspection.objects.exists() and not Photo.objects.exists()
    assert files_under(storage) == []


def test_a_photo_past_the_limit_or_with_too_many_pixels_is_refused(places, settings, storage):
    settings.PHOTO_MAX_BYTES = 1024 * 1024
    noise = Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3))
    out = io.BytesIO()
    noise.save(out, format="PNG")
    assert len(out.getvalue()) > 1024 * 1024
    client = signed_in(places["tf_citywork"])
    message = photo_error(inspect(client, ZONE_PAGE, ("噪点.png", out.getvalue())))
    assert "噪点.png" in message and "最大允许 1 MB" in message
    # A small file may claim an enormous picture: refused before it is decoded.
    png = bytearray(plain("PNG"))
    png[16:24] = (40000).to_bytes(4, "big") + (40000).to_bytes(4, "big")
    import zlib

    png[29:33] = zlib.crc32(bytes(png[12:29])).to_bytes(4, "big")
    message = photo_error(inspect(client, ZONE_PAGE, ("巨图.png", bytes(png))))
    assert "巨图.png" in message and "像素" in message
    assert files_under(storage) == []


def test_more_photos_than_a_form_takes_are_refused(places):
    photos = [("{}.png".format(i), plain("PNG", size=(10 + i, 10))) for i in range(10)]
    message = photo_error(inspect(signed_in(places["tf_citywork"]), ZONE_PAGE, *photos))
    assert "最多上传 9 张" in message
    assert not Inspection.objects.exists()


def test_a_body_past_the_site_wide_limit_is_cut_off_and_said_so(places, settings, storage):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    noise = Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3))
    out = io.BytesIO()
    noise.save(out, format="PNG")
    response = inspect(signed_in(places["tf_citywork"]), ZONE_PAGE, ("大.png", out.getvalue()))
    assert response.status_code == 413
    assert "1 MB" in " ".join(response.context["inspection_form"].errors["photos"])
    assert not Inspection.objects.exists() and files_under(storage) == []


def test_the_same_photo_twice_is_kept_once_and_attached_to_each_inspection(places, storage):
    photo = phone_photo()
    client = signed_in(places["tf_citywork"])
    assert inspect(client, ZONE_PAGE, ("一.jpg", photo), day="2026-06-01").status_code == 302
    assert inspect(client, ZONE_PAGE, ("二.jpg", photo), day="2026-06-02").status_code == 302
    # The same photo twice in one form is attached once.
    assert inspect(client, ROAD_PAGE, ("三.jpg", photo), ("三.jpg", photo)).status_code == 302
    stored = Photo.objects.get()
    assert stored.attachments.count() == 3
    assert sorted(stored.attachments.values_list("object_id", flat=True)) == sorted(
        Inspection.objects.values_list("pk", flat=True)
    )
    assert len(files_under(storage / "media")) == 2 and len(files_under(storage / "evidence")) == 1
    # Every attachment is in the change log with the photo's hash.
    logged = ChangeEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(PhotoAttachment)
    )
    assert logged.count() == 3 and all(e.after["sha256"] == stored.sha256 for e in logged)


def test_the_store_is_the_one_door_for_every_source(places, storage):
    """Later callers (the citizen page, Open311, patrols) send bytes or files the same way."""
    inspection_page = inspect(signed_in(places["office"]), ZONE_PAGE)
    assert inspection_page.status_code == 302
    inspection = Inspection.objects.get()
    assert not photos_of(inspection).exists()
    data = phone_photo(colour=(1, 2, 3))
    photo = store_photo(data, source=PhotoSource.OPEN311, name="media_url.jpg")
    assert photo.uploaded_by is None and photo.source == "open311"
    assert not photo.attachments.exists()
    again = store_photo(
        io.BytesIO(data), source=PhotoSource.PATROL, by=SYSTEM, subject=inspection, role="before"
    )
    assert again == photo
    store_photo(data, source=PhotoSource.PATROL, subject=inspection, role=PhotoRole.BEFORE)
    store_photo(data, source=PhotoSource.PATROL, subject=inspection, role=PhotoRole.AFTER)
    assert [a.role for a in photos_of(inspection)] == ["before", "after"]
    assert [a.photo for a in photos_of(inspection, "after")] == [photo]
    public = (storage / "media" / photo.image.name).read_bytes()
    assert has_metadata(public) == []
    with pytest.raises(ValueError):
        store_photo(data, source="wechat")


def test_the_api_lists_an_inspections_photos(places):
    inspect(signed_in(places["tf_citywork"]), ZONE_PAGE, ("现场.jpg", phone_photo()))
    photo = Photo.objects.get()
    response = token_client(places["reporter_hdjd"]).get(
        "/api/v1/city-places/SFQ-01/inspections?campaign=xihaian-2026"
    )
    assert response.status_code == 200
    [listed] = response.json()[0]["photos"]
    assert listed == {
        "sha256": photo.sha256,
        "url": photo.url,
        "thumbnail_url": photo.thumbnail_url,
        "width": 64,
        "height": 48,
        "role": "inspection",
    }


def test_the_originals_may_not_be_kept_in_a_served_folder(settings, tmp_path):
    from vanguard.citywork.checks import check_evidence_root

    assert check_evidence_root() == []
    settings.EVIDENCE_ROOT = tmp_path / "media" / "evidence"
    [error] = check_evidence_root()
    assert error.id == "vanguard.E009" and "MEDIA_ROOT" in error.msg
