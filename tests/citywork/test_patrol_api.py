"""Patrols (巡查) through the API with a bearer token: a member starts a patrol, records a
problem with photos (a case registered at once, the member its checker), is offered the
open case nearby instead of a duplicate and answers it, checks the case once the unit has
handled it and ends the patrol; wrong input is refused in words and every other role is
refused."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests.citywork.cases_world import HERE
from tests.citywork.conftest import ROLES, token_client
from tests.citywork.photo_files import has_metadata, phone_photo, plain
from vanguard.citywork.actions import cases as actions
from vanguard.citywork.choices import PhotoRole
from vanguard.citywork.models import Case, Patrol, PatrolFinding, Photo
from vanguard.citywork.models.cases import CaseSource, CaseState
from vanguard.citywork.photos import photos_of
from vanguard.core.coords import wgs84_to_gcj02

pytestmark = pytest.mark.django_db

PATROLS = "/api/v1/city/patrols"
CHECKS = "/api/v1/city/patrol-checks"
BEIJING = "+08:00"


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVIDENCE_ROOT = tmp_path / "evidence"


@pytest.fixture
def clients(cast):
    return {role: token_client(cast[role]) for role in (*ROLES, "tf_citywork_2")}


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()[:2000]
    return response.json()


def post(client, path, body=None, **headers):
    return client.post(path, body or {}, content_type="application/json", **headers)


def start(client, **body):
    return ok(post(client, PATROLS, body), 201)


def photo(name="现场.jpg", colour=(200, 120, 40)):
    return SimpleUploadedFile(name, phone_photo(colour=colour))


def record(client, patrol, *, photos=None, lon=HERE[0], lat=HERE[1], **fields):
    """Post a problem found, multipart, as a phone app does."""
    body = {
        "category": "exposed-garbage",
        "description": "路边垃圾堆放三天无人清理",
        "lon": str(lon),
        "lat": str(lat),
        "coordinate_system": "wgs84",
        "address": "黄岛路12号",
        "photos": [photo()] if photos is None else photos,
        **fields,
    }
    return client.post("{}/{}/findings".format(PATROLS, patrol["id"]), body)


def test_a_member_records_a_problem_and_becomes_its_checker(cast, grid, clients):
    member = clients["tf_citywork"]
    patrol = start(member, grid="hd-01", area="黄岛路沿线")
    assert patrol["is_open"] and patrol["grid"] == "hd-01" and patrol["number"].startswith("XC")
    assert patrol["member"] == "tf_citywork" and patrol["member_name"] == "郑专班"
    assert patrol["started_at"].endswith(BEIJING) and patrol["findings"] == []

    finding = ok(record(member, patrol), 201)
    case = Case.objects.get()
    assert case.source == CaseSource.PATROL and case.state == CaseState.REGISTERED
    assert case.checker == cast["tf_citywork"] and case.grid == grid
    assert finding["supported"] is False and finding["found_at"].endswith(BEIJING)
    assert finding["case"]["number"] == case.number and finding["case"]["state"] == "registered"
    [shown] = finding["case"]["photos"]
    assert shown["role"] == "before" and shown["url"].endswith(".jpg")
    [attached] = photos_of(case, PhotoRole.BEFORE)
    assert has_metadata(attached.photo.image.read()) == []

    summary = ok(member.get("{}/{}".format(PATROLS, patrol["id"])))
    assert summary["found"] == 1 and summary["new_cases"] == 1 and summary["closed"] == 0
    assert [f["case"]["number"] for f in summary["findings"]] == [case.number]
    assert summary["url"] == "/city/patrol/p/{}/".format(patrol["id"])
    # The case itself reads through the cases' API, as registered by the patrol.
    assert ok(member.get("/api/v1/city/cases/" + case.number))["checker"] == "tf_citywork"


def test_a_location_from_wechat_is_converted_and_one_outside_is_refused(cast, grid, clients):
    member = clients["tf_citywork"]
    patrol = start(member)
    lon, lat = wgs84_to_gcj02(*HERE)
    finding = ok(record(member, patrol, lon=lon, lat=lat, coordinate_system="gcj02"), 201)
    case = Case.objects.get(pk=int(finding["case"]["number"][2:]))
    assert case.coordinate_system == "gcj02" and abs(case.lon - HERE[0]) < 1e-5

    outside = record(member, patrol, lon=116.39, lat=39.91, category="small-ads")
    assert outside.status_code == 422
    body = outside.json()
    assert "location" in body["fields"] and "116.39" in body["message"]
    assert "西海岸" in body["message"] or "范围" in body["message"]
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    "fields, field, words",
    [
        ({"photos": []}, "photos", "照片"),
        ({"photos": [SimpleUploadedFile("说明.jpg", b"not a photo")]}, "photos", "说明.jpg"),
        ({"category": "no-such"}, "category", "类别"),
        ({"category": "sanitation"}, "category", "小类"),
        ({"description": "<img src=x>"}, "description", "HTML"),
        ({"description": ""}, "description", "问题"),
        ({"coordinate_system": "utm"}, "location", "utm"),
        ({"decision": "maybe"}, "decision", "请答复“new”"),
        ({"decision": "support:AJ"}, "decision", "support:AJ00000042"),
        ({"kept": ["not-a-hash"]}, "photos", "照片"),
    ],
)
def test_wrong_input_is_refused_in_words_and_keeps_nothing(
    cast, grid, clients, fields, field, words
):
    member = clients["tf_citywork"]
    patrol = start(member)
    refused = record(member, patrol, **fields)
    assert refused.status_code == 422, refused.content.decode()[:1000]
    body = refused.json()
    assert field in body["fields"] and words in body["message"], body
    assert not Case.objects.exists() and not Photo.objects.exists()


def test_a_body_that_is_not_a_number_is_refused(cast, grid, clients):
    member = clients["tf_citywork"]
    patrol = start(member)
    refused = record(member, patrol, lon="东经120度")
    assert refused.status_code == 422 and "不正确" in refused.json()["message"]
    missing = member.post("{}/{}/findings".format(PATROLS, patrol["id"]), {})
    assert missing.status_code == 422
    assert not Case.objects.exists()


def test_an_open_case_nearby_is_offered_and_the_answer_is_taken(cast, grid, clients):
    assert record(clients["tf_citywork"], start(clients["tf_citywork"])).status_code == 201
    first = Case.objects.get()

    # Another member, thirty metres away, the same category: 409 with the open case and
    # the photo kept, attached to nothing yet.
    other = clients["tf_citywork_2"]
    patrol = start(other)
    nearby = {"lon": HERE[0] + 0.0003, "lat": HERE[1]}
    offered = record(other, patrol, photos=[photo("又一张.jpg", (10, 200, 30))], **nearby)
    assert offered.status_code == 409
    offer = offered.json()
    assert "附近已有同类未结案件" in offer["message"] and "“support:”" in offer["message"]
    [candidate] = offer["candidates"]
    assert candidate["number"] == first.number and 20 < candidate["distance_m"] < 40
    assert candidate["reported_at"].endswith(BEIJING)
    [kept] = offer["kept"]
    assert Photo.objects.get(sha256=kept).attachments.count() == 0
    assert (
        Case.objects.count() == 1
        and not PatrolFinding.objects.filter(patrol__member=cast["tf_citywork_2"]).exists()
    )

    # A case that is not among those offered is refused, the offer made again.
    wrong = record(other, patrol, photos=[], kept=[kept], decision="support:AJ99999999", **nearby)
    assert wrong.status_code == 409 and "不在附近" in wrong.json()["message"]
    assert wrong.json()["kept"] == [kept]

    # The same problem: the case is supported and the photo kept joins it.
    supported = ok(
        record(other, patrol, photos=[], kept=[kept], decision="support:" + first.number, **nearby),
        201,
    )
    assert supported["supported"] and supported["case"]["number"] == first.number
    first.refresh_from_db()
    assert Case.objects.count() == 1 and first.supporters == 1
    assert len(photos_of(first, PhotoRole.BEFORE)) == 2
    # The same patrol does not add itself to the case twice.
    again = record(
        other, patrol, photos=[], kept=[kept], decision="support:" + first.number, **nearby
    )
    assert again.status_code == 422 and Case.objects.get(pk=first.pk).supporters == 1

    # Another problem of the same kind beside it, answered “new”: a case of its own.
    offered = record(
        other, patrol, photos=[SimpleUploadedFile("第三张.png", plain("PNG"))], **nearby
    )
    kept = offered.json()["kept"]
    new = ok(
        record(
            other, patrol, photos=[], kept=kept, decision="new", description="另一处垃圾", **nearby
        ),
        201,
    )
    assert new["case"]["number"] != first.number and Case.objects.count() == 2

    # Once the patrol has ended, nothing is offered or kept: it is over.
    ok(post(other, "{}/{}/end".format(PATROLS, patrol["id"])))
    photos = Photo.objects.count()
    ended = record(other, patrol, photos=[photo("晚了.jpg", (5, 5, 5))], **nearby)
    assert ended.status_code == 409 and "结束" in ended.json()["message"]
    assert "candidates" not in ended.json() and Photo.objects.count() == photos


def test_one_open_patrol_and_an_ended_one_records_nothing(cast, grid, clients):
    member = clients["tf_citywork"]
    patrol = start(member)
    again = post(member, PATROLS, {"area": "再来"})
    assert again.status_code == 409 and patrol["number"] in again.json()["message"]
    unknown = post(member, PATROLS, {"grid": "no-such"})
    assert unknown.json()["fields"]["grid"] == ["没有编号为“no-such”的网格。"]
    assert Patrol.objects.count() == 1

    ended = ok(post(member, "{}/{}/end".format(PATROLS, patrol["id"]), {"note": "巡查结束"}))
    assert (
        not ended["is_open"] and ended["note"] == "巡查结束" and ended["ended_at"].endswith(BEIJING)
    )
    twice = post(member, "{}/{}/end".format(PATROLS, patrol["id"]))
    assert twice.status_code == 409 and "结束" in twice.json()["message"]
    late = record(member, patrol)
    assert late.status_code == 409 and "结束" in late.json()["message"]
    assert not Case.objects.exists() and not Photo.objects.exists()
    # Another member records nothing on someone else's patrol.
    mine = start(member)
    refused = record(clients["tf_citywork_2"], mine)
    assert refused.status_code == 403 and "巡查" in refused.json()["message"]
    assert not Photo.objects.exists()


def test_the_list_shows_every_patrol_to_the_keepers_and_filters(cast, grid, clients):
    first = start(clients["tf_citywork"], area="甲")
    second = start(clients["tf_citywork_2"], area="乙")
    Patrol.objects.filter(pk=first["id"]).update(
        started_at=timezone.now() - datetime.timedelta(days=3)
    )

    def numbers(client, query=""):
        return [p["number"] for p in ok(client.get(PATROLS + query))["items"]]

    assert numbers(clients["office"]) == [second["number"], first["number"]]
    assert numbers(clients["tf_citywork"], "?member=tf_citywork") == [first["number"]]
    today = timezone.localdate().isoformat()
    assert numbers(clients["office"], "?date=" + today) == [second["number"]]
    assert clients["office"].get(PATROLS + "?date=yesterday").status_code == 422
    listed = ok(clients["office"].get(PATROLS))
    assert listed["count"] == 2 and listed["items"][0]["found"] == 0


def test_every_other_role_is_refused(cast, grid, clients):
    patrol = start(clients["tf_citywork"])
    detail = "{}/{}".format(PATROLS, patrol["id"])
    for role in ("leader", "inspector", "tf_projects", "reporter_hdjd", "reporter_zjj"):
        client = clients[role]
        for response in (
            client.get(PATROLS),
            client.get(detail),
            client.get(CHECKS),
            post(client, PATROLS, {"area": "x"}),
            post(client, detail + "/end"),
            record(client, patrol),
            client.post(CHECKS + "/AJ00000001", {"passed": "true", "version": "1"}),
        ):
            assert response.status_code == 403, (role, response.content.decode()[:300])
            assert response.json()["message"], role
    # The office reads every patrol; an unknown one is 404.
    assert ok(clients["office"].get(detail))["number"] == patrol["number"]
    assert clients["office"].get(PATROLS + "/999999").status_code == 404
    assert Client().get(PATROLS).status_code == 401
    assert Patrol.objects.count() == 1 and not Photo.objects.exists()
    assert Patrol.objects.get().ended_at is None


def _handled(cast, clients, member, handler):
    """A patrol's case dispatched to Huangdao street and handled by ``handler``."""
    patrol = start(clients[member])
    finding = ok(record(clients[member], patrol), 201)
    case = Case.objects.get(pk=int(finding["case"]["number"][2:]))
    case = actions.do_dispatch(case, actor=cast["office"], version=case.version)
    return actions.do_handle(case, actor=cast[handler], reply="已清运完毕，现场恢复整洁")


def check(client, case, **fields):
    return client.post("{}/{}".format(CHECKS, case.number), fields)


def test_the_checker_checks_the_handled_case_with_photos_after(cast, grid, clients):
    case = _handled(cast, clients, "tf_citywork", "reporter_hdjd")
    member = clients["tf_citywork"]
    checks = ok(member.get(CHECKS))
    [waiting] = checks["mine"]
    assert waiting["number"] == case.number and waiting["reply"] == "已清运完毕，现场恢复整洁"
    assert waiting["handled_by"] == "reporter_hdjd" and waiting["handled_at"].endswith(BEIJING)
    assert ok(clients["tf_citywork_2"].get(CHECKS))["others"][0]["number"] == case.number

    # A failed check needs to say what is wrong; a check needs the version read.
    failed = check(member, case, passed="false", version=case.version)
    assert failed.status_code == 422 and "note" in failed.json()["fields"]
    missing = check(member, case, passed="true")
    assert missing.status_code == 422 and "version" in missing.json()["fields"]
    stale = check(member, case, passed="true", version=case.version - 1)
    assert stale.status_code == 409
    assert Case.objects.get(pk=case.pk).state == CaseState.HANDLED

    passed = ok(
        check(
            member,
            case,
            passed="true",
            note="现场已清理",
            version=case.version,
            photos=[photo("核查.jpg", (90, 90, 90))],
        )
    )
    assert passed["state"] == "closed" and passed["checker"] == "tf_citywork"
    assert [p["role"] for p in passed["photos"]] == ["before", "after"]
    assert ok(member.get(CHECKS))["mine"] == []
    summary = ok(member.get("{}/{}".format(PATROLS, Patrol.objects.get().pk)))
    assert summary["closed"] == 1 and summary["findings"][0]["case"]["state"] == "closed"


def test_a_failed_check_is_rework_and_the_if_match_header_names_the_version(cast, grid, clients):
    case = _handled(cast, clients, "tf_citywork", "reporter_hdjd")
    failed = ok(
        clients["tf_citywork"].post(
            "{}/{}".format(CHECKS, case.number),
            {"passed": "false", "note": "仍有垃圾残留"},
            HTTP_IF_MATCH='"case-{}"'.format(case.version),
        )
    )
    assert failed["state"] == "dispatched" and failed["rework_count"] == 1


def test_the_handler_never_checks_their_own_case(cast, grid, clients):
    # 吴兼职 is on the task force and reports for Huangdao street: they handled it.
    case = _handled(cast, clients, "tf_citywork", "dual")
    dual = clients["dual"]
    assert ok(dual.get(CHECKS)) == {"mine": [], "others": []}
    refused = check(dual, case, passed="true", version=case.version)
    assert refused.status_code == 403 and "处置" in refused.json()["message"]
    assert Case.objects.get(pk=case.pk).state == CaseState.HANDLED
    # A case the caller does not see, or no case at all, is 404.
    assert check(clients["office"], Case(pk=999999), passed="true").status_code == 404


def test_an_upload_over_the_limit_is_refused_with_the_limit(cast, grid, clients, settings):
    settings.UPLOAD_MAX_BYTES = 4 * 1024 * 1024
    member = clients["tf_citywork"]
    patrol = start(member)
    huge = SimpleUploadedFile("大图.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024))
    refused = record(member, patrol, photos=[huge])
    assert refused.status_code == 413 and "4 MB" in refused.json()["message"]
    assert not Case.objects.exists() and not Photo.objects.exists()
