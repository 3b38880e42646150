"""City cases in a real browser: the office places a 12345 call with a tap on the new-case
form's map, the case's page draws its point, and on a phone the list reads as cards."""

import pytest
from django.core.management import call_command

from tests.browser.test_pages_run_their_scripts import sign_in, watch
from tests.conftest import make_person
from vanguard.citywork.case_defaults import ensure_case_categories
from vanguard.citywork.models import Case
from vanguard.org.choices import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office(settings):
    call_command("loadplan", str(settings.PROJECT_DIR / "plans" / "xihaian.yaml"), verbosity=0)
    # A flushing test takes the migration's categories away: put them back.
    ensure_case_categories()
    return make_person("office3", "王办公", role=Role.OFFICE)


def test_a_tap_on_the_map_places_a_call_and_its_page_draws_it(live_server, page, office):
    problems = watch(page)
    sign_in(page, live_server.url, office.username)
    page.goto(live_server.url + "/city/cases/new/")
    page.wait_for_selector('#vg-case-picker[data-vg-ready="1"]')
    page.select_option("#id_coordinate_system", "bd09")
    # A tap in the middle of the map, which shows the whole district.
    page.locator("#vg-case-picker").click()
    lon, lat = page.input_value("#id_lon"), page.input_value("#id_lat")
    assert lon and lat and page.input_value("#id_coordinate_system") == "wgs84"
    page.select_option("#id_category", "exposed-garbage")
    page.fill("#id_description", "路边垃圾堆放")
    page.fill("#id_hotline_ticket", "12345-7001")
    page.click("#case-save")
    page.wait_for_selector('#vg-case-map[data-vg-ready="1"]')
    case = Case.objects.get()
    assert abs(case.lon - float(lon)) < 1e-5 and abs(case.lat - float(lat)) < 1e-5
    assert case.number in page.content()
    assert problems == []


def test_the_case_list_reads_as_cards_on_a_phone(live_server, page, office):
    from django.test import Client

    from tests.conftest import PASSWORD

    client = Client()
    client.post("/login/", {"username": office.username, "password": PASSWORD})
    for i in range(3):
        response = client.post(
            "/city/cases/new/",
            {
                "source": "inspection",
                "category": "street-lamp",
                "coordinate_system": "wgs84",
                "lon": str(120.19 + i / 100),
                "lat": "35.96",
                "address": "长江中路{}号".format(i + 1),
                "description": "路灯不亮，夜间通行不便，请尽快修复",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    sign_in(page, live_server.url, office.username)
    page.goto(live_server.url + "/city/cases/")
    page.wait_for_selector("table.vg-cards")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the case list runs {} px wide on a 390 px phone".format(width)
    assert not page.locator("table.vg-cards thead").first.is_visible()
