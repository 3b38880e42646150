"""A list item is its battle's business: a task force sees its own battle's items, with
their lights, reports and history, through every door (the API's lights and history, the
lists page, the unit page, the item API); the office and leaders see every item, a unit
its own, the discipline inspector none."""

import datetime

import pytest

from tests.lists.conftest import signed_in
from tests.lists.test_progress import _report
from vanguard.lists.models import ListItem
from vanguard.supervision.lights import recompute

pytestmark = pytest.mark.django_db

EVERY = {"QD-FGJ-01", "QD-FGJ-02", "QD-HDJD-01"}
PROJECTS = {"QD-FGJ-01", "QD-FGJ-02"}  # the development and reform bureau's, projects battle
CITYWORK = {"QD-HDJD-01"}  # Huangdao street's, city-work battle

SEES = {
    "office": EVERY,
    "leader": EVERY,
    "tf_projects": PROJECTS,
    "tf_projects_2": PROJECTS,
    "tf_citywork": CITYWORK,
    "reporter_fgj": PROJECTS,
    "reporter_hdjd": CITYWORK,
    "dual": PROJECTS,
    "inspector": set(),
}


@pytest.fixture
def lit(loaded):
    _report(signed_in(loaded["reporter_fgj"]))
    recompute(loaded["campaign"], today=datetime.date(2026, 4, 20))
    return loaded


def _listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.json()["items"]


@pytest.mark.parametrize("who", sorted(SEES))
def test_the_lights_api_shows_each_role_the_items_it_may_see(lit, who):
    client = signed_in(lit[who])
    lights = _listed(client, "/api/v1/lights?kind=listitem&page_size=100")
    assert {light["subject"] for light in lights} == SEES[who]
    items = {item["code"] for item in _listed(client, "/api/v1/list-items")}
    assert items == SEES[who]
    for code in EVERY:
        item = ListItem.objects.get(code=code)
        history = client.get("/api/v1/lights/listitem/{}/history".format(item.pk))
        assert (history.status_code == 200) is (code in SEES[who]), (code, history.status_code)


@pytest.mark.parametrize("who", sorted(SEES))
def test_the_pages_show_each_role_the_items_it_may_see(lit, who):
    client = signed_in(lit[who])
    listed = client.get("/lists/")
    assert listed.status_code == 200
    page = listed.content.decode()
    for code in EVERY:
        assert (code in page) is (code in SEES[who]), code
        detail = client.get("/lists/i/{}/".format(code))
        assert (detail.status_code == 200) is (code in SEES[who]), (code, detail.status_code)
    for unit, codes in (("fgj", PROJECTS), ("hdjd", CITYWORK)):
        response = client.get("/org/units/{}/".format(unit))
        # A reporter opens their own unit's page only; the inspector no unit's.
        opens = who not in ("inspector", "reporter_fgj", "reporter_hdjd") or unit in who
        assert response.status_code == (200 if opens else 404), (unit, response.status_code)
        text = response.content.decode()
        for code in codes:
            assert (code in text) is (code in SEES[who]), (unit, code)


def test_a_task_force_still_sees_the_other_lights_of_every_unit(lit):
    client = signed_in(lit["tf_citywork"])
    # Units, projects and indicators stay open to every task force: only list items narrow.
    units = _listed(client, "/api/v1/lights?kind=unit&page_size=100")
    office_units = _listed(signed_in(lit["office"]), "/api/v1/lights?kind=unit&page_size=100")
    assert {u["subject"] for u in units} == {u["subject"] for u in office_units}
