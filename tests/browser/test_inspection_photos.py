"""On a phone, the task force takes photos while inspecting a zone: each shot adds room for
the next, and the recorded inspection shows them as thumbnails that open the photo."""

import pytest

from tests.citywork import conftest as city_fixtures
from tests.citywork.photo_files import phone_photo
from tests.conftest import PASSWORD

# The campaign, the cast and the zone of Huangdao street of the city-work tests.
plan, cast, places = city_fixtures.plan, city_fixtures.cast, city_fixtures.places

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_photos_taken_on_the_spot_are_shown_on_the_place(
    browser, live_server, places, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/login/")
        page.fill("#id_username", "tf_citywork")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("nav .navbar-brand")
        page.goto(live_server.url + "/city/places/p/SFQ-01/?campaign=xihaian-2026")
        cameras = page.locator("[data-vg-camera] input[capture=environment]")
        assert cameras.count() == 1
        for n, colour in enumerate([(200, 120, 40), (40, 120, 200)]):
            shot = {"name": "IMG_{}.jpg".format(n), "mimeType": "image/jpeg"}
            cameras.nth(n).set_input_files({**shot, "buffer": phone_photo(colour=colour)})
            assert cameras.count() == n + 2, "a new camera input follows each photo taken"
        page.fill("#id_inspectors", "郑专班")
        page.click("#inspection-form button[type=submit]")
        page.wait_for_selector("[data-photos]")
        assert "已保存照片 2 张" in page.inner_text("body")
        thumbnails = page.locator("[data-photos] img")
        assert thumbnails.count() == 2
        page.wait_for_function(
            "[...document.querySelectorAll('[data-photos] img')]"
            ".every(img => img.complete && img.naturalWidth > 0)"
        )
        # The thumbnail opens the public copy; the task force also has the original.
        href = page.locator("[data-photos] a[data-photo]").first.get_attribute("href")
        response = page.request.get(live_server.url + href)
        assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
        assert page.locator("[data-photos] a[data-original]").count() == 2
    finally:
        context.close()
