"""Volunteer activities (志愿服务) through the API with a bearer token: a street plans one,
residents sign up on the public page, the street changes it on the version read, records
it held with photos and reports the problem it found (a case from the volunteers), and the
weekly count per unit adds it up; wrong input is refused in words, every role that may not
is refused, and who signed up is shown only to those who organise it."""

import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests.citywork.cases_world import HERE
from tests.citywork.conftest import ROLES, token_client
from tests.citywork.photo_files import has_metadata, phone_photo
from vanguard.citywork.choices import PhotoRole
from vanguard.citywork.models import Case, Photo, VolunteerActivity, VolunteerFinding
from vanguard.citywork.models.cases import CaseSource, CaseState
from vanguard.citywork.photos import photos_of
from vanguard.citywork.weeks import week_of

pytestmark = pytest.mark.django_db

ACTIVITIES = "/api/v1/city/activities"
BEIJING = "+08:00"


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    cache.clear()  # the public signups' rate limit counts in the cache


@pytest.fixture
def clients(cast):
    return {role: token_client(cast[role]) for role in (*ROLES, "reporter_zfj")}


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()[:2000]
    return response.json()


def send(client, path, body=None, method="post", **headers):
    call = getattr(client, method)
    return call(path, body or {}, content_type="application/json", **headers)


def moment(days=3, hours=0):
    """A time as a phone app sends it, without a zone: Beijing time."""
    at = timezone.localtime() + datetime.timedelta(days=days, hours=hours)
    return at.replace(tzinfo=None, second=0, microsecond=0).isoformat()


PLAN = {
    "title": "城管进社区·黄岛路垃圾分类宣传",
    "kind": "community",
    "address": "黄岛路社区广场",
    "lon": HERE[0],
    "lat": HERE[1],
    "unit": "hdjd",
    "capacity": 2,
    "description": "宣传垃圾分类，清理小广告。",
}


def plan(client, **fields):
    body = {**PLAN, "starts_at": moment(), "ends_at": moment(hours=2), **fields}
    return ok(send(client, ACTIVITIES, body), 201)


def path(activity, step=""):
    return "{}/{}{}".format(ACTIVITIES, activity["id"], "/" + step if step else "")


def sign_up(activity, name, phone):
    response = Client().post(
        "/city/volunteer/{}/".format(activity["id"]), {"name": name, "phone": phone}
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_an_activity_is_planned_held_and_its_problem_becomes_a_case(cast, grid, clients):
    street = clients["reporter_hdjd"]
    activity = plan(street)
    assert activity["state"] == "planned" and activity["unit"] == "hdjd"
    assert activity["starts_at"].endswith(BEIJING) and activity["may_change"]
    assert activity["signups"] == [] and activity["url"].endswith(
        "/city/activities/a/{}/".format(activity["id"])
    )
    saved = VolunteerActivity.objects.get()
    assert saved.created_by == cast["reporter_hdjd"] and saved.lon == HERE[0]
    # A time sent without a zone is Beijing time.
    assert timezone.localtime(saved.starts_at).isoformat()[:16] == moment()[:16]

    sign_up(activity, "张大妈", "13900000001")
    sign_up(activity, "李大爷", "13900000002")
    # The organiser, the office and the task force read who signed up; the leader does not.
    for role in ("reporter_hdjd", "office", "tf_citywork"):
        seen = ok(clients[role].get(path(activity)))
        assert [s["phone"] for s in seen["signups"]] == ["13900000001", "13900000002"], role
        assert seen["signed_up"] == 2 and seen["signups"][0]["created_at"].endswith(BEIJING)
    leader = ok(clients["leader"].get(path(activity)))
    assert leader["signups"] is None and leader["signed_up"] == 2 and not leader["may_change"]
    assert "13900000001" not in clients["leader"].get(path(activity)).content.decode()
    assert "13900000001" not in clients["office"].get(ACTIVITIES).content.decode()

    # Not held before it took place; moved to yesterday on the version read, it is.
    early = street.post(path(activity, "held"), {"participants": 2, "version": 1})
    assert early.status_code == 422 and "participants" in early.json()["fields"]
    moved = ok(
        send(
            street,
            path(activity),
            {"starts_at": moment(-1), "ends_at": None, "version": 1},
            "patch",
        )
    )
    assert moved["version"] == 2 and moved["ends_at"] is None
    held = ok(
        street.post(
            path(activity, "held"),
            {
                "participants": 18,
                "summary": "清理小广告30余处",
                "version": 2,
                "photos": [SimpleUploadedFile("活动.jpg", phone_photo())],
            },
        )
    )
    assert held["state"] == "held" and held["participants"] == 18
    assert held["held_recorded_at"].endswith(BEIJING)
    [shown] = held["photos"]
    assert shown["role"] == "activity"
    [attached] = photos_of(VolunteerActivity.objects.get(), PhotoRole.ACTIVITY)
    assert has_metadata(attached.photo.image.read()) == []

    found = ok(
        street.post(
            path(activity, "problems"),
            {
                "category": "small-ads",
                "description": "电线杆上小广告密集",
                "lon": HERE[0] + 0.001,
                "lat": HERE[1],
                "address": "黄岛路8号",
                "photos": [SimpleUploadedFile("小广告.jpg", phone_photo(colour=(1, 2, 3)))],
            },
        ),
        201,
    )
    case = Case.objects.get()
    assert case.source == CaseSource.VOLUNTEER and case.state == CaseState.REPORTED
    assert found["case"]["number"] == case.number and found["case"]["state"] == "reported"
    assert [p["role"] for p in found["case"]["photos"]] == ["report"]
    assert VolunteerFinding.objects.get().case == case
    detail = ok(street.get(path(activity)))
    assert detail["found"] == 1 and detail["findings"][0]["case"]["number"] == case.number

    # The week it was held counts it for Huangdao street.
    week = week_of(timezone.localdate() - datetime.timedelta(days=1)).label
    count = ok(clients["office"].get(ACTIVITIES + "/weekly?week=" + week))
    assert count["week"] == week and count["data_at"].endswith(BEIJING)
    [row] = count["units"]
    assert (row["unit"], row["unit_name"], row["held"], row["participants"], row["problems"]) == (
        "hdjd",
        "黄岛街道",
        1,
        18,
        1,
    )
    assert count["total"]["held"] == 1 and count["total"]["participants"] == 18
    # Another unit's reporter counts only their own unit.
    assert ok(clients["reporter_zjj"].get(ACTIVITIES + "/weekly?week=" + week))["units"] == []


def test_the_list_filters_by_unit_state_and_week(cast, grid, clients):
    office = clients["office"]
    first = plan(office)
    second = plan(
        office, title="洁净家园", kind="cleanup", unit="zjj", starts_at=moment(10), ends_at=None
    )
    ok(send(office, path(second, "cancel"), {"reason": "台风预警", "version": 1}))

    def titles(client, query=""):
        return [a["title"] for a in ok(client.get(ACTIVITIES + query))["items"]]

    assert titles(office) == ["洁净家园", first["title"]]
    assert titles(office, "?unit=hdjd") == [first["title"]]
    assert titles(office, "?state=cancelled") == ["洁净家园"]
    assert titles(office, "?state=planned&unit=zjj") == []
    week = week_of(timezone.localdate() + datetime.timedelta(days=3)).label
    assert titles(office, "?week=" + week) == [first["title"]]
    # A reporter sees their own unit's; another battle's task force none.
    assert titles(clients["reporter_zjj"]) == ["洁净家园"]
    assert titles(clients["tf_projects"]) == []
    assert ok(office.get(ACTIVITIES))["items"][0]["cancel_reason"] == "台风预警"
    for query, field, words in (
        ("?state=done", "state", "未知状态“done”"),
        ("?week=W10", "week", "2026-W10"),
        ("?week=2027-W10", "week", "攻坚行动"),
    ):
        refused = office.get(ACTIVITIES + query)
        assert refused.status_code == 422 and field in refused.json()["fields"], query
        assert words in refused.json()["message"], refused.json()


@pytest.mark.parametrize(
    "fields, field, words",
    [
        ({"title": "  "}, "title", "名称"),
        ({"kind": "party"}, "kind", "活动类型"),
        ({"capacity": 0}, "capacity", "10000"),
        ({"lon": 116.39, "lat": 39.91}, "location", "116.39"),
        ({"unit": "no-such"}, "unit", "no-such"),
        ({"description": "<b>来</b>"}, "description", "HTML"),
        ({"ends_at": "2026-01-01T08:00:00"}, "ends_at", "结束"),
    ],
)
def test_a_plan_that_cannot_be_is_refused_in_words(cast, grid, clients, fields, field, words):
    refused = send(clients["office"], ACTIVITIES, {**PLAN, "starts_at": moment(), **fields})
    assert refused.status_code == 422, refused.content.decode()[:1000]
    body = refused.json()
    assert field in body["fields"] and words in body["message"], body
    assert not VolunteerActivity.objects.exists()


def test_changes_name_the_version_and_a_stale_one_is_a_conflict(cast, grid, clients):
    street = clients["reporter_hdjd"]
    activity = plan(street)
    missing = send(street, path(activity), {"title": "新标题"}, "patch")
    assert missing.status_code == 422 and "version" in missing.json()["fields"]
    ok(send(street, path(activity), {"title": "新标题", "version": 1}, "patch"))
    stale = send(street, path(activity), {"title": "再改", "version": 1}, "patch")
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["message"]
    header = {"HTTP_IF_MATCH": '"activity-2"'}
    assert ok(send(street, path(activity), {"capacity": 5}, "patch", **header))["capacity"] == 5
    half = send(street, path(activity), {"lon": HERE[0], "version": 3}, "patch")
    assert half.status_code == 422 and half.json()["fields"]["location"] == [
        "经度和纬度须一并提供。"
    ]
    # Places never fall below those taken.
    sign_up(activity, "张大妈", "13900000001")
    sign_up(activity, "李大爷", "13900000002")
    shrunk = send(street, path(activity), {"capacity": 1, "version": 3}, "patch")
    assert shrunk.status_code == 422 and "已有2名志愿者报名" in shrunk.json()["message"]
    # Cancelled, it changes no more and finds nothing.
    refused = send(street, path(activity, "cancel"), {"reason": "", "version": 3})
    assert refused.status_code == 422 and "reason" in refused.json()["fields"]
    ok(send(street, path(activity, "cancel"), {"reason": "台风预警", "version": 3}))
    late = send(street, path(activity), {"title": "改不了", "version": 4}, "patch")
    assert late.status_code == 409 and "取消" in late.json()["message"], late.json()
    problem = street.post(
        path(activity, "problems"),
        {"category": "small-ads", "description": "小广告", "lon": HERE[0], "lat": HERE[1]},
    )
    assert problem.status_code == 409 and not Case.objects.exists()
    # Nor is it held (it has not taken place either: the action says so first).
    held = street.post(path(activity, "held"), {"participants": 3, "version": 4})
    assert held.status_code == 422 and VolunteerActivity.objects.get().state == "cancelled"
    assert VolunteerActivity.objects.get().title == "新标题"


def test_photos_that_are_not_photos_are_refused_and_kept_nowhere(cast, grid, clients):
    street = clients["reporter_hdjd"]
    activity = plan(street, starts_at=moment(-1), ends_at=None)
    refused = street.post(
        path(activity, "held"),
        {
            "participants": 5,
            "version": 1,
            "photos": [SimpleUploadedFile("名单.jpg", b"%PDF-1.4 not a photo")],
        },
    )
    assert refused.status_code == 422 and "名单.jpg" in refused.json()["message"]
    assert VolunteerActivity.objects.get().state == "planned" and not Photo.objects.exists()
    wrong = street.post(path(activity, "held"), {"participants": "many", "version": 1})
    assert wrong.status_code == 422


def test_every_role_that_may_not_is_refused(cast, grid, clients):
    activity = plan(clients["reporter_hdjd"])
    sign_up(activity, "张大妈", "13900000001")
    version = {"version": 1}
    problem = {"category": "small-ads", "description": "小广告", "lon": HERE[0], "lat": HERE[1]}
    # Those who see the activity but do not organise it: 403 with the rule's words.
    for role in ("leader",):
        client = clients[role]
        for response in (
            send(client, path(activity), {"title": "x", **version}, "patch"),
            client.post(path(activity, "held"), {"participants": 1, **version}),
            client.post(path(activity, "problems"), problem),
            send(client, path(activity, "cancel"), {"reason": "x", **version}),
        ):
            assert response.status_code == 403, (role, response.content.decode()[:300])
            assert "组织单位" in response.json()["message"]
    # Those who do not see it at all: 404, as for an activity that does not exist.
    for role in ("reporter_zjj", "tf_projects", "inspector"):
        client = clients[role]
        for response in (
            client.get(path(activity)),
            send(client, path(activity), {"title": "x", **version}, "patch"),
            client.post(path(activity, "held"), {"participants": 1, **version}),
            client.post(path(activity, "problems"), problem),
            send(client, path(activity, "cancel"), {"reason": "x", **version}),
        ):
            assert response.status_code == 404, (role, response.content.decode()[:300])
    assert clients["office"].get(ACTIVITIES + "/999999").status_code == 404
    # Planning: a reporter for their own unit only; the leader and other task forces never.
    other = send(clients["reporter_zjj"], ACTIVITIES, {**PLAN, "starts_at": moment()})
    assert other.status_code == 403 and "黄岛街道" in other.json()["message"]
    for role in ("leader", "tf_projects", "inspector"):
        assert send(clients[role], ACTIVITIES, {**PLAN, "starts_at": moment()}).status_code == 403
    # The inspector has no units' data: no weekly count.
    assert clients["inspector"].get(ACTIVITIES + "/weekly").status_code == 403
    assert Client().get(ACTIVITIES).status_code == 401
    saved = VolunteerActivity.objects.get()
    assert saved.version == 1 and saved.state == "planned" and not Case.objects.exists()
