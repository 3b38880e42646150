"""On a phone (390 px) the leader reads the cockpit and the long lists as cards: nothing
runs off the screen sideways and no column is squeezed to a character a line."""

import datetime

import pytest
from django.core.management import call_command

from tests.conftest import PASSWORD
from vanguard.core.money import YI
from vanguard.org.models import Campaign
from vanguard.projects.actions import do_create_project, do_set_stage
from vanguard.projects.choices import Stage
from vanguard.supervision.lights import recompute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def district(leader, office_clerk, fgj, hdjd, settings):
    call_command("loadplan", str(settings.PROJECT_DIR / "plans" / "xihaian.yaml"), verbosity=0)
    plan = Campaign.objects.get(code="xihaian-2026")
    for i in range(30):
        project = do_create_project(
            campaign=plan, code="P-{:03d}".format(i), name="西海岸重点产业项目{}号".format(i),
            lead_unit=fgj if i % 2 else hdjd, investment_yuan=(i + 2) * YI, actor=office_clerk,
            node_plans={"project_approval": datetime.date(2026, 2, 10)},
        )  # fmt: skip
        if i % 3 == 0:
            do_set_stage(project, Stage.STARTED, on=datetime.date(2026, 3, 2), actor=office_clerk)
    recompute(plan)


def _leader_on_a_phone(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "leader")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("nav .navbar-brand")
    return context, page


@pytest.mark.parametrize("path", ["/", "/projects/", "/projects/matrix/"])
def test_pages_read_as_cards_on_a_phone(browser, live_server, district, settings, path):
    context, page = _leader_on_a_phone(browser, live_server)
    try:
        page.goto(live_server.url + path)
        page.wait_for_selector("table.vg-cards")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, "{} runs {} px wide on a 390 px phone".format(path, width)
        # Every visible cell is at least a third of the screen wide: no squeezed columns.
        narrowest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('table.vg-cards tbody td')]
                 .filter(td => td.offsetParent !== null && getComputedStyle(td).display !== 'inline-block')
                 .map(td => td.getBoundingClientRect().width))"""
        )
        assert narrowest > 120
        assert not page.locator("table.vg-cards thead").first.is_visible()
        name = path.strip("/").replace("/", "-") or "cockpit"
        page.screenshot(path=str(settings.VAR_DIR / "phone-{}.png".format(name)), full_page=True)
    finally:
        context.close()


def test_the_cockpit_shows_the_leader_actuals_and_who_lags_on_a_phone(
    browser, live_server, district
):
    context, page = _leader_on_a_phone(browser, live_server)
    try:
        page.goto(live_server.url + "/")
        row = page.locator('tr[data-target="projects-started-2026"]')
        text = row.inner_text()
        assert "10个" in text and "截至" in text
        assert page.locator('[data-lagging="projects"]').is_visible()
    finally:
        context.close()
