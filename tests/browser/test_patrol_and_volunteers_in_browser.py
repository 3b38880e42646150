"""Patrols and volunteer activities on a phone: the "use my location" button fills the
coordinates from the phone on the patrol page, the new-activity form and the held activity's
problem form, and what is recorded through them becomes cases."""

import datetime

import pytest
from django.utils import timezone

from tests.browser.test_citizen_report_in_browser import phone_at
from tests.browser.test_pages_run_their_scripts import sign_in, watch
from tests.citywork import conftest as city_fixtures
from tests.citywork.cases_world import HERE
from tests.citywork.photo_files import phone_photo
from vanguard.citywork.models import Case, Patrol, VolunteerActivity
from vanguard.citywork.models.cases import CaseSource

plan, cast, grid = city_fixtures.plan, city_fixtures.cast, city_fixtures.grid

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVIDENCE_ROOT = tmp_path / "evidence"


def use_my_location(page, form):
    page.click("{} [data-vg-locate]".format(form))
    page.wait_for_selector("{} [data-vg-locate-status]:has-text('WGS84')".format(form))
    assert float(page.input_value("{} [data-vg-lon]".format(form))) == pytest.approx(HERE[0])
    assert float(page.input_value("{} [data-vg-lat]".format(form))) == pytest.approx(HERE[1])
    assert page.input_value("{} [data-vg-system]".format(form)) == "wgs84"


def photo(name):
    return {"name": name, "mimeType": "image/jpeg", "buffer": phone_photo()}


def test_a_patrol_member_records_a_problem_where_the_phone_stands(
    browser, live_server, cast, grid, media
):
    context, page = phone_at(browser, *HERE)
    problems = watch(page)
    try:
        sign_in(page, live_server.url, cast["tf_citywork"].username)
        page.goto(live_server.url + "/city/patrol/")
        page.click("#start-form [data-vg-locate]")
        page.wait_for_selector("#start-form [data-vg-locate-status]:has-text('WGS84')")
        page.fill("#start-form [name=area]", "黄岛路沿线")
        page.click("#start-form button[type=submit]")
        page.wait_for_selector("#finding-form")
        use_my_location(page, "#finding-form")
        page.select_option("#finding-form [name=category]", "exposed-garbage")
        page.fill("#finding-form [name=description]", "路边垃圾堆放三天无人清理")
        page.set_input_files("#finding-form input[name=photos]", photo("现场.jpg"))
        page.click("#finding-form button[type=submit]")
        page.wait_for_selector("#findings [data-case]")
        case = Case.objects.get()
        assert case.source == CaseSource.PATROL and case.grid == grid
        assert case.lon == pytest.approx(HERE[0]) and case.lat == pytest.approx(HERE[1])
        assert page.locator("#findings [data-case='{}']".format(case.number)).count() == 1
        assert Patrol.objects.get().findings.count() == 1
        # The patrol took the grid the phone stood in when it started.
        assert Patrol.objects.get().grid == grid
        assert problems == []
    finally:
        context.close()


def test_a_street_plans_an_activity_and_reports_what_its_volunteers_found(
    browser, live_server, cast, grid, media
):
    context, page = phone_at(browser, *HERE)
    problems = watch(page)
    try:
        sign_in(page, live_server.url, cast["reporter_hdjd"].username)
        page.goto(live_server.url + "/city/activities/new/?campaign=xihaian-2026")
        form = "#activity-form"
        page.fill(form + " [name=title]", "人人动手·洁净家园")
        # It began an hour ago, so that it may be recorded as held at once.
        began = timezone.localtime() - datetime.timedelta(hours=1)
        page.fill(form + " [name=starts_at]", began.strftime("%Y-%m-%dT%H:%M"))
        page.fill(form + " [name=address]", "黄岛路社区广场")
        page.fill(form + " [name=capacity]", "20")
        use_my_location(page, form)
        # The street organises for itself alone: its name is chosen already.
        assert page.input_value(form + " [name=unit]") == "hdjd"
        page.click(form + " button[type=submit]")
        page.wait_for_selector("#held-form")
        activity = VolunteerActivity.objects.get()
        assert activity.lon == pytest.approx(HERE[0]) and activity.unit == cast["hdjd"]

        page.fill("#held-form [name=participants]", "12")
        page.click("#held-form button[type=submit]")
        page.wait_for_selector("#problem-form")
        use_my_location(page, "#problem-form")
        page.select_option("#problem-form [name=category]", "exposed-garbage")
        page.fill("#problem-form [name=description]", "绿化带内建筑垃圾未清运")
        page.set_input_files("#problem-form input[name=photos]", photo("发现.jpg"))
        page.click("#problem-form button[type=submit]")
        page.wait_for_load_state()
        case = Case.objects.get()
        assert case.source == CaseSource.VOLUNTEER and case.grid == grid
        assert case.number in page.content()
        assert problems == []
    finally:
        context.close()
