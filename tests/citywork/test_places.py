"""Demonstration zones and model roads: the office adds them, the task force inspects them
against the checklist, the lead unit applies, the task force accepts; then they count."""

import datetime

import pytest

from tests.citywork.conftest import ROAD, ZONE, signed_in, token_client
from vanguard.citywork.models import Inspection, Place
from vanguard.supervision.lights import recompute
from vanguard.supervision.models import LightState

pytestmark = pytest.mark.django_db

ZONE_PAGE = "/city/places/p/SFQ-01/"
ROAD_PAGE = "/city/places/p/JPDL-01/"


def _inspect(client, page, met, day="2026-06-01", **extra):
    return client.post(
        page + "inspect/",
        {
            "campaign": "xihaian-2026",
            "inspected_on": day,
            "inspectors": "郑专班、冯专班",
            "met": met,
            "remarks": "",
            **extra,
        },
    )


def _all_codes(kind):
    from vanguard.citywork.models import Criterion

    return list(Criterion.objects.filter(kind=kind, active=True).values_list("code", flat=True))


def test_the_form_keeps_the_shape_and_the_length_of_a_road(places):
    zone = Place.objects.get(code="SFQ-01")
    assert zone.geometry["type"] == "Polygon" and zone.length_m is None
    road = Place.objects.get(code="JPDL-01")
    assert road.geometry["type"] == "LineString"
    assert 2000 < road.length_m < 2500
    assert (road.state, road.accepted_on) == ("creating", None)


@pytest.mark.parametrize(
    ("kind", "geometry", "words"),
    [
        ("zone", ROAD, "多边形"),  # a zone drawn as a line
        ("road", ZONE, "一条线"),  # a road drawn as a polygon
        (
            "zone",
            '{"type": "Polygon", "coordinates": [[[116.3, 39.9], [116.4, 39.9], '
            "[116.4, 40.0], [116.3, 39.9]]]}",
            "西海岸新区",
        ),  # Beijing
        (
            "road",
            '{"type": "LineString", "coordinates": [[120.2, 35.95], [120.25, 35.9]]}',
            "120.25",
        ),  # out in the bay: within the district's bounding box, outside its boundary
        ("road", "这不是坐标", "GeoJSON"),
        (
            "zone",
            '{"type": "Polygon", "coordinates": [[[120.17, 35.95], [120.2, 35.95], '
            "[120.2, 35.97], [120.17, 35.97]]]}",
            "首尾闭合",
        ),
    ],
)
def test_a_bad_shape_is_refused_in_chinese_and_nothing_is_saved(cast, kind, geometry, words):
    response = signed_in(cast["office"]).post(
        "/city/places/new/",
        {
            "campaign": "xihaian-2026",
            "code": "BAD",
            "kind": kind,
            "name": "测试",
            "lead_unit": "hdjd",
            "responsible_person": "孙书记",
            "geometry": geometry,
            "planned_acceptance": "2026-06-30",
        },
    )
    assert response.status_code == 400
    assert words in " ".join(response.context["form"].errors["geometry"])
    assert not Place.objects.exists()


def test_inspected_applied_accepted_and_counted(places):
    tf = signed_in(places["tf_citywork"])
    reporter = signed_in(places["reporter_hdjd"])
    codes = _all_codes("zone")
    # An inspection finds two criteria unmet.
    response = _inspect(tf, ZONE_PAGE, codes[:-2], day="2026-05-20")
    assert response.status_code == 302, response.content.decode()[:2000]
    inspection = Inspection.objects.get()
    assert (inspection.met_count, inspection.total_count) == (len(codes) - 2, len(codes))
    # The lead unit applies for acceptance from its page.
    page = reporter.get(ZONE_PAGE).content.decode()
    assert 'id="apply-form"' in page
    response = reporter.post(ZONE_PAGE + "apply/", {"campaign": "xihaian-2026", "version": 1})
    assert response.status_code == 302
    zone = Place.objects.get(code="SFQ-01")
    assert zone.state == "applied"
    # Accepting with no inspection after the application is refused, saying why.
    response = tf.post(ZONE_PAGE + "accept/", {"campaign": "xihaian-2026", "version": zone.version})
    assert response.status_code == 400
    assert "之后检查一次" in response.content.decode()
    day = zone.applied_on.isoformat()
    _inspect(tf, ZONE_PAGE, codes[:-1], day=day)
    response = tf.post(ZONE_PAGE + "accept/", {"campaign": "xihaian-2026", "version": zone.version})
    assert response.status_code == 400
    assert "未达到" in response.content.decode()
    _inspect(tf, ZONE_PAGE, codes, day=day)
    response = tf.post(ZONE_PAGE + "accept/", {"campaign": "xihaian-2026", "version": zone.version})
    assert response.status_code == 302
    zone.refresh_from_db()
    assert zone.state == "accepted" and zone.accepted_by == places["tf_citywork"]
    # Accepted zones count toward the target (the battle's page, as the office).
    page = signed_in(places["office"]).get("/city/").content.decode()
    assert 'data-target="demonstration-zones-2026"' in page
    row = page.split('data-target="demonstration-zones-2026"')[1].split("</tr>")[0]
    assert 'data-cell="verified">1<' in row


def test_the_lead_unit_does_not_inspect_or_accept_its_own(places):
    dual = signed_in(places["dual"])  # a task-force member who reports for Huangdao street
    response = _inspect(dual, ZONE_PAGE, _all_codes("zone"))
    assert response.status_code == 403
    assert not Inspection.objects.exists()
    signed_in(places["reporter_hdjd"]).post(ZONE_PAGE + "apply/", {"version": 1})
    response = dual.post(ZONE_PAGE + "accept/", {"campaign": "xihaian-2026"})
    assert response.status_code == 403
    # A reporter of another unit sees neither the zone nor its page.
    assert signed_in(places["reporter_zjj"]).get(ZONE_PAGE).status_code == 404


def test_a_sent_back_application_says_why_and_the_unit_applies_again(places):
    zjj = token_client(places["reporter_zjj"])
    response = zjj.post("/api/v1/city-places/JPDL-01/apply", {}, content_type="application/json")
    assert response.status_code == 200, response.content
    tf = token_client(places["tf_citywork"])
    response = tf.post(
        "/api/v1/city-places/JPDL-01/return",
        {"reason": "路面仍有坑洼"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["state"] == "creating"
    page = signed_in(places["reporter_zjj"]).get(ROAD_PAGE).content.decode()
    assert "路面仍有坑洼" in page
    # Sending back again is a conflict: it is no longer applied for.
    response = tf.post(
        "/api/v1/city-places/JPDL-01/return", {"reason": "再退"}, content_type="application/json"
    )
    assert response.status_code == 409


def test_the_light_warns_before_the_planned_acceptance_and_turns_red_after(places):
    road = Place.objects.get(code="JPDL-01")

    def light(day):
        recompute(road.campaign, today=day)
        return LightState.objects.get(kind="cityplace", object_id=road.pk)

    assert light(datetime.date(2026, 3, 1)).light == "green"
    state = light(datetime.date(2026, 5, 10))  # within 30 days, never inspected
    assert state.light == "yellow" and "2026-05-31" in state.reason_text
    assert light(datetime.date(2026, 6, 2)).light == "red"
