"""The display board in a real browser: it fills a 1920 x 1080 screen and a laptop at
Windows display scaling of 150 %, rotates its pages, refreshes in place, and downloads a
page as a PNG."""

import io
import re

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kiosk(settings, live_server):
    call_command("loadplan", str(settings.PROJECT_DIR / "plans" / "xihaian.yaml"), verbosity=0)
    out = io.StringIO()
    call_command("board", "link", "--screen", "hall-1", stdout=out)
    return live_server.url + re.sub(r"^https?://[^/]+", "", out.getvalue().strip())


def wait_for(page, counter, at_least, seconds=30):
    """Poll the board's counters (the page's CSP forbids wait_for_function's eval)."""
    for _ in range(seconds * 10):
        if page.evaluate("() => (window.vgBoard || {})['%s'] || 0" % counter) >= at_least:
            return
        page.wait_for_timeout(100)
    raise AssertionError("the board's {} stayed below {}".format(counter, at_least))


@pytest.mark.parametrize(
    "viewport,scale", [((1920, 1080), 1), ((1280, 720), 1.5), ((1366, 768), 1)]
)
def test_the_board_fills_the_screen_rotates_and_refreshes(
    browser, kiosk, settings, viewport, scale
):
    width, height = viewport
    context = browser.new_context(
        locale="zh-CN", viewport={"width": width, "height": height}, device_scale_factor=scale
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(kiosk + "&rotate=0.5&refresh=0.4")
        wait_for(page, "refreshes", 3)
        wait_for(page, "rotations", 2)
        stage = page.locator("#stage").bounding_box()
        # Letterboxed to 16:9 and filling the narrower side.
        assert abs(stage["width"] / stage["height"] - 16 / 9) < 0.01
        assert stage["width"] == pytest.approx(min(width, height * 16 / 9), abs=2)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        text = page.text_content("#stage")
        assert "数据截至" in text and "招引开工重大项目" in text
        assert not errors, errors
        page.screenshot(path=str(settings.VAR_DIR / "board-{}x{}.png".format(width, height)))
        with page.expect_download() as download:
            page.click("#png")
        assert download.value.suggested_filename.endswith(".png")
    finally:
        context.close()
