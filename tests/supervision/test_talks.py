"""Talks and referrals through the doors users use: a red project's unit is summoned,
the leader approves, the office notifies, holds and follows up the talk; still red, the
case goes to the discipline commission, whose inspector reads the file, downloads the
ZIP (proved by ``vanguard audit verify-bundle``) and records the decision."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from docx import Document

from tests.supervision.conftest import day
from vanguard.audit.models import ChangeEntry
from vanguard.org.models import Person
from vanguard.supervision.lights import recompute
from vanguard.supervision.models import Referral, Talk

LATE = day("2026-01-01")
LATER = day("2027-06-01")


@pytest.fixture
def red_project(make_project, plan, fgj):
    project = make_project(lead_unit=fgj, introduced_planned=LATE, code="XHA-0901")
    recompute(plan, today=day("2026-06-10"))
    return project


@pytest.fixture
def as_user(client):
    from tests.conftest import PASSWORD

    def _as(user):
        client.logout()
        assert (
            client.post("/login/", {"username": user.username, "password": PASSWORD}).status_code
            == 302
        )
        return client

    return _as


def propose(as_user, office_clerk, project, fgj):
    response = as_user(office_clerk).post(
        "/supervision/talks/new/",
        {
            "unit": fgj.code,
            "kind": "project",
            "subject": project.code,
            "talk_type": "warning",
            "reason": "项目连续亮红灯",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Talk.objects.get()


def hold(as_user, office_clerk, leader, fgj_reporter, talk, *, days_ago=20):
    client = as_user(leader)
    assert client.post("/supervision/talks/{}/approve/".format(talk.pk)).status_code == 302
    held = timezone.localdate() - datetime.timedelta(days=days_ago)
    client = as_user(office_clerk)
    response = client.post(
        "/supervision/talks/{}/notify/".format(talk.pk),
        {"scheduled_on": held.isoformat(), "place": "区政府第一会议室"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(
        "/supervision/talks/{}/record/".format(talk.pk),
        {
            "held_on": held.isoformat(),
            "interviewers": [Person.objects.get(user=leader).pk],
            "interviewees": [Person.objects.get(user=fgj_reporter).pk],
            "facts": "项目引进滞后三个月",
            "statement": "用地指标未落实，非主观原因",
            "requirements": "一个月内完成签约",
            "pledge": "保证按期完成",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    talk.refresh_from_db()
    return talk


def test_a_talk_without_approval_cannot_be_notified_or_held(
    as_user, office_clerk, red_project, fgj
):
    talk = propose(as_user, office_clerk, red_project, fgj)
    response = as_user(office_clerk).post(
        "/supervision/talks/{}/notify/".format(talk.pk),
        {"scheduled_on": "2026-06-20", "place": "会议室"},
    )
    assert response.status_code == 400
    assert "领导批准" in response.content.decode()
    talk.refresh_from_db()
    assert talk.state == "proposed" and talk.notice_seq is None


def test_only_a_leader_approves(as_user, office_clerk, projects_member, red_project, fgj):
    talk = propose(as_user, office_clerk, red_project, fgj)
    for user in (office_clerk, projects_member):
        assert (
            as_user(user).post("/supervision/talks/{}/approve/".format(talk.pk)).status_code == 403
        )
    talk.refresh_from_db()
    assert talk.state == "proposed"


def test_the_notice_is_an_official_document(
    as_user, office_clerk, leader, fgj_reporter, red_project, fgj
):
    talk = propose(as_user, office_clerk, red_project, fgj)
    talk = hold(as_user, office_clerk, leader, fgj_reporter, talk)
    assert talk.pledge_due == talk.held_on + datetime.timedelta(days=15)
    response = as_user(fgj_reporter).get("/supervision/talks/{}/notice.docx".format(talk.pk))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert "约谈通知书" in texts
    assert any("〔{}〕1号".format(talk.scheduled_on.year) in t for t in texts)
    xml = document.element.xml
    assert 'w:eastAsia="仿宋_GB2312"' in xml
    heading = next(p for p in document.paragraphs if "办公室" in p.text)
    assert str(heading.runs[0].font.color.rgb) == "FF0000"
    section = document.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert 'w:linePitch="579"' in section._sectPr.xml
    title = next(p for p in document.paragraphs if p.text == "约谈通知书")
    assert title.runs[0].font.size.pt == 22
    body = next(p for p in document.paragraphs if p.text.startswith("因"))
    assert body.runs[0].font.size.pt == 16 and "告诫约谈" in body.text
    assert any(p.text.startswith("（数据截至") for p in document.paragraphs)


def test_improved_after_the_pledge_closes_the_talk(
    as_user, office_clerk, leader, fgj_reporter, red_project, fgj, plan
):
    from vanguard.projects.actions import do_update_project

    talk = propose(as_user, office_clerk, red_project, fgj)
    talk = hold(as_user, office_clerk, leader, fgj_reporter, talk)
    do_update_project(red_project, actor=office_clerk, introduced_planned=LATER)
    recompute(plan, today=day("2026-06-10"))
    response = as_user(office_clerk).post("/supervision/talks/{}/follow-up/".format(talk.pk))
    assert response.status_code == 302
    talk.refresh_from_db()
    assert (talk.state, talk.outcome) == ("closed", "improved")
    assert not Referral.objects.exists()


def test_follow_up_waits_for_the_pledge_deadline(
    as_user, office_clerk, leader, fgj_reporter, red_project, fgj
):
    talk = propose(as_user, office_clerk, red_project, fgj)
    talk = hold(as_user, office_clerk, leader, fgj_reporter, talk, days_ago=1)
    response = as_user(office_clerk).post(
        "/supervision/talks/{}/follow-up/".format(talk.pk), follow=True
    )
    assert "承诺期限为" in response.content.decode()
    talk.refresh_from_db()
    assert talk.state == "held"


def referred(as_user, office_clerk, leader, fgj_reporter, red_project, fgj):
    talk = propose(as_user, office_clerk, red_project, fgj)
    talk = hold(as_user, office_clerk, leader, fgj_reporter, talk)
    client = as_user(office_clerk)
    assert client.post("/supervision/talks/{}/follow-up/".format(talk.pk)).status_code == 302
    talk.refresh_from_db()
    assert (talk.state, talk.outcome) == ("referral_proposed", "still_red")
    response = client.post(
        "/supervision/talks/{}/refer/".format(talk.pk), {"reason": "约谈后仍亮红灯"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Referral.objects.get()


def test_still_red_goes_to_the_commission_with_a_verifiable_file(
    as_user, office_clerk, leader, fgj_reporter, inspector, red_project, fgj, tmp_path
):
    referral = referred(as_user, office_clerk, leader, fgj_reporter, red_project, fgj)
    client = as_user(inspector)
    listing = client.get("/supervision/referrals/").content.decode()
    assert red_project.code in listing
    page = client.get("/supervision/referrals/{}/".format(referral.pk)).content.decode()
    assert "用地指标未落实" in page  # the unit's defence is in the file
    response = client.get("/supervision/referrals/{}/case-file.zip".format(referral.pk))
    assert response.status_code == 200
    path = tmp_path / "case.zip"
    path.write_bytes(response.content)
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
    assert {"documents/约谈通知书.docx", "documents/约谈记录.docx", "data/talk.json"} <= names
    assert {"data/lights.json", "data/reports.json", "data/referral.json"} <= names
    assert manifest["log"]["last_seq"] >= manifest["log"]["first_seq"] >= 1
    out = io.StringIO()
    call_command("audit", "verify-bundle", str(path), stdout=out)
    assert "bundle complete and unaltered" in out.getvalue()

    # Altered, extended, or cut: each is caught and named.
    altered = tmp_path / "altered.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(altered, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "data/talk.json":
                data = data.replace("用地指标未落实".encode(), "已全部落实".encode())
            target.writestr(name, data)
        target.writestr("extra.txt", b"x")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify-bundle", str(altered), stderr=err)
    assert "data/talk.json" in err.getvalue() and "extra.txt" in err.getvalue()


def test_a_bundle_whose_log_was_rewritten_fails(
    as_user, office_clerk, leader, fgj_reporter, inspector, red_project, fgj, tmp_path
):
    referral = referred(as_user, office_clerk, leader, fgj_reporter, red_project, fgj)
    content = (
        as_user(inspector)
        .get("/supervision/referrals/{}/case-file.zip".format(referral.pk))
        .content
    )
    path = tmp_path / "case.zip"
    path.write_bytes(content)
    manifest = json.loads(zipfile.ZipFile(path).read("manifest.json"))
    last = manifest["log"]["last_seq"]
    ChangeEntry.objects.filter(seq=last).update(entry_hash="0" * 64)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify-bundle", str(path), stderr=err)
    assert "do not match" in err.getvalue()


def test_the_commission_decides_and_the_case_closes(
    as_user, office_clerk, leader, fgj_reporter, inspector, red_project, fgj
):
    referral = referred(as_user, office_clerk, leader, fgj_reporter, red_project, fgj)
    url = "/supervision/referrals/{}/decide/".format(referral.pk)
    today = timezone.localdate().isoformat()
    # The office cannot decide; "no action" does not combine with a measure.
    assert (
        as_user(office_clerk)
        .post(url, {"measures": ["admonish"], "decided_on": today, "decision": "x"})
        .status_code
        == 403
    )
    client = as_user(inspector)
    bad = client.post(
        url, {"measures": ["none", "admonish"], "decided_on": today, "decision": "诫勉谈话"}
    )
    assert (
        bad.status_code == 400
        and "不予处理" in bad.content.decode()
        or "No action" in bad.content.decode()
    )
    response = client.post(
        url, {"measures": ["circulate", "admonish"], "decided_on": today, "decision": "通报并诫勉"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == "decided" and referral.measures == ["circulate", "admonish"]
    again = client.post(url, {"measures": ["none"], "decided_on": today, "decision": "重复"})
    assert again.status_code == 400
    actions = ChangeEntry.objects.filter(content_type__model__in=["talk", "referral"]).count()
    assert actions >= 7  # propose, approve, notify, record, follow up, refer (2), decide


def test_a_reporter_sees_their_units_talks_but_not_referrals_nor_others(
    as_user, office_clerk, leader, fgj_reporter, hdjd_reporter, inspector, red_project, fgj
):
    referral = referred(as_user, office_clerk, leader, fgj_reporter, red_project, fgj)
    talk = referral.talk
    assert as_user(fgj_reporter).get("/supervision/talks/{}/".format(talk.pk)).status_code == 200
    unit_page = as_user(fgj_reporter).get("/org/units/{}/".format(fgj.code)).content.decode()
    assert 'id="unit-talks"' in unit_page and talk.subject_label in unit_page
    assert as_user(hdjd_reporter).get("/supervision/talks/{}/".format(talk.pk)).status_code == 404
    assert (
        as_user(fgj_reporter).get("/supervision/referrals/{}/".format(referral.pk)).status_code
        == 403
    )
    # The inspector reads referred cases, not the talks list of the units.
    assert as_user(inspector).get("/supervision/talks/").status_code == 403


def test_the_api_walks_the_same_lifecycle(
    office_clerk, leader, fgj_reporter, inspector, red_project, fgj
):
    from django.test import Client

    from vanguard.accounts.tokens import do_create_token

    def api(user):
        return Client(HTTP_AUTHORIZATION="Bearer " + do_create_token(user.username))

    office, boss = api(office_clerk), api(leader)
    created = office.post(
        "/api/v1/talks",
        {
            "unit": fgj.code,
            "kind": "project",
            "object_id": red_project.pk,
            "talk_type": "work",
            "reason": "红灯",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    talk_id = created.json()["id"]
    refused = office.post(
        "/api/v1/talks/{}/notify".format(talk_id),
        {"scheduled_on": "2026-06-01", "place": "会议室"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    stale = boss.post(
        "/api/v1/talks/{}/approve".format(talk_id), {"version": 9}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert (
        boss.post(
            "/api/v1/talks/{}/approve".format(talk_id), {}, content_type="application/json"
        ).status_code
        == 200
    )
    listed = api(fgj_reporter).get("/api/v1/talks").json()
    assert [t["id"] for t in listed["items"]] == [talk_id]
    assert api(inspector).get("/api/v1/referrals").json()["count"] == 0
    # Only a talk whose referral was proposed is referred; a matter may be, directly.
    early = office.post(
        "/api/v1/referrals", {"talk": talk_id, "reason": "仍滞后"}, content_type="application/json"
    )
    assert early.status_code == 422
    referred = office.post(
        "/api/v1/referrals",
        {"unit": fgj.code, "kind": "project", "subject": red_project.code, "reason": "长期滞后"},
        content_type="application/json",
    )
    assert referred.status_code == 201, referred.content
    case = referred.json()["id"]
    assert api(fgj_reporter).get("/api/v1/referrals/{}".format(case)).status_code == 404
    inspector_api = api(inspector)
    assert inspector_api.get("/api/v1/referrals").json()["count"] == 1
    zipped = inspector_api.get("/api/v1/referrals/{}/case-file".format(case))
    assert zipped.status_code == 200 and zipped["Content-Type"] == "application/zip"
    decided = inspector_api.post(
        "/api/v1/referrals/{}/decide".format(case),
        {
            "measures": ["none"],
            "decided_on": timezone.localdate().isoformat(),
            "decision": "不予问责",
        },
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["state"] == "decided"


def test_talk_facts_count_per_unit(
    as_user, office_clerk, leader, fgj_reporter, red_project, fgj, plan
):
    from vanguard.supervision.talks.facts import talk_facts

    referral = referred(as_user, office_clerk, leader, fgj_reporter, red_project, fgj)
    today = timezone.localdate()
    facts = talk_facts(plan, today - datetime.timedelta(days=40), today)
    assert facts == {fgj.pk: {"talks": 1, "referrals": 1}}
    assert (
        talk_facts(plan, today + datetime.timedelta(days=1), today + datetime.timedelta(days=2))
        == {}
    )
    assert referral.talk.held_on < today


def test_a_matter_is_named_by_the_code_the_pages_show(
    as_user, office_clerk, red_project, fgj, hdjd
):
    client = as_user(office_clerk)
    response = client.post(
        "/supervision/talks/new/",
        {
            "unit": hdjd.code,
            "kind": "project",
            "subject": red_project.code,
            "talk_type": "work",
            "reason": "滞后",
        },
    )
    assert response.status_code == 400
    assert "黄岛街道没有代码为 XHA-0901 的重大项目" in response.content.decode()
    assert not Talk.objects.exists()
    response = client.post(
        "/supervision/talks/new/",
        {
            "unit": fgj.code,
            "kind": "unit",
            "subject": "",
            "talk_type": "work",
            "reason": "单位整体滞后",
        },
    )
    assert response.status_code == 302
    talk = Talk.objects.get()
    assert (talk.kind, talk.object_id, talk.unit_id) == ("unit", fgj.pk, fgj.pk)
    assert as_user(office_clerk).get("/supervision/talks/{}/".format(talk.pk)).status_code == 200


def test_documents_get_a_pdf_copy_where_libreoffice_is_installed(tmp_path, monkeypatch):
    from vanguard.supervision.talks.casefile import pdf_copies

    assert pdf_copies({}) == {}
    office = tmp_path / "bin" / "soffice"
    office.parent.mkdir()
    # A stand-in converter: writes NAME.pdf for each NAME.docx into --outdir.
    office.write_text(
        "#!/bin/sh\n"
        'while [ "$1" != "--outdir" ]; do shift; done; out="$2"; shift 2\n'
        'for f in "$@"; do b=$(basename "$f" .docx); printf "%%PDF-1.4" > "$out/$b.pdf"; done\n'
    )
    office.chmod(0o755)
    monkeypatch.setenv("PATH", "{}:{}".format(office.parent, "/usr/bin:/bin"))
    assert pdf_copies({"约谈记录.docx": b"PK"}) == {"约谈记录.pdf": b"%PDF-1.4"}


def test_a_confirmed_ladder_proposal_starts_a_talk_that_keeps_its_number(
    office_clerk, red_project, fgj, plan
):
    from types import SimpleNamespace

    from vanguard.supervision.talks.actions import propose_talk_from_proposal, refer_from_proposal

    proposal = SimpleNamespace(
        pk=41,
        campaign=plan,
        subject_kind="project",
        object_id=red_project.pk,
        unit_id=fgj.pk,
        facts={"label": "重大项目 XHA-0901"},
    )
    talk = propose_talk_from_proposal(proposal, actor=office_clerk)
    assert (talk.proposal_id, talk.state, talk.unit_id) == (41, "proposed", fgj.pk)
    assert "#41" in talk.reason and talk.subject_label == "重大项目 XHA-0901"
    referral = refer_from_proposal(proposal, actor=office_clerk)
    assert (referral.talk, referral.object_id, referral.state) == (None, red_project.pk, "referred")


def test_the_office_refers_a_matter_without_a_talk(as_user, office_clerk, leader, red_project, fgj):
    url = "/supervision/referrals/new/"
    body = {"unit": fgj.code, "kind": "project", "subject": red_project.code, "reason": ""}
    assert as_user(leader).post(url, {**body, "reason": "x"}).status_code == 403
    client = as_user(office_clerk)
    refused = client.post(url, body)
    assert refused.status_code == 400 and not Referral.objects.exists()
    response = client.post(url, {**body, "reason": "长期亮红灯"})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.talk, referral.object_id, referral.unit_id) == (None, red_project.pk, fgj.pk)
    page = as_user(leader).get("/supervision/referrals/{}/".format(referral.pk)).content.decode()
    assert red_project.code in page and "长期亮红灯" in page


def test_a_bundle_whose_log_entry_was_edited_in_place_fails(
    as_user, office_clerk, leader, fgj_reporter, inspector, red_project, fgj, tmp_path
):
    referral = referred(as_user, office_clerk, leader, fgj_reporter, red_project, fgj)
    url = "/supervision/referrals/{}/case-file.zip".format(referral.pk)
    path = tmp_path / "case.zip"
    path.write_bytes(as_user(inspector).get(url).content)
    first = json.loads(zipfile.ZipFile(path).read("manifest.json"))["log"]["first_seq"]
    # The defence rewritten in the log, its stored hash left as it was.
    ChangeEntry.objects.filter(seq=first).update(reason="改写")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify-bundle", str(path), stderr=err)
    assert "#{} does not match its signature".format(first) in err.getvalue()


def test_confirming_the_ladders_talk_proposal_proposes_the_talk(office_clerk, red_project, plan):
    from vanguard.supervision.orders.proposals import do_confirm_proposal, do_propose

    proposal = do_propose(
        plan, kind="talk", subject_kind="project", object_id=red_project.pk, actor=office_clerk
    )
    _proposal, talk = do_confirm_proposal(proposal, reason="三次红色督办", actor=office_clerk)
    assert isinstance(talk, Talk) and talk.proposal_id == proposal.pk
    assert (talk.kind, talk.object_id, talk.state) == ("project", red_project.pk, "proposed")


def test_the_office_workspace_counts_the_talks_waiting_at_each_step(
    as_user, office_clerk, leader, fgj_reporter, red_project, fgj
):
    talk = propose(as_user, office_clerk, red_project, fgj)
    page = as_user(office_clerk).get("/supervision/").content.decode()
    assert 'id="talks-waiting"' in page
    assert "待领导批准" in page and "?state=proposed" in page
    hold(as_user, office_clerk, leader, fgj_reporter, talk)
    page = as_user(office_clerk).get("/supervision/").content.decode()
    # Held twenty days ago: its fifteen-day pledge deadline has passed.
    assert "1 件承诺期已满" in page
    # A unit's reporter has no workspace.
    assert as_user(fgj_reporter).get("/supervision/").status_code == 403
