"""The navigation bar in a real browser: the supervision pages sit in one dropdown
(督查督办) whose entries follow each role, on a laptop (1366 px) and on a phone (390 px)."""

import pytest
from django.core.management import call_command

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What each role finds under 督查督办, in order.
ENTRIES = {
    "office": ["督办", "一单位一清单", "月通报", "约谈", "问责案件"],
    "leader": ["督办", "一单位一清单", "月通报", "约谈", "问责案件"],
    "tf_projects": ["督办", "一单位一清单", "月通报", "约谈"],
    "reporter_fgj": ["督办单", "一单位一清单", "月通报", "约谈"],
    "inspector": ["一单位一清单", "月通报", "问责案件"],
}


@pytest.fixture
def cast(office_clerk, leader, projects_member, fgj_reporter, inspector, settings):
    call_command("loadplan", str(settings.PROJECT_DIR / "plans" / "xihaian.yaml"))


def _sign_in(browser, live_server, username, width):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("nav .navbar-brand")
    return context, page


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("who", sorted(ENTRIES))
def test_the_supervision_dropdown_holds_each_roles_entries(
    browser, live_server, cast, settings, who, width
):
    context, page = _sign_in(browser, live_server, who, width)
    try:
        nav = page.locator("#vg-nav")
        if width < 992:
            assert not nav.is_visible()
            page.click(".navbar-toggler")
            page.wait_for_selector("#vg-nav.show")
        else:
            # On a laptop the whole bar stands on one line.
            links = page.locator("#vg-nav > ul.navbar-nav")
            assert links.bounding_box()["height"] < 60
        menu = page.locator("#vg-nav-supervision .dropdown-menu")
        assert not menu.is_visible()
        page.click("#vg-nav-supervision > .dropdown-toggle")
        menu.wait_for(state="visible")
        assert page.inner_text("#vg-nav-supervision > .dropdown-toggle").strip() == "督查督办"
        entries = [text.strip() for text in menu.locator(".dropdown-item").all_inner_texts()]
        assert entries == ENTRIES[who]
        # None of them stands in the bar itself any more.
        bar = [t.strip() for t in page.locator("#vg-nav > ul > li > a.nav-link").all_inner_texts()]
        assert not set(bar) & set(ENTRIES[who])
        page.screenshot(path=str(settings.VAR_DIR / "nav-{}-{}.png".format(who, width)))
        # The first entry opens its page.
        menu.locator(".dropdown-item").first.click()
        page.wait_for_load_state()
        assert page.locator("h1").count() >= 1 and "/login/" not in page.url
    finally:
        context.close()
