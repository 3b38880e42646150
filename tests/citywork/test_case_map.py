"""Open cases on the one map: each role sees the cases it may see, coloured by their clock,
filtered by main category, subcategory and unit, clustered when many, linked to their page."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.citywork.cases_world import HERE, category
from vanguard.citywork.actions import cases as actions
from vanguard.citywork.models import Case
from vanguard.citywork.models.cases import CaseSource
from vanguard.maps import features

pytestmark = pytest.mark.django_db
URL = "/api/v1/map/layers/cases"


def _report(cast, code="exposed-garbage", n=0, source=CaseSource.PATROL):
    return actions.do_report_case(
        campaign=cast["campaign"],
        source=source,
        category=category(code),
        lon=HERE[0] + n * 0.0005,
        lat=HERE[1],
        description="街面问题",
        actor=cast["tf_citywork"] if source == CaseSource.PATROL else None,
    )


@pytest.fixture
def open_cases(cast, grid):
    """Four open cases: the street's in time and overdue, the bureau's, one not dispatched;
    and a closed one, which is not on the map."""
    tf = cast["tf_citywork"]
    in_time = actions.do_dispatch(_report(cast, n=0), actor=tf)
    overdue = actions.do_dispatch(_report(cast, n=1), actor=tf)
    past = timezone.now() - datetime.timedelta(hours=2)
    Case.objects.filter(pk=overdue.pk).update(due_at=past, warn_at=past)
    bureau = actions.do_dispatch(_report(cast, "small-ads", n=2), actor=tf, unit=cast["zfj"])
    waiting = _report(cast, "small-ads", n=3, source=CaseSource.CITIZEN)
    done = actions.do_dispatch(_report(cast, n=4), actor=tf)
    done = actions.do_handle(done, actor=cast["reporter_hdjd"], reply="已清理")
    actions.do_check(done, actor=tf, passed=True)
    return {"in_time": in_time, "overdue": overdue, "bureau": bureau, "waiting": waiting}


def _layer(user, **params):
    client = Client()
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def _numbers(collection):
    return sorted(f["properties"]["label"].split()[0] for f in collection["features"])


def test_the_office_sees_every_open_case_coloured_by_its_clock_and_linked(cast, open_cases):
    found = _layer(cast["office"])
    by_number = {f["properties"]["label"].split()[0]: f["properties"] for f in found["features"]}
    assert sorted(by_number) == sorted(c.number for c in open_cases.values())
    assert by_number[open_cases["in_time"].number]["light"] == "green"
    assert by_number[open_cases["overdue"].number]["light"] == "red"
    assert by_number[open_cases["waiting"].number]["light"] == "grey"
    assert by_number[open_cases["bureau"].number]["unit"] == "区综合行政执法局"
    assert by_number[open_cases["in_time"].number]["url"] == "/city/cases/{}/".format(
        open_cases["in_time"].number
    )
    assert found["features"][0]["geometry"]["type"] == "Point"


def test_a_unit_sees_its_own_cases_and_others_see_none(cast, open_cases):
    street = _layer(cast["reporter_hdjd"])
    assert _numbers(street) == sorted([open_cases["in_time"].number, open_cases["overdue"].number])
    # Another unit's reporter, another battle's task force, the inspector: none.
    for outsider in ("reporter_zjj", "tf_projects", "inspector"):
        assert _layer(cast[outsider])["features"] == [], outsider


def test_filters_by_main_category_subcategory_and_unit(cast, open_cases):
    office = cast["office"]
    garbage = [open_cases["in_time"].number, open_cases["overdue"].number]
    assert _numbers(_layer(office, category="sanitation")) == sorted(garbage)
    assert _numbers(_layer(office, category="exposed-garbage")) == sorted(garbage)
    assert _numbers(_layer(office, category="small-ads")) == sorted(
        [open_cases["bureau"].number, open_cases["waiting"].number]
    )
    assert _numbers(_layer(office, unit="zfj")) == [open_cases["bureau"].number]
    assert _layer(office, category="no-such-category")["features"] == []


def test_many_cases_are_summed_up_per_area_with_their_lights(cast, open_cases, monkeypatch):
    monkeypatch.setattr(features, "POINT_LIMIT", 2)
    found = _layer(cast["office"])
    assert found["clustered"] and found["count"] == 4
    lights = {}
    for feature in found["features"]:
        for light, n in feature["properties"]["lights"].items():
            lights[light] = lights.get(light, 0) + n
    assert lights == {"green": 2, "red": 1, "grey": 1}


def test_the_layer_is_listed_with_its_categories(cast, open_cases):
    client = Client()
    client.force_login(cast["office"])
    listed = {entry["name"]: entry for entry in client.get("/api/v1/map/layers").json()}
    cases = listed["cases"]
    assert cases["filters"] == ["category", "unit"] and cases["cluster"]
    codes = [c["code"] for c in cases["categories"]]
    assert codes.index("sanitation") < codes.index("exposed-garbage") < codes.index("advertising")
    export = client.get(cases["export_url"])
    assert export.status_code == 200 and b"AJ" in b"".join(export.streaming_content)
