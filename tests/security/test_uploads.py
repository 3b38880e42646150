"""Evidence uploads that could harm: too large, hiding a location, running a script, two kinds
at once, not what their name says; and replaced evidence that stays on record."""

import io
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test.client import BOUNDARY, MULTIPART_CONTENT, FakePayload, encode_multipart
from PIL import Image

from tests.projects import conftest as projects_fixtures
from vanguard.audit.log import history_of
from vanguard.exchange.files import SizeLimitUploadHandler
from vanguard.projects.models import EvidenceFile, Milestone
from vanguard.projects.views import milestones as milestone_views

# The campaign and the lead unit's project of the projects tests.
plan = projects_fixtures.plan
fgj_project = projects_fixtures.fgj_project

PAGE = "/projects/p/XHA-0001/nodes/land_use/"
URL = PAGE + "evidence/"
MB = 1024 * 1024
PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
GPS_LATITUDE = 2  # EXIF GPSLatitude


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media):
    return sorted(p.name for p in media.rglob("*") if p.is_file()) if media.exists() else []


def land_use(project):
    return Milestone.objects.select_related("node").get(project=project, node__code="land_use")


def photo(fmt="JPEG", gps=True, size=(64, 48)):
    picture = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if gps:
        exif.get_ifd(0x8825).update({1: "N", GPS_LATITUDE: (36.0, 3.0, 15.5), 3: "E"})
    out = io.BytesIO()
    picture.save(out, format=fmt, exif=exif.tobytes())
    return out.getvalue()


def docx(marker="word/document.xml"):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(marker, "<document/>")
    return out.getvalue()


def zip_archive():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return out.getvalue()


def upload(client, name, content):
    return client.post(URL, {"evidence": SimpleUploadedFile(name, content), "replaces": ""})


def error_of(response):
    assert response.status_code in (200, 413), response.status_code
    return response.context["evidence_form"].errors["evidence"][0]


class CountingPayload(FakePayload):
    """A request body that remembers how much of it was read."""

    def __init__(self, content):
        super().__init__(content)
        self.read_bytes = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.read_bytes += len(chunk)
        return chunk


# --- size, while the file streams in ------------------------------------------------------


def test_a_body_declared_too_large_is_refused_unread_in_chinese(
    login, fgj_reporter, fgj_project, media
):
    client = login(fgj_reporter)
    body = encode_multipart(BOUNDARY, {"evidence": SimpleUploadedFile("大.pdf", PDF)})
    payload = CountingPayload(body)
    response = client.generic(
        "POST",
        URL,
        b"",
        content_type=MULTIPART_CONTENT,
        CONTENT_TYPE=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(300 * MB),
        **{"wsgi.input": payload},
    )
    assert response.status_code == 413
    message = error_of(response)
    assert "20 MB" in message and "超过" in message
    assert payload.read_bytes == 0
    assert stored_files(media) == [] and not land_use(fgj_project).evidence


def test_a_file_growing_past_20_mb_is_cut_off_while_streaming(
    login, fgj_reporter, fgj_project, media, monkeypatch
):
    # A body whose length passes the first check (or one sent without a true length)
    # is still stopped by the handler once the file passes 20 MB.
    monkeypatch.setattr(milestone_views, "declared_too_large", lambda request, limit: False)
    client = login(fgj_reporter)
    big = PDF + b"0" * (23 * MB)
    body = encode_multipart(
        BOUNDARY, {"replaces": "", "evidence": SimpleUploadedFile("大.pdf", big)}
    )
    payload = CountingPayload(body)
    response = client.generic(
        "POST",
        URL,
        b"",
        content_type=MULTIPART_CONTENT,
        CONTENT_TYPE=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(len(body)),
        **{"wsgi.input": payload},
    )
    assert "20 MB" in error_of(response)
    assert response.status_code == 413
    assert payload.read_bytes < 21 * MB < len(body)
    assert stored_files(media) == [] and not land_use(fgj_project).evidence


def test_the_handler_stops_reading_once_its_limit_is_passed(rf):
    body = encode_multipart(BOUNDARY, {"f": SimpleUploadedFile("a.pdf", b"x" * (3 * MB))})
    payload = CountingPayload(body)
    request = rf.get("/")
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    handler = SizeLimitUploadHandler(request, limit=MB)
    post, files = MultiPartParser(meta, payload, [handler]).parse()
    assert "f" not in files
    assert request.upload_too_large == MB
    assert payload.read_bytes < 2 * MB


def test_every_upload_has_a_site_wide_limit(settings):
    assert settings.FILE_UPLOAD_HANDLERS[0] == "vanguard.exchange.files.SizeLimitUploadHandler"
    assert 20 * MB <= settings.UPLOAD_MAX_BYTES <= 50 * MB


# --- pictures -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fmt, name", [("JPEG", "现场.jpg"), ("PNG", "现场.png"), ("WEBP", "现场.webp")]
)
def test_a_photo_is_stored_without_its_gps_position(
    login, fgj_reporter, fgj_project, media, fmt, name
):
    original = photo(fmt)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    response = upload(login(fgj_reporter), name, original)
    assert response.status_code == 302, error_of(response)
    stored = (media / land_use(fgj_project).evidence.name).read_bytes()
    picture = Image.open(io.BytesIO(stored))
    assert picture.format == fmt and picture.size == (64, 48)
    assert not picture.getexif() and b"PhoneMaker" not in stored and b"Exif" not in stored
    kept = EvidenceFile.objects.get(milestone=land_use(fgj_project))
    assert len(kept.sha256) == 64 and kept.size == len(stored)


def test_a_picture_with_an_archive_or_a_script_inside_is_neutralised(
    login, fgj_reporter, fgj_project, media
):
    client = login(fgj_reporter)
    png = photo("PNG", gps=False) + zip_archive()
    assert zipfile.is_zipfile(io.BytesIO(png))
    assert upload(client, "图.png", png).status_code == 302
    stored = (media / land_use(fgj_project).evidence.name).read_bytes()
    assert not zipfile.is_zipfile(io.BytesIO(stored)) and b"<script" not in stored

    jpeg = photo("JPEG", gps=False)
    jpeg = jpeg[:2] + b"\xff\xfe\x00\x23<html><script>alert(1)</script>\x00" + jpeg[2:]
    current = land_use(fgj_project).evidence.name
    response = client.post(
        URL, {"evidence": SimpleUploadedFile("图.jpg", jpeg), "replaces": current}
    )
    assert response.status_code == 302, error_of(response)
    stored = (media / land_use(fgj_project).evidence.name).read_bytes()
    assert b"<script" not in stored and b"<html" not in stored


def test_a_file_that_only_looks_like_a_picture_is_refused(login, fgj_reporter, fgj_project, media):
    broken = b"\x89PNG\r\n\x1a\n" + b"<script>alert(1)</script>" * 10
    assert "图" in error_of(upload(login(fgj_reporter), "图.png", broken))
    assert stored_files(media) == []


# --- PDFs that act on their own -----------------------------------------------------------


@pytest.mark.parametrize(
    "body, named",
    [
        (b"/OpenAction<</S/JavaScript/JS(app.alert(1))>>", "/JS"),
        (b"/OpenAction<</S/J#61vaScript/J#53 (app.alert(1))>>", "/JavaScript"),
        (b"/AA<</O<</S/Launch/F(cmd.exe)>>>>", "/Launch"),
        (b"/Names<</EmbeddedFiles 9 0 R>>", "/EmbeddedFiles"),
    ],
)
def test_a_pdf_with_scripts_or_actions_is_refused_with_a_message(
    login, fgj_reporter, fgj_project, media, body, named
):
    content = PDF.replace(b"/Type/Catalog", b"/Type/Catalog" + body)
    message = error_of(upload(login(fgj_reporter), "批复.pdf", content))
    assert named in message and "批复.pdf" in message
    assert stored_files(media) == [] and EvidenceFile.objects.count() == 0


def test_javascript_hidden_in_a_compressed_object_stream_is_found(
    login, fgj_reporter, fgj_project, media
):
    hidden = zlib.compress(b"3 0 <</S/JavaScript/JS(app.alert(1))>>")
    content = PDF.replace(
        b"trailer",
        b"4 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>stream\n" % len(hidden)
        + hidden
        + b"\nendstream endobj\ntrailer",
    )
    assert b"JavaScript" not in content
    assert "/JavaScript" in error_of(upload(login(fgj_reporter), "批复.pdf", content))


def test_a_plain_pdf_with_compressed_pages_is_accepted(login, fgj_reporter, fgj_project, media):
    page = zlib.compress(b"BT /F1 12 Tf (JS AA Launch) Tj ET /JS /AA")
    content = PDF.replace(
        b"trailer",
        b"5 0 obj<</Length %d/Filter/FlateDecode>>stream\n" % len(page)
        + page
        + b"\nendstream endobj\ntrailer",
    )
    response = upload(login(fgj_reporter), "批复.pdf", content)
    assert response.status_code == 302, error_of(response)
    assert (media / land_use(fgj_project).evidence.name).read_bytes() == content


# --- two kinds at once, or not what the name says -----------------------------------------


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("批复.pdf", PDF + b"%" * 2000 + zip_archive(), "压缩"),
        ("批复.pdf", b"<html><script>alert(1)</script>" + b" " * 2000 + PDF, "PDF"),
        ("批复.pdf", b"\x00" * 1500 + PDF, "PDF"),
        ("现场.jpg", photo("PNG"), "JPG"),
        ("现场.png", photo("JPEG"), "PNG"),
        ("批复.docx", zip_archive(), "DOCX"),
        ("台账.xlsx", docx(), "XLSX"),
        ("批复.ofd", docx(), "OFD"),
        ("批复.docx", b"PK\x03\x04" + b"\x00" * 64, "DOCX"),
        ("说明.pdf", b"%PDF-1.7\n<html><script>alert(1)</script>", "网页"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_or_is_two_kinds_is_refused(
    login, fgj_reporter, fgj_project, media, name, content, words
):
    message = error_of(upload(login(fgj_reporter), name, content))
    assert words in message, message
    assert stored_files(media) == [] and not land_use(fgj_project).evidence


@pytest.mark.parametrize(
    "name, content",
    [("批复.docx", docx()), ("台账.xlsx", docx("xl/workbook.xml")), ("批复.ofd", docx("OFD.xml"))],
)
def test_office_and_ofd_files_with_their_parts_are_accepted(
    login, fgj_reporter, fgj_project, media, name, content
):
    response = upload(login(fgj_reporter), name, content)
    assert response.status_code == 302, error_of(response)


# --- a replaced file stays on record ------------------------------------------------------


def test_a_replaced_file_is_kept_and_downloadable_from_the_node_history(
    login, client, fgj_reporter, office_clerk, leader, hdjd_reporter, fgj_project, media
):
    own = login(fgj_reporter)
    assert upload(own, "甲.pdf", PDF).status_code == 302
    first = land_use(fgj_project).evidence.name
    second_pdf = PDF.replace(b"1.7", b"1.6")
    response = own.post(
        URL, {"evidence": SimpleUploadedFile("乙.pdf", second_pdf), "replaces": first}
    )
    assert response.status_code == 302

    milestone = land_use(fgj_project)
    assert milestone.evidence.name.endswith("乙.pdf")
    old, new = EvidenceFile.objects.filter(milestone=milestone).order_by("pk")
    assert old.file.name == first and old.replaced_at is not None
    assert new.file.name == milestone.evidence.name and new.replaced_at is None
    assert old.uploaded_by == fgj_reporter and len(old.sha256) == 64 and old.sha256 != new.sha256
    assert stored_files(media) == ["XHA-0001-land_use-乙.pdf", "XHA-0001-land_use-甲.pdf"]

    replaced = history_of(old)[0]
    assert replaced.after["replaced_at"] and not replaced.before["replaced_at"]
    created = history_of(new)[0]
    assert created.after["sha256"] == new.sha256 and created.actor_name == "reporter_fgj"
    assert history_of(milestone)[0].after["evidence"] == milestone.evidence.name

    client.logout()
    history_link = "{}{}/".format(URL, old.pk)
    for user in (leader, office_clerk):
        page = login(user).get(PAGE).content.decode()
        assert history_link in page and "XHA-0001-land_use-甲.pdf" in page
        download = client.get(history_link)
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
        assert download["Content-Disposition"].startswith("attachment")
        assert download["X-Content-Type-Options"] == "nosniff"
        current = client.get(URL)
        assert b"".join(current.streaming_content) == second_pdf
        assert current["X-Content-Type-Options"] == "nosniff"
        client.logout()
    assert login(hdjd_reporter).get(history_link).status_code == 404
    client.logout()
    assert client.get(history_link).status_code == 302


def test_a_history_link_of_another_node_finds_nothing(login, fgj_reporter, fgj_project, media):
    own = login(fgj_reporter)
    assert upload(own, "甲.pdf", PDF).status_code == 302
    kept = EvidenceFile.objects.get()
    other = "/projects/p/XHA-0001/nodes/project_approval/evidence/{}/".format(kept.pk)
    assert own.get(other).status_code == 404


def test_the_api_lists_and_serves_the_evidence_history(
    client, fgj_reporter, leader, hdjd_reporter, fgj_project, media
):
    from vanguard.accounts.tokens import do_create_token

    def bearer(user):
        return {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(user.username)}

    api = "/api/v1/projects/XHA-0001/milestones/land_use/evidence"
    first = client.post(
        api, {"file": SimpleUploadedFile("甲.jpg", photo())}, **bearer(fgj_reporter)
    )
    assert first.status_code == 200, first.content
    replaced = client.post(
        api,
        {"file": SimpleUploadedFile("乙.pdf", PDF), "replaces": first.json()["evidence"]},
        **bearer(fgj_reporter),
    )
    assert replaced.status_code == 200
    files = client.get(api + "/files", **bearer(leader)).json()
    assert [f["file"].rpartition("-")[2] for f in files] == ["乙.pdf", "甲.jpg"]
    assert files[0]["replaced_at"] is None and files[1]["replaced_at"]
    assert files[1]["uploaded_by"] == "reporter_fgj" and len(files[1]["sha256"]) == 64
    old = client.get("{}/files/{}".format(api, files[1]["id"]), **bearer(leader))
    stored = b"".join(old.streaming_content)
    assert old["X-Content-Type-Options"] == "nosniff" and b"PhoneMaker" not in stored
    assert Image.open(io.BytesIO(stored)).format == "JPEG"
    assert client.get(api + "/files", **bearer(hdjd_reporter)).status_code == 404
    other = "{}/files/{}".format(api, files[1]["id"]).replace("land_use", "project_approval")
    assert client.get(other, **bearer(leader)).status_code == 404


def test_a_picture_claiming_a_huge_size_is_refused_before_it_is_decoded(
    login, fgj_reporter, fgj_project, media
):
    png = bytearray(photo("PNG", gps=False))
    # IHDR: width and height right after the 8-byte signature, length and type.
    png[16:24] = (40000).to_bytes(4, "big") + (40000).to_bytes(4, "big")
    png[29:33] = zlib.crc32(bytes(png[12:29])).to_bytes(4, "big")
    message = error_of(upload(login(fgj_reporter), "巨图.png", bytes(png)))
    assert "巨图.png" in message and "像素" in message
    assert stored_files(media) == []


def test_the_upload_still_checks_the_csrf_token(fgj_reporter, fgj_project, media):
    from django.test import Client

    from tests.conftest import PASSWORD

    browser = Client(enforce_csrf_checks=True)
    login_page = browser.get("/login/")
    assert login_page.status_code == 200
    token = browser.cookies["csrftoken"].value
    assert (
        browser.post(
            "/login/",
            {"username": fgj_reporter.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        ).status_code
        == 302
    )
    browser.get(PAGE)
    token = browser.cookies["csrftoken"].value
    forged = browser.post(URL, {"evidence": SimpleUploadedFile("甲.pdf", PDF), "replaces": ""})
    assert forged.status_code == 403 and stored_files(media) == []
    sent = browser.post(
        URL,
        {
            "csrfmiddlewaretoken": token,
            "replaces": "",
            "evidence": SimpleUploadedFile("甲.pdf", PDF),
        },
    )
    assert sent.status_code == 302
    assert stored_files(media) == ["XHA-0001-land_use-甲.pdf"]
