"""Every chart draws and every page's behaviour runs under the Content-Security-Policy."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD, make_person
from vanguard.org.choices import Battle, Role, UnitKind
from vanguard.org.models import Campaign, Unit

# Every template that loads a script of its own, the page that shows it in the test's
# world, and the charts the script draws there.
PAGES_WITH_SCRIPTS = {
    "projects/project_detail.html": ("/projects/p/XHA-9000/", ["project-map"]),
    "board/target_detail.html": (
        "/campaigns/xihaian-2026/targets/projects-introduced-1e8-2026/",
        ["trajectory-chart"],
    ),
    "projects/progress.html": (
        "/projects/progress/",
        ["chart-introduced", "chart-started", "chart-units", "chart-sizes"],
    ),
    "indicators/indicator_detail.html": ("/indicators/retail_sales/", ["indicator-chart"]),
    "enterprises/detail.html": (
        "/indicators/enterprises/{enterprise}/",
        ["enterprise-chart"],
    ),
    "indicators/forecast.html": ("/indicators/forecast/", ["forecast-chart"]),
    "indicators/pack.html": ("/indicators/pack/", ["growth-chart", "forecast-chart"]),
    # The job page's progress bar is polled by htmx (test_a_job_page_follows_its_job).
    "exchange/job.html": ("/jobs/{job}/", []),
    # Maps draw vectors, not canvases (test_map_in_browser.py looks at them).
    "maps/map.html": ("/map/", []),
    "citywork/grid_detail.html": ("/city/grids/g-1/", []),
    # A case's page and the new-case form are opened by the office in
    # test_cases_in_browser.py, which taps the map and follows the case it makes.
    "citywork/case_detail.html": ("/city/cases/{case}/", []),
    "citywork/case_form.html": ("/city/cases/new/{case}", []),
    # The citizens' photo report (test_citizen_report_in_browser.py drives it on a phone).
    "citywork/public/report.html": ("/report/", []),
    # The "use my location" button on the patrol page, the new-activity form and a held
    # activity's problem form (test_patrol_and_volunteers_in_browser.py uses each).
    "citywork/patrol_home.html": ("/city/patrol/", []),
    "citywork/activity_form.html": ("/city/activities/new/", []),
    "citywork/activity_detail.html": ("/city/activities/a/{case}/", []),
    # The display board's charts sit on pages not yet shown (test_board_screen.py drives
    # its rotation and refreshes); here it loads without a script error.
    "board/screen.html": ("/board/screen/", []),
}


# Pages the leader may not open (a patrol member's, a street's), each opened by its own
# users in the test the comment in PAGES_WITH_SCRIPTS names.
OPENED_BY_THEIR_USERS = {
    "citywork/patrol_home.html",
    "citywork/activity_form.html",
    "citywork/activity_detail.html",
}


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


def _templates_with_scripts():
    """Templates that load a script beyond base.html's, by name under a templates folder."""
    package = Path(settings.BASE_DIR)
    return {
        str(path).split("/templates/", 1)[1]
        for path in package.glob("**/templates/**/*.html")
        if path.name != "base.html" and re.search(r"<script src=", path.read_text("utf-8"))
    }


def test_every_page_with_a_script_of_its_own_is_opened_in_the_browser():
    assert _templates_with_scripts() == set(PAGES_WITH_SCRIPTS)


def _signed_in(username):
    client = Client()
    assert client.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def _created(response):
    assert response.status_code in (201, 302), response.content.decode()[:500]
    return response


def _indicator_figures_and_an_enterprise(fgj):
    """Retail sales of two months with the comparators' growth, and a key enterprise with two
    months' figures, through the forms and the API; returns the enterprise's code."""
    gxj = Unit.objects.create(code="gxj", name="区工业和信息化局", kind=UnitKind.DEPARTMENT)
    office = _signed_in("office2")
    for month, level in (("2026-09", 730), ("2026-10", 810)):
        for area, figures in (
            ("district", {"level": level, "growth_pct": "5.0"}),
            ("city", {"growth_pct": "4.6"}),
            ("province", {"growth_pct": "5.2"}),
        ):
            body = {"indicator": "retail_sales", "area": area, "month": month, **figures}
            _created(office.post("/api/v1/observations", body, content_type="application/json"))
    _created(
        office.post(
            "/indicators/sectors/new/",
            {"name": "工业", "responsible_unit": gxj.pk, "guidance_growth_pct": "8"},
        )
    )
    from vanguard.enterprises.credit_code import check_character

    code = "91370211000000001" + check_character("91370211000000001")
    enterprise = {"name": "青岛海工装备有限公司", "credit_code": code, "sector": "工业"}
    _created(
        office.post(
            "/api/v1/enterprises",
            {**enterprise, "serving_unit": fgj.code},
            content_type="application/json",
        )
    )
    reporter = _signed_in("rep2")
    for month, value in (("2026-09", 9_000_000), ("2026-10", 12_000_000)):
        _created(
            reporter.post(
                "/api/v1/enterprises/{}/months".format(code),
                {"month": month, "value_yuan": value, "last_year_yuan": 10_000_000},
                content_type="application/json",
            )
        )
    return code


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_charts_draw_and_the_queue_selects_all_with_no_script_error(
    live_server, page, settings, leader
):
    from vanguard.core.money import YI
    from vanguard.projects.actions import do_create_project, do_submit_report

    fgj = Unit.objects.create(code="fgj", name="区发展和改革局", kind=UnitKind.DEPARTMENT)
    # The statistics bureau exists before the plan, which links its indicators to it.
    Unit.objects.create(code="tjj", name="区统计局", kind=UnitKind.DEPARTMENT)
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
    enterprise = _indicator_figures_and_an_enterprise(fgj)
    from vanguard.citywork.models import Grid

    square = [[120.0, 36.0], [120.01, 36.0], [120.01, 36.01], [120.0, 36.0]]
    Grid.objects.create(
        code="g-1", name="网格", unit=fgj, geometry={"type": "Polygon", "coordinates": [square]}
    )

    problems = watch(page)
    sign_in(page, live_server.url, "leader")
    for template, (path, charts) in PAGES_WITH_SCRIPTS.items():
        if "{job}" in path or "{case}" in path or template in OPENED_BY_THEIR_USERS:
            continue  # opened by their owners elsewhere
        response = page.goto(live_server.url + path.format(enterprise=enterprise))
        assert response.ok, (path, response.status)
        for chart in charts:
            page.wait_for_selector("#{} canvas".format(chart))
        assert problems == [], path
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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_job_page_follows_its_job_and_shows_what_it_did(
    live_server, page, campaign, office_clerk
):
    from vanguard.exchange.models import Job, JobState

    job = Job.objects.create(
        kind="projects", owner=office_clerk, token="t", filename="项目.xlsx",
        state=JobState.RUNNING, phase="apply", done=3, total=10,
    )  # fmt: skip
    problems = watch(page)
    sign_in(page, live_server.url, office_clerk.username)
    page.goto(live_server.url + "/jobs/{}/".format(job.pk))
    page.wait_for_function("() => window.htmx !== undefined")
    Job.objects.filter(pk=job.pk).update(
        state=JobState.APPLIED, done=10, finished_at=timezone.now(),
        result={"applied": True, "counts": {"created": 10}, "next_url": "/projects/"},
    )  # fmt: skip
    # The polled bar sees the job finished and the page reloads with its outcome.
    page.wait_for_selector("#job-next", timeout=15_000)
    assert problems == []
