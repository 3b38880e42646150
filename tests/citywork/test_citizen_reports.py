"""Citizens' photo reports (随手拍) through the public page, as a phone sends them: the case
that comes of one, its photos stripped, "me too" for the same problem nearby, the tracking
page and the reporter's word, and the page refusing what it must, changing nothing."""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.citywork.cases_world import HERE, category
from tests.citywork.conftest import signed_in
from tests.citywork.photo_files import GPS_IFD, has_metadata, phone_photo
from vanguard.citywork.actions.cases import (
    do_check,
    do_decide_return,
    do_dispatch,
    do_handle,
    do_register,
    do_return,
)
from vanguard.citywork.choices import PhotoRole, PhotoSource
from vanguard.citywork.models import Case, CaseEvent, Photo, PhotoAttachment
from vanguard.citywork.photos import photos_of, store_photo
from vanguard.core.coords import wgs84_to_gcj02

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
# About 60 m north-east of HERE, on the same street.
NEAR = (HERE[0] + 0.0004, HERE[1] + 0.0003)


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    """Where public copies and originals go; the rate limits start from nothing."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    cache.clear()
    return tmp_path


def report_form(**fields):
    data = {
        "category": "exposed-garbage",
        "lon": "{:.6f}".format(HERE[0]),
        "lat": "{:.6f}".format(HERE[1]),
        "coordinate_system": "wgs84",
        "description": "小区门口垃圾堆了三天没人清运",
        "address": "黄岛路与海军路路口",
        "phone": PHONE,
        "homepage": "",
    }
    data.update(fields)
    return data


def photo(name="IMG_0001.jpg", colour=(200, 120, 40)):
    return SimpleUploadedFile(name, phone_photo(colour=colour), content_type="image/jpeg")


def send(client, *photos, **fields):
    return client.post("/report/", {**report_form(**fields), "photos": list(photos)})


def code_of(response):
    assert response.status_code == 302, response.content.decode()[:3000]
    found = re.fullmatch(r"/report/thanks/([0-9A-Z]+)/", response["Location"])
    assert found, response["Location"]
    return found.group(1)


def page_text(response):
    return response.content.decode()


def test_a_phone_photo_report_becomes_a_case_for_the_office_with_its_photos_stripped(
    cast, grid, storage
):
    phone = Client()
    form = phone.get("/report/")
    assert form.status_code == 200
    page = page_text(form)
    # The categories the public may choose, grouped by main category; the camera asked for.
    assert '<optgroup label="市容环境">' in page and "暴露垃圾" in page
    assert 'capture="environment"' in page and 'accept="image/*"' in page
    assert "vg_device" in form.cookies
    code = code_of(send(phone, photo()))

    case = Case.objects.get(tracking_code=code)
    assert (case.source, case.state, case.grid) == ("citizen", "reported", grid)
    assert case.campaign == cast["campaign"] and case.reported_by is None
    assert case.reporter_phone == PHONE and case.category.code == "exposed-garbage"
    assert case.address == "黄岛路与海军路路口"
    assert list(case.events.values_list("action", flat=True)) == ["report"]
    # In the office's pool: a citizen's report waiting to be registered (立案).
    assert (
        Case.objects.filter(campaign=cast["campaign"], state="reported", source="citizen").get()
        == case
    )

    [attachment] = photos_of(case)
    assert (attachment.role, attachment.source) == (PhotoRole.REPORT, PhotoSource.PAGE)
    assert attachment.attached_by is None
    public = phone.get(attachment.photo.url)
    assert public.status_code == 200
    assert has_metadata(b"".join(public.streaming_content)) == []
    # The original keeps where the photo was taken, for the office only.
    from PIL import Image

    with attachment.photo.original.open("rb") as original:
        assert Image.open(original).getexif().get_ifd(GPS_IFD)
    assert phone.get(attachment.photo.original_url).status_code == 302  # to the login

    thanks = phone.get("/report/thanks/{}/".format(code))
    assert thanks.status_code == 200 and code in page_text(thanks)
    assert 'href="/report/track/{}/"'.format(code) in page_text(thanks)
    assert thanks["Cache-Control"] == "private, no-store"
    # The office registers it like any case of the pool.
    do_register(case, actor=cast["office"])
    assert Case.objects.get(pk=case.pk).state == "registered"


def test_the_reporters_phone_never_shows_on_a_public_page(cast, grid):
    phone = Client()
    code = code_of(send(phone, photo()))
    number = Case.objects.get().number
    for path in (
        "/report/thanks/{}/".format(code),
        "/report/track/{}/".format(code),
        "/report/track/",
        "/report/nearby/?category=exposed-garbage&lon={}&lat={}".format(*HERE),
        "/open311/v2/requests/{}.json".format(number),
        "/open311/v2/requests.xml",
    ):
        response = Client().get(path) if path.startswith("/open311") else phone.get(path)
        assert response.status_code == 200, path
        assert PHONE not in page_text(response), path


def test_a_report_near_an_open_case_of_the_same_kind_is_offered_as_me_too(cast, grid):
    first = code_of(send(Client(), photo()))
    case = Case.objects.get(tracking_code=first)
    neighbour = Client()
    lon, lat = "{:.6f}".format(NEAR[0]), "{:.6f}".format(NEAR[1])

    # The page asks before sending; the answer names the case, never who reported it.
    found = neighbour.get(
        "/report/nearby/", {"category": "exposed-garbage", "lon": lon, "lat": lat}
    ).json()
    assert [c["number"] for c in found["cases"]] == [case.number]
    assert 0 < found["cases"][0]["metres"] < 100 and found["cases"][0]["thumbnail"]
    assert "tracking" not in str(found) and first not in str(found)
    other_kind = neighbour.get(
        "/report/nearby/", {"category": "small-ads", "lon": lon, "lat": lat}
    ).json()
    assert other_kind["cases"] == []

    # Sent without having seen it: shown, nothing filed, the photo kept for the decision.
    asked = send(neighbour, photo("IMG_0002.jpg", (40, 120, 200)), lon=lon, lat=lat)
    assert asked.status_code == 200
    assert case.number in page_text(asked) and "我也遇到" in page_text(asked)
    assert Case.objects.count() == 1
    assert Photo.objects.count() == 2 and PhotoAttachment.objects.count() == 1
    waiting = Photo.objects.get(attachments__isnull=True)
    kept = asked.context["form"]["kept"].value()
    assert kept and asked.context["form"]["seen"].value() == case.number

    # "Me too": counted once per phone.
    support = {
        "case": case.number,
        "category": "exposed-garbage",
        "lon": lon,
        "lat": lat,
        "coordinate_system": "wgs84",
    }
    said = neighbour.post("/report/support/", support)
    assert said.status_code == 200 and case.number in page_text(said)
    assert Case.objects.get(pk=case.pk).supporters == 1
    assert CaseEvent.objects.filter(case=case, action="support").count() == 1
    again = neighbour.post("/report/support/", support)
    assert again.status_code == 200 and "只计一次" in page_text(again)
    assert Case.objects.get(pk=case.pk).supporters == 1
    assert PHONE not in page_text(said)

    # Or a different problem after all: sent with the kept photo, which is attached.
    sent = neighbour.post(
        "/report/", {**report_form(lon=lon, lat=lat, kept=kept, seen=case.number), "photos": []}
    )
    second = Case.objects.get(tracking_code=code_of(sent))
    [attachment] = photos_of(second)
    assert attachment.photo == waiting and attachment.source == PhotoSource.PAGE
    assert Case.objects.count() == 2 and Photo.objects.count() == 2


def test_me_too_is_refused_for_a_case_the_page_did_not_offer_there(cast, grid):
    code_of(send(Client(), photo()))
    case = Case.objects.get()
    far = Client().post(
        "/report/support/",
        {"case": case.number, "category": "exposed-garbage", "lon": "120.05", "lat": "35.90"},
    )
    assert far.status_code == 400 and "附近" in page_text(far)
    other_kind = Client().post(
        "/report/support/",
        {"case": case.number, "category": "small-ads", "lon": HERE[0], "lat": HERE[1]},
    )
    assert other_kind.status_code == 400
    assert Case.objects.get().supporters == 0


def test_the_tracking_page_follows_the_case_and_takes_the_reporters_word(cast, grid):
    phone = Client()
    code = code_of(send(phone, photo()))
    case = Case.objects.get(tracking_code=code)
    track = "/report/track/{}/".format(code)
    assert "待立案" in page_text(phone.get(track))

    office, unit, checker = cast["office"], cast["reporter_hdjd"], cast["tf_citywork"]
    case = do_register(case, actor=office)
    case = do_dispatch(case, actor=office)
    case = do_return(case, actor=unit, reason="内部核对：非本街道辖区")
    case = do_decide_return(case, actor=office, uphold=False, note="网格属实，仍由黄岛街道办理")
    store_photo(phone_photo(colour=(90, 90, 90)), source="api", by=unit, subject=case, role="after")
    case = do_handle(case, actor=unit, reply="已组织环卫人员清运完毕")
    case = do_check(case, actor=checker, passed=True)

    page = phone.get(track)
    text = page_text(page)
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    assert "已组织环卫人员清运完毕" in text and "黄岛街道" in text
    assert "现场核查通过，办结" in text and "已办结" in text
    assert [label for label, _photos in page.context["progress"]["photos"]] == ["上报时", "整改后"]
    # Internal notes stay inside: the return's reason and the dispatcher's answer.
    assert "内部核对" not in text and "网格属实" not in text
    assert PHONE not in text and cast["reporter_hdjd"].person.name not in text

    # Not fixed needs words; with them the case goes back to the unit as rework.
    empty = phone.post(track, {"fixed": "0", "note": ""})
    assert empty.status_code == 400 and "仍未解决" in page_text(empty)
    assert Case.objects.get(pk=case.pk).state == "closed"
    reopened = phone.post(track, {"fixed": "0", "note": "垃圾又堆起来了"})
    assert reopened.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert (case.state, case.rework_count, case.citizen_confirmed) == ("dispatched", 1, False)
    assert "垃圾又堆起来了" in page_text(phone.get(track))
    # Handled again and checked: now fixed, and said so once.
    case = do_handle(case, actor=unit, reply="已再次清运并加装监控")
    case = do_check(case, actor=checker, passed=True)
    assert phone.post(track, {"fixed": "1"}).status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.citizen_confirmed is True
    final = page_text(phone.get(track))
    assert "您已确认问题解决" in final and "data-vg-not-fixed" not in final


def test_a_code_is_found_however_it_is_typed_and_the_phone_remembers_its_reports(cast, grid):
    phone = Client()
    code = code_of(send(phone, photo()))
    typed = phone.get("/report/track/", {"code": " {}-{} ".format(code[:5].lower(), code[5:])})
    assert typed.status_code == 302 and typed["Location"] == "/report/track/{}/".format(code)
    assert phone.get("/report/track/{}/".format(code.lower()))["Location"].endswith(code + "/")
    listed = phone.get("/report/track/")
    assert listed.status_code == 200 and code in page_text(listed)
    unknown = phone.get("/report/track/ABCDEFGHJK/")
    assert unknown.status_code == 404 and "没有查询码为 ABCDEFGHJK 的" in page_text(unknown)
    # Another phone does not list it.
    assert code not in page_text(Client().get("/report/track/"))


def test_reports_are_counted_per_address_and_per_phone(cast, grid, settings):
    settings.CITIZEN_REPORTS_PER_HOUR = 2
    phone = Client()
    # Three kinds of problem at one place, so that none waits for "me too".
    for n, kind in enumerate(("exposed-garbage", "small-ads")):
        code_of(
            send(phone, photo(colour=(n, 100, 100)), category=kind, description="第{}处".format(n))
        )
    refused = send(
        phone, photo(colour=(9, 9, 9)), category="muck-piles", description="第三处垃圾没人管"
    )
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    text = page_text(refused)
    assert "上报过于频繁" in text and "第三处垃圾没人管" in text
    assert Case.objects.count() == 2

    # The same phone from another network: its own daily count stops it.
    settings.CITIZEN_REPORTS_PER_HOUR = 100
    settings.CITIZEN_REPORTS_PER_DAY = 2
    elsewhere = phone.post(
        "/report/",
        {**report_form(category="muck-piles", description="换了网络再报"), "photos": []},
        REMOTE_ADDR="10.1.2.3",
    )
    assert elsewhere.status_code == 429 and Case.objects.count() == 2
    # A phone that drops its cookie counts against its address's own.
    settings.CITIZEN_REPORTS_PER_DAY = 1
    cookieless = Client(REMOTE_ADDR="10.9.9.9")
    code_of(cookieless.post("/report/", report_form(category="dirty-road", description="第一次")))
    cookieless.cookies.clear()
    again = cookieless.post("/report/", report_form(category="street-stalls", description="第二次"))
    assert again.status_code == 429 and Case.objects.count() == 3


def test_tracking_pages_are_read_at_a_measured_pace(cast, grid, settings):
    code = code_of(send(Client(), photo()))
    settings.CITIZEN_READS_PER_MINUTE = 2
    reader = Client(REMOTE_ADDR="10.0.0.8")
    assert reader.get("/report/track/{}/".format(code)).status_code == 200
    assert reader.get("/report/track/{}/".format(code)).status_code == 200
    third = reader.get("/report/track/{}/".format(code))
    assert third.status_code == 429 and "Retry-After" in third
    settings.CITIZEN_READS_PER_MINUTE = 100
    settings.CITIZEN_MISSES_PER_HOUR = 1
    guesser = Client(REMOTE_ADDR="10.0.0.9")
    assert guesser.get("/report/track/ABCDEFGHJK/").status_code == 404
    assert guesser.get("/report/track/ABCDEFGHJM/").status_code == 429


def test_a_bad_photo_or_a_bad_report_creates_nothing(cast, grid, storage):
    phone = Client()
    fake = SimpleUploadedFile("IMG_0003.jpg", b"<html>not a photo</html>", "image/jpeg")
    refused = send(phone, photo(), fake)
    assert refused.status_code == 400
    text = page_text(refused)
    assert "IMG_0003.jpg" in text and "小区门口垃圾堆了三天没人清运" in text
    four = send(phone, *[photo("IMG_{}.jpg".format(n), (n, 50, 50)) for n in range(4)])
    assert four.status_code == 400 and "最多" in page_text(four)
    markup = send(phone, photo(), description="<script>alert(1)</script>垃圾")
    assert markup.status_code == 400 and "HTML" in page_text(markup)
    robot = send(phone, photo(), homepage="http://spam.example")
    assert robot.status_code == 400
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0
    assert Photo.objects.count() == 0 and PhotoAttachment.objects.count() == 0
    assert not (storage / "media").exists() or not any((storage / "media").rglob("*.jpg"))


def test_a_place_outside_the_district_is_refused_in_words(cast, grid):
    refused = send(Client(), photo(), lon="116.397", lat="39.909")  # Tian'anmen, Beijing
    assert refused.status_code == 400
    text = page_text(refused)
    assert "不在青岛西海岸新区" in text and "小区门口垃圾堆了三天没人清运" in text
    assert Case.objects.count() == 0
    far = Client().get(
        "/report/nearby/", {"category": "exposed-garbage", "lon": 116.397, "lat": 39.909}
    )
    assert far.status_code == 400 and far.json()["field"] == "location"


def test_a_wechat_point_in_gcj02_is_converted_to_wgs84(cast, grid):
    gcj_lon, gcj_lat = wgs84_to_gcj02(*HERE)
    assert abs(gcj_lon - HERE[0]) > 0.003  # hundreds of metres apart in Qingdao
    # A mini program opens the page with its own point: the map shows it where it is.
    opened = Client().get(
        "/report/", {"lon": gcj_lon, "lat": gcj_lat, "coordinate_system": "gcj02"}
    )
    marker = opened.context["config"]["marker"]
    assert abs(marker[0] - HERE[1]) < 1e-6 and abs(marker[1] - HERE[0]) < 1e-6
    code = code_of(
        send(
            Client(),
            photo(),
            lon="{:.7f}".format(gcj_lon),
            lat="{:.7f}".format(gcj_lat),
            coordinate_system="gcj02",
        )
    )
    case = Case.objects.get(tracking_code=code)
    assert case.coordinate_system == "gcj02"
    assert abs(case.lon - HERE[0]) < 1e-6 and abs(case.lat - HERE[1]) < 1e-6
    assert case.grid == grid


def test_the_public_category_list_keeps_private_and_retired_kinds_out(cast):
    hidden = category("night-noise")
    hidden.public = False
    hidden.save()
    page = page_text(Client().get("/report/"))
    assert "夜间施工噪声" not in page and "暴露垃圾" in page
    refused = send(Client(), category="night-noise")
    assert refused.status_code == 400 and Case.objects.count() == 0


def test_staff_signed_in_report_as_the_public_does(cast, grid):
    office = signed_in(cast["office"])
    code = code_of(send(office, photo()))
    case = Case.objects.get(tracking_code=code)
    assert case.source == "citizen" and case.reported_by is None


def test_a_report_merged_into_an_earlier_case_follows_that_case(cast, grid):
    from vanguard.citywork.actions.case_support import do_merge

    first = Case.objects.get(tracking_code=code_of(send(Client(), photo())))
    neighbour = Client()
    second_code = code_of(send(neighbour, seen=first.number, description="同一堆垃圾"))
    second = Case.objects.get(tracking_code=second_code)
    do_merge(second, into=first, actor=cast["office"])
    do_register(first, actor=cast["office"])
    page = page_text(neighbour.get("/report/track/{}/".format(second_code)))
    assert "已并入先前的上报" in page and first.number in page and "已立案，待派遣" in page
    assert Case.objects.get(pk=first.pk).supporters == 1
