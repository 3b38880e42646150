"""Volunteer activities (志愿服务) through their doors: a street plans one, residents sign up on
the public page until it is full, the street records it held with photos and the problems
found (cases from the volunteers), and the weekly count per unit adds it up."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from tests.citywork.cases_world import HERE
from tests.citywork.conftest import signed_in, token_client
from tests.citywork.photo_files import has_metadata, phone_photo
from vanguard.citywork.choices import PhotoRole, PhotoSource
from vanguard.citywork.models import Case, VolunteerActivity, VolunteerFinding, VolunteerSignup
from vanguard.citywork.models.cases import CaseSource, CaseState
from vanguard.citywork.photos import photos_of
from vanguard.citywork.weeks import week_of

pytestmark = pytest.mark.django_db

ACTIVITIES = "/city/activities/"
PUBLIC = "/city/volunteer/"


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    # The signups' rate limit counts in the cache: each test starts afresh.
    cache.clear()


def moment(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def plan(client, **data):
    """Plan an activity through the form; return it."""
    starts = timezone.now() + datetime.timedelta(days=3)
    body = {
        "campaign": "xihaian-2026",
        "title": "城管进社区·黄岛路垃圾分类宣传",
        "kind": "community",
        "starts_at": moment(starts),
        "ends_at": moment(starts + datetime.timedelta(hours=2)),
        "address": "黄岛路社区广场",
        "lon": str(HERE[0]),
        "lat": str(HERE[1]),
        "coordinate_system": "wgs84",
        "unit": "hdjd",
        "capacity": "2",
        "description": "宣传垃圾分类，清理小广告。",
        **data,
    }
    response = client.post(ACTIVITIES + "new/", body)
    assert response.status_code == 302, response.content.decode()[:3000]
    return VolunteerActivity.objects.latest("pk")


def sign_up(activity, name, phone, client=None, **extra):
    return (client or Client()).post(
        "{}{}/".format(PUBLIC, activity.pk), {"name": name, "phone": phone, **extra}
    )


def text(response):
    return response.content.decode()


def test_an_activity_is_planned_signed_up_for_held_and_its_problems_become_cases(cast, grid):
    street = signed_in(cast["reporter_hdjd"])
    activity = plan(street)
    assert activity.unit == cast["hdjd"] and activity.state == "planned"
    assert activity.lon == HERE[0] and activity.created_by == cast["reporter_hdjd"]

    # The public page, without an account, lists it and takes signups until it is full.
    public = Client()
    listing = public.get(PUBLIC)
    assert listing.status_code == 200 and activity.title in text(listing)
    assert sign_up(activity, "张大妈", "139 0000 0001").status_code == 302
    assert sign_up(activity, "李大爷", "+86 139-0000-0002").status_code == 302
    full = sign_up(activity, "王阿姨", "13900000003")
    assert full.status_code == 409
    assert "名额已满" in text(full) and "2个名额均已报满" in text(full)
    assert sorted(VolunteerSignup.objects.values_list("phone", flat=True)) == [
        "13900000001",
        "13900000002",
    ]
    # No public page shows who signed up.
    for page in (public.get(PUBLIC), public.get("{}{}/".format(PUBLIC, activity.pk))):
        assert "13900000001" not in text(page) and "张大妈" not in text(page)
    assert "名额已满" in text(public.get("{}{}/".format(PUBLIC, activity.pk)))

    # The organiser and the office read the names and phones; another unit sees nothing.
    detail = "{}a/{}/".format(ACTIVITIES, activity.pk)
    for role in ("reporter_hdjd", "office", "tf_citywork"):
        page = text(signed_in(cast[role]).get(detail))
        assert "张大妈" in page and "13900000001" in page, role
    leader = signed_in(cast["leader"]).get(detail)
    assert leader.status_code == 200 and "13900000001" not in text(leader)
    assert signed_in(cast["reporter_zjj"]).get(detail).status_code == 404
    assert signed_in(cast["tf_projects"]).get(detail).status_code == 404

    # Not held before it took place; moved to yesterday, it is recorded as held.
    early = street.post(detail + "held/", {"participants": "2", "version": activity.version})
    assert early.status_code == 400 and VolunteerActivity.objects.get().state == "planned"
    yesterday = timezone.now() - datetime.timedelta(days=1)
    moved = street.post(
        detail + "edit/",
        {
            "campaign": "xihaian-2026",
            "title": activity.title,
            "kind": "community",
            "starts_at": moment(yesterday),
            "address": activity.address,
            "lon": str(HERE[0]),
            "lat": str(HERE[1]),
            "coordinate_system": "wgs84",
            "unit": "hdjd",
            "capacity": "2",
            "version": activity.version,
        },
    )
    assert moved.status_code == 302, text(moved)[:3000]
    activity.refresh_from_db()
    held = street.post(
        detail + "held/",
        {
            "participants": "18",
            "summary": "清理小广告30余处",
            "version": activity.version,
            "photos": [SimpleUploadedFile("活动.jpg", phone_photo())],
        },
    )
    assert held.status_code == 302, text(held)[:3000]
    activity.refresh_from_db()
    assert activity.state == "held" and activity.participants == 18
    [photo] = photos_of(activity, PhotoRole.ACTIVITY)
    assert photo.source == PhotoSource.VOLUNTEER and has_metadata(photo.photo.image.read()) == []

    # A problem found becomes a case from the volunteers, waiting to be registered.
    found = street.post(
        detail + "problem/",
        {
            "category": "small-ads",
            "description": "电线杆上小广告密集",
            "lon": str(HERE[0] + 0.001),
            "lat": str(HERE[1]),
            "coordinate_system": "wgs84",
            "address": "黄岛路8号",
            "photos": [SimpleUploadedFile("小广告.jpg", phone_photo(colour=(1, 2, 3)))],
        },
    )
    assert found.status_code == 302, text(found)[:3000]
    case = Case.objects.get()
    assert case.source == CaseSource.VOLUNTEER and case.state == CaseState.REPORTED
    assert VolunteerFinding.objects.get().case == case
    assert len(photos_of(case, PhotoRole.REPORT)) == 1
    page = text(street.get(detail))
    assert case.number in page and "待立案" in page
    # The office opens the case from the activity; the street, before the case is its
    # own, reads only its number.
    link = 'href="/city/cases/{}/?campaign=xihaian-2026"'.format(case.number)
    assert link in text(signed_in(cast["office"]).get(detail)) and link not in page

    # The list shows it held, with its participants and problems found.
    listing = text(signed_in(cast["office"]).get(ACTIVITIES))
    assert activity.title in listing and 'data-cell="found">1<' in listing

    # The week it was held counts it for Huangdao street, on the page and in the workbook.
    week = week_of(timezone.localdate(activity.starts_at)).label
    office = signed_in(cast["office"])
    weekly = office.get(ACTIVITIES + "weekly/?week=" + week)
    assert weekly.status_code == 200
    [row] = weekly.context["rows"]
    assert (row.code, row.held, row.participants, row.problems) == ("hdjd", 1, 18, 1)
    book = load_workbook(io.BytesIO(office.get(ACTIVITIES + "weekly.xlsx?week=" + week).content))
    values = [[c for c in row if c is not None] for row in book.active.iter_rows(values_only=True)]
    assert ["黄岛街道", 1, 18, 1] in values
    # Another unit's reporter counts only their own unit: nothing this week.
    assert (
        signed_in(cast["reporter_zjj"]).get(ACTIVITIES + "weekly/?week=" + week).context["rows"]
        == []
    )
    # Held, it takes no more signups.
    assert sign_up(activity, "赵先生", "13900000009").status_code == 409


def test_a_phone_signs_up_once_and_bad_input_is_refused_in_chinese(cast, grid):
    activity = plan(signed_in(cast["office"]), capacity="10")
    assert sign_up(activity, "张大妈", "13900000001").status_code == 302
    again = sign_up(activity, "张阿姨", "139-0000-0001")
    assert again.status_code == 400 and "该手机号已报名" in text(again)
    bad = sign_up(activity, "张大妈", "12345")
    assert bad.status_code == 400 and "11位手机号码" in text(bad)
    tagged = sign_up(activity, "<b>张</b>", "13900000005")
    assert tagged.status_code == 400
    assert VolunteerSignup.objects.count() == 1


def test_a_robot_filling_the_hidden_field_is_told_nothing_and_kept_out(cast, grid):
    activity = plan(signed_in(cast["office"]), capacity="10")
    response = sign_up(activity, "机器人", "13900000007", website="http://spam.example")
    assert response.status_code == 302
    assert not VolunteerSignup.objects.exists()


def test_signups_from_one_address_are_rate_limited(cast, grid, settings):
    settings.VOLUNTEER_SIGNUPS_PER_HOUR = 2
    activity = plan(signed_in(cast["office"]), capacity="10")
    assert sign_up(activity, "甲", "13900000001").status_code == 302
    assert sign_up(activity, "乙", "13900000002").status_code == 302
    refused = sign_up(activity, "丙", "13900000003")
    assert refused.status_code == 429 and "报名次数过多" in text(refused)
    assert refused["Retry-After"]
    assert VolunteerSignup.objects.count() == 2


def test_a_cancelled_activity_takes_no_signups_and_says_why(cast, grid):
    street = signed_in(cast["reporter_hdjd"])
    activity = plan(street)
    detail = "{}a/{}/".format(ACTIVITIES, activity.pk)
    assert street.post(detail + "cancel/", {"reason": "", "version": 1}).status_code == 400
    response = street.post(detail + "cancel/", {"reason": "台风预警", "version": 1})
    assert response.status_code == 302
    refused = sign_up(activity, "张大妈", "13900000001")
    assert refused.status_code == 409 and "报名已截止" in text(refused)
    page = text(Client().get("{}{}/".format(PUBLIC, activity.pk)))
    assert "本活动已取消：台风预警" in page
    assert activity.title not in text(Client().get(PUBLIC))


def test_who_may_organise_an_activity(cast, grid):
    # A reporter organises for their own unit only; another battle's task force not at all.
    other = signed_in(cast["reporter_zjj"])
    response = other.post(
        ACTIVITIES + "new/",
        {
            "title": "洁净家园",
            "kind": "cleanup",
            "starts_at": moment(timezone.now() + datetime.timedelta(days=2)),
            "address": "薛家岛",
            "lon": str(HERE[0]),
            "lat": str(HERE[1]),
            "unit": "hdjd",
            "capacity": "5",
        },
    )
    assert response.status_code == 400 and "unit" in response.context["form"].errors
    assert signed_in(cast["tf_projects"]).get(ACTIVITIES + "new/").status_code == 403
    assert signed_in(cast["leader"]).get(ACTIVITIES + "new/").status_code == 403
    activity = plan(signed_in(cast["reporter_hdjd"]))
    detail = "{}a/{}/".format(ACTIVITIES, activity.pk)
    assert other.get(detail + "edit/").status_code == 404
    assert other.post(detail + "cancel/", {"reason": "x"}).status_code == 404
    assert signed_in(cast["leader"]).get(detail + "edit/").status_code == 403
    assert VolunteerActivity.objects.get().state == "planned"
    # A point outside the district is refused under its longitude.
    outside = signed_in(cast["office"]).post(
        ACTIVITIES + "new/",
        {
            "title": "外地活动",
            "kind": "other",
            "starts_at": moment(timezone.now() + datetime.timedelta(days=2)),
            "address": "北京",
            "lon": "116.39",
            "lat": "39.91",
            "coordinate_system": "wgs84",
            "unit": "hdjd",
            "capacity": "5",
        },
    )
    assert outside.status_code == 400 and "lon" in outside.context["form"].errors


def test_activities_are_a_layer_of_the_one_map(cast, grid):
    activity = plan(signed_in(cast["reporter_hdjd"]))
    features = token_client(cast["office"]).get("/api/v1/map/layers/volunteers").json()
    [feature] = features["features"]
    assert feature["properties"]["url"].endswith("/city/activities/a/{}/".format(activity.pk))
    assert feature["geometry"]["coordinates"] == [HERE[0], HERE[1]]
    assert feature["properties"]["category"] == "城管进社区"
    for role, count in (("reporter_hdjd", 1), ("reporter_zjj", 0), ("tf_projects", 0)):
        shown = token_client(cast[role]).get("/api/v1/map/layers/volunteers").json()
        assert len(shown["features"]) == count, role


def test_a_moved_activity_keeps_where_it_was_in_the_change_log(cast, grid):
    from vanguard.audit.models import ChangeEntry

    street = signed_in(cast["reporter_hdjd"])
    activity = plan(street)
    assert sign_up(activity, "张大妈", "13900000001").status_code == 302
    assert sign_up(activity, "李大爷", "13900000002").status_code == 302
    detail = "{}a/{}/".format(ACTIVITIES, activity.pk)
    form = street.get(detail + "edit/").context["form"]
    body = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    body["starts_at"] = moment(activity.starts_at)
    body["ends_at"] = moment(activity.ends_at)
    body["unit"] = "hdjd"
    shrunk = street.post(detail + "edit/", {**body, "capacity": "1"})
    assert shrunk.status_code == 400 and "已有2名志愿者报名" in text(shrunk)
    moved = street.post(detail + "edit/", {**body, "lon": str(HERE[0] + 0.01)})
    assert moved.status_code == 302, text(moved)[:3000]
    activity.refresh_from_db()
    assert activity.lon == round(HERE[0] + 0.01, 7) and activity.version == 2
    entry = ChangeEntry.objects.filter(object_id=str(activity.pk), action="update").get()
    assert entry.before["geometry"]["coordinates"] == [HERE[0], HERE[1]]
    assert entry.after["geometry"]["coordinates"] == [round(HERE[0] + 0.01, 7), HERE[1]]


def test_the_list_pages_a_city_of_activities_newest_first(cast, grid):
    from vanguard.citywork.actions.volunteers import do_create_activity

    starts = timezone.now() + datetime.timedelta(days=1)
    for n in range(53):
        do_create_activity(
            cast["campaign"],
            actor=cast["reporter_hdjd"],
            lon=HERE[0],
            lat=HERE[1],
            title="人人动手·洁净家园 第{}场".format(n + 1),
            kind="cleanup",
            starts_at=starts + datetime.timedelta(hours=n),
            address="黄岛路社区广场",
            unit=cast["hdjd"],
            capacity=10,
        )
    office = signed_in(cast["office"])
    first = office.get(ACTIVITIES + "?campaign=xihaian-2026&state=planned")
    assert len(first.context["activities"]) == 50
    assert "第53场" in text(first) and "第1场<" not in text(first)
    assert "page=2" in text(first) and "state=planned" in text(first)
    second = office.get(ACTIVITIES + "?campaign=xihaian-2026&state=planned&page=2")
    assert [a.title for a in second.context["activities"]][-1].endswith("第1场")
    assert len(second.context["activities"]) == 3
