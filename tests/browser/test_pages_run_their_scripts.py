"""Every chart draws and every page's behaviour runs under the Content-Security-Policy."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import PASSWORD, make_person
from vanguard.org.choices import Battle, Role
from vanguard.org.models import Campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, url, username):
    page.goto(url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def watch(page):
    """Collect script errors and refused inline code."""
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    return problems


def test_charts_draw_and_the_queue_selects_all_with_no_script_error(
    live_server, page, settings, fgj, leader
):
    from vanguard.core.money import YI
    from vanguard.projects.actions import do_create_project, do_submit_report

    call_command("loadplan", str(settings.PROJECT_DIR / "plans" / "xihaian.yaml"), verbosity=0)
    campaign = Campaign.objects.get(code="xihaian-2026")
    office = make_person("office2", "办公室", role=Role.OFFICE)
    make_person(
        "tf2", "专班", fgj, Role.TASK_FORCE_MEMBER,
        task_force=campaign.task_forces.get(battle=Battle.PROJECTS),
    )  # fmt: skip
    reporter = make_person("rep2", "填报", fgj, Role.UNIT_REPORTER, reporter_unit=fgj)
    # A key node named with markup must show as text in the map's tooltip.
    campaign.key_nodes.filter(code="land_use").update(name='<img src=x id="injected">用地')
    today = timezone.localdate()
    for i in range(2):
        project = do_create_project(
            campaign=campaign, code="XHA-900{}".format(i), name="项目{}".format(i),
            lead_unit=fgj, investment_yuan=2 * YI, actor=office,
            node_plans={"land_use": today - datetime.timedelta(days=5)},
        )  # fmt: skip
        do_submit_report(project, actor=reporter, progress="推进中", today=today)

    problems = watch(page)
    sign_in(page, live_server.url, "leader")
    for path in (
        "/projects/p/XHA-9000/",
        "/campaigns/xihaian-2026/targets/projects-introduced-1e8-2026/",
        "/projects/progress/",
    ):
        page.goto(live_server.url + path)
        page.wait_for_selector("canvas")
    page.goto(live_server.url + "/projects/p/XHA-9000/")
    page.wait_for_selector("canvas")
    assert page.locator("#injected").count() == 0
    assert problems == []

    page.context.clear_cookies()
    sign_in(page, live_server.url, "tf2")
    page.goto(live_server.url + "/projects/certification/")
    page.check("#select-all")
    boxes = page.locator("input[name=report]")
    assert boxes.count() == 2
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    assert problems == []
