"""A citizen reports a problem from a phone, in WeChat's browser as far as a page can tell:
a photo from the camera, the phone's location, the kind of problem, then the tracking code
and the progress page; a neighbour at the same spot is offered "me too" instead."""

import pytest

from tests.browser.test_pages_run_their_scripts import watch
from tests.citywork import conftest as city_fixtures
from tests.citywork.cases_world import HERE
from tests.citywork.photo_files import phone_photo
from vanguard.citywork.actions.cases import do_check, do_dispatch, do_handle, do_register
from vanguard.citywork.models import Case

plan, cast, grid = city_fixtures.plan, city_fixtures.cast, city_fixtures.grid

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp"
# WeChat's built-in browser on Android names itself so.
WECHAT = (
    "Mozilla/5.0 (Linux; Android 13; V2183A) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202"
    " MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN"
)


def phone_at(browser, lon, lat):
    """A phone's browser that may read its location, standing at (lon, lat)."""
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        user_agent=WECHAT,
        geolocation={"longitude": lon, "latitude": lat, "accuracy": 12},
        permissions=["geolocation"],
    )
    return context, context.new_page()


def take_photo(page, n=0, colour=(200, 120, 40)):
    camera = page.locator("[data-vg-photo-slot]:not(.vg-photo-taken) input[capture=environment]")
    camera.set_input_files(
        {
            "name": "IMG_{}.jpg".format(n),
            "mimeType": "image/jpeg",
            "buffer": phone_photo(colour=colour),
        }
    )


def nearby_answered(page):
    page.wait_for_selector("[data-vg-nearby][data-vg-state=done]")
    return page.inner_text("[data-vg-nearby]")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    from django.core.cache import cache

    cache.clear()


def test_a_citizen_reports_from_a_phone_a_neighbour_says_me_too_and_the_fix_is_disputed(
    browser, live_server, cast, grid, media
):
    context, page = phone_at(browser, *HERE)
    problems = watch(page)
    try:
        page.goto(live_server.url + "/report/")
        page.wait_for_selector("#vg-report-map[data-vg-ready]")
        # Two photos from the camera: each shot shows and leaves room for the next.
        take_photo(page, 0)
        page.wait_for_selector("[data-vg-previews] .vg-preview")
        take_photo(page, 1, (40, 120, 200))
        assert page.locator("[data-vg-previews] .vg-preview").count() == 2
        assert page.locator("[data-vg-photo-slot] input[capture=environment]").count() == 3
        page.click("[data-vg-locate]")
        page.wait_for_selector("[data-vg-place-status]:has-text('已使用您的位置')")
        assert float(page.input_value("#id_lon")) == pytest.approx(HERE[0], abs=1e-6)
        assert float(page.input_value("#id_lat")) == pytest.approx(HERE[1], abs=1e-6)
        assert page.locator(".vg-here").count() == 1
        page.select_option("#id_category", "exposed-garbage")
        assert "附近暂无同类问题在办" in nearby_answered(page)
        page.fill("#id_description", "小区门口垃圾桶旁垃圾堆了三天")
        page.fill("#id_phone", "13912345678")
        page.screenshot(path=SHOTS + "/citizen-report-form.png", full_page=True)
        page.click("[data-vg-submit]")
        page.wait_for_selector("[data-vg-tracking-code]")
        code = page.inner_text("[data-vg-tracking-code]").strip()
        page.screenshot(path=SHOTS + "/citizen-report-thanks.png", full_page=True)
        case = Case.objects.get(tracking_code=code)
        assert case.source == "citizen" and case.state == "reported" and case.grid == grid
        assert case.events.count() == 1 and case.reporter_phone == "13912345678"
        from vanguard.citywork.photos import photos_of

        assert len(photos_of(case)) == 2
        page.click("[data-vg-track-link]")
        page.wait_for_selector("[data-vg-steps]")
        assert "待立案" in page.inner_text("[data-vg-state]")
        assert "13912345678" not in page.content()
        page.wait_for_selector("[data-vg-photos] img")
        page.screenshot(path=SHOTS + "/citizen-report-track.png", full_page=True)
        # The phone remembers the report.
        page.goto(live_server.url + "/report/track/")
        assert page.locator("a[href='/report/track/{}/']".format(code)).count() == 1
        assert problems == []
    finally:
        context.close()

    # A neighbour at the same spot, tapping the map instead: the open case is offered.
    context, page = phone_at(browser, HERE[0] + 0.0003, HERE[1] + 0.0002)
    problems = watch(page)
    try:
        page.goto(live_server.url + "/report/")
        page.wait_for_selector("#vg-report-map[data-vg-ready]")
        page.select_option("#id_category", "exposed-garbage")
        page.click("[data-vg-locate]")
        page.wait_for_selector("[data-vg-place-status]:has-text('已使用您的位置')")
        box = page.locator("#vg-report-map").bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2 + 20, box["y"] + box["height"] / 2)
        page.wait_for_selector("[data-vg-place-status]:has-text('已选定您点选的位置')")
        text = nearby_answered(page)
        assert case.number in text and "小区门口垃圾桶旁垃圾堆了三天" in text
        page.screenshot(path=SHOTS + "/citizen-report-nearby.png", full_page=True)
        page.click("[data-vg-nearby-case='{}'] button[type=submit]".format(case.number))
        page.wait_for_selector("[data-vg-supported]")
        assert Case.objects.get(pk=case.pk).supporters == 1
        assert Case.objects.count() == 1
        assert problems == []
    finally:
        context.close()

    # The case is handled and closed; the reporter says it is not fixed after all.
    office, unit, checker = cast["office"], cast["reporter_hdjd"], cast["tf_citywork"]
    case = do_register(case, actor=office)
    case = do_dispatch(case, actor=office)
    case = do_handle(case, actor=unit, reply="已组织环卫人员清运完毕")
    do_check(case, actor=checker, passed=True)
    context, page = phone_at(browser, *HERE)
    problems = watch(page)
    try:
        page.goto(live_server.url + "/report/track/{}/".format(code))
        page.wait_for_selector("[data-vg-feedback]")
        assert "已组织环卫人员清运完毕" in page.inner_text("[data-vg-reply]")
        page.fill("#id_note", "垃圾又堆起来了")
        page.screenshot(path=SHOTS + "/citizen-report-feedback.png", full_page=True)
        page.click("[data-vg-not-fixed]")
        page.wait_for_selector(".alert-success")
        assert "处置中" in page.inner_text("[data-vg-state]")
        assert Case.objects.get(pk=case.pk).rework_count == 1
        assert problems == []
    finally:
        context.close()


def test_a_place_outside_the_district_is_refused_before_sending(browser, live_server, grid, media):
    context, page = phone_at(browser, 116.397, 39.909)  # Beijing
    problems = watch(page)
    try:
        page.goto(live_server.url + "/report/")
        page.wait_for_selector("#vg-report-map[data-vg-ready]")
        page.select_option("#id_category", "exposed-garbage")
        page.click("[data-vg-locate]")
        page.wait_for_selector("[data-vg-place-error]:has-text('不在青岛西海岸新区范围内')")
        page.fill("#id_description", "北京的问题")
        page.click("[data-vg-submit]")
        # The page sends the report and shows the answer when it comes: wait for it.
        page.wait_for_selector("[data-vg-submit-error]:has-text('不在青岛西海岸新区范围内')")
        assert Case.objects.count() == 0
        # The page answered 400 for the place: that is the only console error.
        assert all("400" in p for p in problems), problems
    finally:
        context.close()
