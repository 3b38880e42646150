"""A demo user logs in through a real browser and reads the plan's targets."""

import pytest
from django.core.management import call_command

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_logs_in_on_a_phone_and_sees_every_battles_targets(
    live_server, page, office_clerk, settings
):
    call_command("loadplan", str(settings.PROJECT_DIR / "plans" / "xihaian.yaml"))
    page.goto(live_server.url + "/")
    assert "/login/" in page.url
    page.fill("#id_username", "office")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#battle-projects")
    text = page.inner_text("main")
    for figure in ("230", "257", "627", "6.5%"):
        assert figure in text
    assert "重大项目攻坚专班" in text
    page.screenshot(path=str(settings.VAR_DIR / "overview-phone.png"), full_page=True)


def test_a_wrong_password_shows_the_error_in_the_browser(live_server, page, office_clerk):
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    # The click returns before the answer arrives: wait for the page that carries it.
    alert = page.wait_for_selector(".alert-danger")
    assert alert.is_visible()
    assert "/login/" in page.url
