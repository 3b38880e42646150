"""Evidence (证明材料) of a key node: who uploads it, what is accepted, who downloads it."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from vanguard.accounts.tokens import do_create_token
from vanguard.audit.log import history_of
from vanguard.projects import actions
from vanguard.projects.actions import do_attach_milestone_evidence
from vanguard.projects.models import Milestone

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _picture(fmt):
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 20, 30)).save(out, format=fmt)
    return out.getvalue()


def _docx():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


PNG = _picture("PNG")
JPEG = _picture("JPEG")
DOCX = _docx()
URL = "/projects/p/XHA-0001/nodes/land_use/evidence/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media):
    return sorted(p.name for p in media.rglob("*") if p.is_file()) if media.exists() else []


def land_use(project):
    return Milestone.objects.select_related("node").get(project=project, node__code="land_use")


def pdf(name="用地批复.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def bearer(user):
    return {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(user.username)}


# --- uploading ----------------------------------------------------------------------------


def test_the_lead_units_reporter_uploads_a_pdf_from_the_node_page(
    login, fgj_reporter, fgj_project, media
):
    client = login(fgj_reporter)
    page = client.get("/projects/p/XHA-0001/nodes/land_use/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    response = client.post(URL, {"evidence": pdf(), "replaces": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    milestone = land_use(fgj_project)
    assert milestone.evidence.name.startswith("evidence/")
    assert milestone.evidence.name.endswith("XHA-0001-land_use-用地批复.pdf")
    assert (media / milestone.evidence.name).read_bytes() == PDF
    entry = history_of(milestone)[0]
    assert entry.actor_name == "reporter_fgj"
    assert (entry.before["evidence"], entry.after["evidence"]) == ("", milestone.evidence.name)
    page = client.get("/projects/p/XHA-0001/nodes/land_use/").content.decode()
    assert "XHA-0001-land_use-用地批复.pdf" in page and URL in page
    assert URL in client.get("/projects/p/XHA-0001/").content.decode()


@pytest.mark.parametrize(
    "name, content",
    [("现场照片.jpg", JPEG), ("现场.png", PNG), ("批复.docx", DOCX)],
)
def test_images_and_office_files_are_accepted(fgj_project, office_clerk, name, content):
    upload = SimpleUploadedFile(name, content)
    milestone = do_attach_milestone_evidence(land_use(fgj_project), upload, actor=office_clerk)
    assert milestone.evidence.name.endswith(name)


def test_the_task_force_may_upload_and_others_may_not(
    fgj_project, projects_member, leader, hdjd_reporter
):
    do_attach_milestone_evidence(land_use(fgj_project), pdf(), actor=projects_member)
    for outsider in (leader, hdjd_reporter):
        with pytest.raises(PermissionDenied):
            do_attach_milestone_evidence(land_use(fgj_project), pdf("另一份.pdf"), actor=outsider)
    assert land_use(fgj_project).evidence.name.endswith("用地批复.pdf")


def test_pages_refuse_uploads_from_a_leader_and_another_units_reporter(
    login, client, leader, hdjd_reporter, fgj_project, media
):
    own = login(leader)
    assert (
        'enctype="multipart/form-data"'
        not in own.get("/projects/p/XHA-0001/nodes/land_use/").content.decode()
    )
    assert own.post(URL, {"evidence": pdf()}).status_code == 403
    client.logout()
    assert login(hdjd_reporter).post(URL, {"evidence": pdf()}).status_code == 404
    assert stored_files(media) == []


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("说明.html", b"<html><script>alert(1)</script></html>", "说明.html"),
        ("setup.exe", b"MZ\x90\x00", "setup.exe"),
        ("批复.pdf", PNG, "PDF"),
        ("空文件.pdf", b"", "空文件"),
    ],
)
def test_a_file_of_the_wrong_kind_is_refused_at_the_field(
    login, fgj_reporter, fgj_project, media, name, content, words
):
    response = login(fgj_reporter).post(URL, {"evidence": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    errors = response.context["evidence_form"].errors["evidence"]
    assert words in errors[0]
    assert stored_files(media) == []
    assert not land_use(fgj_project).evidence


def test_a_file_over_20_mb_is_refused_with_its_size(fgj_project, fgj_reporter, media):
    big = pdf("扫描件.pdf", PDF + b"\x00" * (20 * 1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        do_attach_milestone_evidence(land_use(fgj_project), big, actor=fgj_reporter)
    message = refused.value.message_dict["evidence"][0]
    assert "扫描件.pdf" in message and "20.0" in message and "20" in message
    assert stored_files(media) == []
    assert actions.EVIDENCE_MAX_BYTES == 20 * 1024 * 1024


def test_an_upload_made_meanwhile_is_not_silently_replaced(
    login, fgj_reporter, office_clerk, fgj_project, media
):
    client = login(fgj_reporter)
    form = client.get("/projects/p/XHA-0001/nodes/land_use/").context["evidence_form"]
    assert form.initial["replaces"] == ""
    first = do_attach_milestone_evidence(land_use(fgj_project), pdf("甲.pdf"), actor=office_clerk)
    response = client.post(URL, {"evidence": pdf("乙.pdf"), "replaces": ""})
    assert response.status_code == 200
    assert "甲.pdf" in response.content.decode()
    assert land_use(fgj_project).evidence.name == first.evidence.name
    assert stored_files(media) == ["XHA-0001-land_use-甲.pdf"]


def test_replacing_evidence_keeps_the_old_file_and_logs_both_names(
    fgj_project, fgj_reporter, office_clerk, media
):
    first = do_attach_milestone_evidence(land_use(fgj_project), pdf("甲.pdf"), actor=office_clerk)
    second = do_attach_milestone_evidence(
        land_use(fgj_project), pdf("乙.pdf"), actor=fgj_reporter, replaces=first.evidence.name
    )
    entry = history_of(second)[0]
    assert (entry.before["evidence"], entry.after["evidence"]) == (
        first.evidence.name,
        second.evidence.name,
    )
    assert stored_files(media) == ["XHA-0001-land_use-乙.pdf", "XHA-0001-land_use-甲.pdf"]


# --- downloading --------------------------------------------------------------------------


def test_anyone_who_sees_the_project_downloads_the_evidence(
    login, client, leader, fgj_reporter, office_clerk, fgj_project
):
    do_attach_milestone_evidence(land_use(fgj_project), pdf(), actor=office_clerk)
    for user in (leader, fgj_reporter):
        response = login(user).get(URL)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment")
        assert "private" in response["Cache-Control"]
        client.logout()


def test_another_units_reporter_and_strangers_cannot_download(
    login, client, hdjd_reporter, office_clerk, fgj_project
):
    milestone = do_attach_milestone_evidence(land_use(fgj_project), pdf(), actor=office_clerk)
    anonymous = client.get(URL)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert client.get("/media/" + milestone.evidence.name).status_code == 404
    assert login(hdjd_reporter).get(URL).status_code == 404


def test_a_node_without_evidence_has_nothing_to_download(login, leader, fgj_project):
    assert login(leader).get(URL).status_code == 404


# --- the API ------------------------------------------------------------------------------


def test_the_api_uploads_and_downloads_evidence(
    client, fgj_reporter, leader, hdjd_reporter, fgj_project
):
    api = "/api/v1/projects/XHA-0001/milestones/land_use/evidence"
    response = client.post(api, {"file": pdf()}, **bearer(fgj_reporter))
    assert response.status_code == 200, response.json()
    stored = response.json()["evidence"]
    assert stored.endswith("XHA-0001-land_use-用地批复.pdf")
    stale = client.post(api, {"file": pdf("乙.pdf"), "replaces": ""}, **bearer(fgj_reporter))
    assert stale.status_code == 422
    replaced = client.post(api, {"file": pdf("乙.pdf"), "replaces": stored}, **bearer(fgj_reporter))
    assert replaced.status_code == 200 and replaced.json()["evidence"].endswith("乙.pdf")
    wrong = client.post(api, {"file": pdf("x.exe")}, **bearer(fgj_reporter))
    assert wrong.status_code == 422 and "evidence" in wrong.json()["fields"]
    assert client.post(api, {"file": pdf()}, **bearer(leader)).status_code == 403

    download = client.get(api, **bearer(leader))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert client.get(api, **bearer(hdjd_reporter)).status_code == 404
    body = client.get("/api/v1/projects/XHA-0001", **bearer(leader)).json()
    assert body["milestones"][1]["evidence"].endswith("乙.pdf")
