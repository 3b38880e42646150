"""Demo of the third battle's weekly work: renewal projects, city campaigns, zones and roads.

Made through the actions users trigger (the office creates, the lead unit's reporter
reports, the city-work task force verifies and inspects), so the demo passes the same
checks, change log and lights as real use:

- renewal projects of every kind in the towns and streets, each located inside its
  town or street of the shipped boundary (a point, or a small block for a 片区), with
  the weekly reports of their last weeks, most verified, some waiting, a few missing;
- the 13 city-management campaigns with their weekly targets and reports;
- the 22 demonstration zones (polygons) and 26 model roads (lines), inspected, some
  applied for and accepted.

At city scale the plan's 627 renewal projects of a year; at district scale a sample of
them. Deterministic for a seed.
"""

import datetime
import random

from django.contrib.auth import get_user_model

from vanguard.citywork.actions.campaigns import (
    do_create_city_campaign,
    do_report_campaign,
    do_verify_campaign_report,
)
from vanguard.citywork.actions.places import (
    do_accept_place,
    do_apply_acceptance,
    do_create_place,
    do_record_inspection,
)
from vanguard.citywork.actions.renewal import (
    do_create_renewal_project,
    do_report_renewal,
    do_verify_renewal_report,
)
from vanguard.citywork.choices import PlaceKind
from vanguard.citywork.defaults import ensure_defaults
from vanguard.citywork.models import CampaignWeek, Criterion, RenewalKind
from vanguard.citywork.weeks import week_of
from vanguard.core import geo
from vanguard.maps import district
from vanguard.org.choices import Role
from vanguard.org.models import Person, RoleAssignment, Unit

RENEWAL_PROJECTS = {"district": 60, "city": 627}
# How many past weeks of reports each project and campaign has in the demo.
WEEKS_REPORTED = 4

PLACE_WORDS = ["社区", "小区", "片区", "老街", "里院", "新村", "花园", "家园"]
ROAD_NAMES = [
    "长江中路",
    "香江路",
    "珠江路",
    "井冈山路",
    "庐山路",
    "峨眉山路",
    "滨海大道",
    "嘉陵江路",
    "漓江路",
    "黄河路",
    "淮河路",
    "武夷山路",
    "昆仑山路",
    "太行山路",
    "紫金山路",
    "阿里山路",
    "齐长城路",
    "海军路",
    "柳花泊路",
    "王台路",
    "灵山湾路",
    "月亮湾路",
    "前湾港路",
    "积米崖路",
    "隐珠路",
    "世纪大道",
]
ZONE_NAMES = [
    "黄岛老城区",
    "薛家岛",
    "辛安",
    "长江路商圈",
    "红石崖",
    "灵山卫",
    "隐珠",
    "珠海",
    "珠山",
    "铁山",
    "灵珠山",
    "张家楼",
    "滨海",
    "六汪",
    "王台",
    "大场",
    "大村",
    "宝山",
    "海青",
    "藏南",
    "泊里",
    "琅琊",
]
CAMPAIGNS = [
    ("交通拥堵治理攻坚行动", "区公安分局交通警察大队", "疏堵点位", "个", 6),
    ("违法建设治理攻坚行动", "区城市管理局", "拆除违建面积", "平方米", 2000),
    ("违规停车整治行动", "区公安分局交通警察大队", "查处违停", "起", 300),
    ("市容秩序整治行动", "区城市管理局", "结案件数", "件", 120),
    ("户外广告整治行动", "区城市管理局", "拆除违规广告", "处", 40),
    ("渣土运输整治行动", "区城市管理局", "查处违规车辆", "辆", 25),
    ("背街小巷环境整治行动", "区住房和城乡建设局", "整治背街小巷", "条", 3),
    ("农贸市场周边整治行动", "区城市管理局", "规范摊点", "处", 30),
    ("建筑工地扬尘治理行动", "区住房和城乡建设局", "检查工地", "个", 50),
    ("占道经营整治行动", "区城市管理局", "清理占道", "处", 80),
    ("生活垃圾分类提升行动", "区城市管理局", "达标小区", "个", 10),
    ("城市家具规范行动", "区城市管理局", "更新设施", "处", 60),
    ("夜景亮化提升行动", "区城市管理局", "亮化道路", "条", 2),
]


def _user(username):
    return get_user_model().objects.get(username=username)


def streets():
    """(unit, boundary feature, a reporter, the head) of each town or street that has a
    unit, a reporter and a head, by the unit's code."""
    features = {f["properties"]["name"]: f for f in district.streets()}
    units = Unit.objects.filter(name__in=list(features)).order_by("code")
    reporters = {}
    for assignment in (
        RoleAssignment.objects.filter(role=Role.UNIT_REPORTER, unit__in=units)
        .select_related("person__user")
        .order_by("pk")
    ):
        reporters.setdefault(assignment.unit_id, assignment.person.user)
    heads = {}
    for person in Person.objects.filter(unit__in=units).order_by("pk"):
        heads.setdefault(person.unit_id, person)
    return [
        (unit, features[unit.name], reporters[unit.pk], heads[unit.pk])
        for unit in units
        if unit.pk in reporters and unit.pk in heads
    ]


def point_in(rng, feature):
    """A point inside a town or street of the boundary (tried in its box until inside)."""
    west, south, east, north = geo.bbox(feature["geometry"])
    for _ in range(200):
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        if geo.contains(feature["geometry"], lon, lat) and district.inside(lon, lat):
            return round(lon, 6), round(lat, 6)
    return tuple(round(v, 6) for v in geo.centroid(feature["geometry"]))


def _block(lon, lat, size):
    """A small closed square of ``size`` degrees with its south-west corner at a point."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def _inside(geometry):
    points = (
        geometry["coordinates"][0] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    if geometry["type"] == "Point":
        points = [geometry["coordinates"]]
    return all(district.inside(x, y) for x, y in points)


def _weeks_before(today, count):
    """The ``count`` weeks before this one, oldest first."""
    week, weeks = week_of(today).previous(), []
    for _ in range(count):
        weeks.append(week)
        week = week.previous()
    return list(reversed(weeks))


def _renewal(rng, campaign, today, streets, office, verifier, count):
    kinds = list(RenewalKind.objects.filter(active=True).order_by("sort_order", "name"))
    weeks = _weeks_before(today, WEEKS_REPORTED)
    made = 0
    for number in range(1, count + 1):
        unit, feature, reporter, head = streets[number % len(streets)]
        kind = kinds[number % len(kinds)]
        lon, lat = point_in(rng, feature)
        geometry = {"type": "Point", "coordinates": [lon, lat]}
        if number % 3 == 0:
            area = _block(lon, lat, 0.004)
            geometry = area if _inside(area) else geometry
        # Most started months ago; a fifth start later in the year.
        if rng.random() < 0.2:
            start = today + datetime.timedelta(days=rng.randrange(10, 90))
        else:
            start = today - datetime.timedelta(days=rng.randrange(40, 320))
        days = rng.randrange(240, 420)
        project = do_create_renewal_project(
            campaign,
            code="GX-{}-{:03d}".format(unit.code, number),
            name="{}{}{}".format(
                unit.name.replace("街道", "").replace("镇", ""),
                rng.choice(PLACE_WORDS),
                kind.name,
            ),
            kind=kind,
            lead_unit=unit,
            responsible_person=head,
            address="{}{}号".format(unit.name, rng.randint(1, 300)),
            geometry=geometry,
            planned_start=start,
            planned_completion=start + datetime.timedelta(days=days),
            actor=office,
        )
        made += 1
        if start > weeks[0].start:
            continue
        # Most keep to schedule; some slip, a few lag far behind or miss a report.
        pace = rng.choice([1.05, 1.0, 1.0, 1.0, 0.95, 0.9, 0.8, 0.5])
        missing = rng.random() < 0.08
        for index, week in enumerate(weeks):
            if missing and index == len(weeks) - 1:
                break
            due = 100 * (week.end - start).days / days
            report = do_report_renewal(
                project,
                period=week,
                progress_percent=max(1, min(99, round(due * pace))),
                started_on=start if index == 0 else None,
                note="按计划推进" if pace >= 0.9 else "受征迁影响，进度滞后",
                actor=reporter,
                today=today,
            )
            if index < len(weeks) - 1 or rng.random() < 0.7:
                do_verify_renewal_report(report, actor=verifier)
    return made


def _campaigns(rng, campaign, today, office, verifier):
    units = {u.name: u for u in Unit.objects.filter(name__in=[c[1] for c in CAMPAIGNS])}
    reporters = {}
    for assignment in RoleAssignment.objects.filter(
        role=Role.UNIT_REPORTER, unit__in=list(units.values())
    ).select_related("person__user"):
        reporters.setdefault(assignment.unit_id, assignment.person.user)
    heads = {}
    for person in Person.objects.filter(unit__in=list(units.values())).order_by("pk"):
        heads.setdefault(person.unit_id, person)
    made = 0
    for number, (name, unit_name, measure, measuring_unit, target) in enumerate(CAMPAIGNS, 1):
        unit = units.get(unit_name)
        if unit is None or unit.pk not in reporters or unit.pk not in heads:
            continue
        city_campaign = do_create_city_campaign(
            campaign,
            code="CG-{:02d}".format(number),
            name=name,
            lead_unit=unit,
            responsible_person=heads[unit.pk],
            measure=measure,
            measuring_unit=measuring_unit,
            weekly_target=target,
            # Special actions of some weeks, running to the campaign's end.
            start_date=max(
                campaign.start_date, today - datetime.timedelta(weeks=rng.randrange(5, 9))
            ),
            end_date=campaign.end_date,
            actor=office,
        )
        made += 1
        pace = rng.choice([1.1, 1.05, 1.0, 1.0, 1.0, 0.95, 0.85, 0.6])
        due = CampaignWeek.objects.filter(city_campaign=city_campaign, due_date__lt=today)
        weeks = list(due.order_by("period_start"))
        for index, week in enumerate(weeks):
            quantity = round(target * pace * rng.uniform(0.85, 1.15))
            report = do_report_campaign(
                city_campaign,
                period=week.period,
                quantity=quantity,
                actor=reporters[unit.pk],
                today=today,
            )
            # The task force keeps up; the last week's report may still wait.
            if index < len(weeks) - 1 or rng.random() < 0.8:
                do_verify_campaign_report(report, actor=verifier)
    return made


def _places(rng, campaign, today, streets, office, verifier):
    criteria = {
        kind: list(Criterion.objects.filter(kind=kind, active=True).values_list("code", flat=True))
        for kind in PlaceKind.values
    }
    made = 0
    specs = [(PlaceKind.ZONE, name + "城市管理示范区") for name in ZONE_NAMES]
    specs += [(PlaceKind.ROAD, name + "精品道路") for name in ROAD_NAMES]
    for number, (kind, name) in enumerate(specs, 1):
        unit, feature, reporter, head = streets[number % len(streets)]
        lon, lat = point_in(rng, feature)
        if kind == PlaceKind.ZONE:
            geometry = _block(lon, lat, 0.008)
        else:
            geometry = {
                "type": "LineString",
                "coordinates": [[lon, lat], [round(lon + 0.012, 6), round(lat + 0.004, 6)]],
            }
        if not _inside(geometry):
            geometry = (
                _block(lon, lat, 0.001)
                if kind == PlaceKind.ZONE
                else {"type": "LineString", "coordinates": [[lon, lat], [lon + 0.001, lat]]}
            )
        place = do_create_place(
            campaign,
            code="{}-{:02d}".format("SF" if kind == PlaceKind.ZONE else "JP", number),
            kind=kind,
            name=name,
            lead_unit=unit,
            responsible_person=head,
            geometry=geometry,
            planned_acceptance=today + datetime.timedelta(days=rng.randrange(-20, 120)),
            actor=office,
        )
        made += 1
        done = rng.random()
        met = criteria[kind] if done > 0.4 else criteria[kind][: len(criteria[kind]) // 2]
        do_record_inspection(
            place,
            inspected_on=today - datetime.timedelta(days=rng.randrange(10, 40)),
            inspectors="重要工作攻坚专班",
            met=met,
            actor=verifier,
            today=today,
        )
        if done > 0.6:
            place = do_apply_acceptance(place, actor=reporter, today=today)
            do_record_inspection(
                place,
                inspected_on=today,
                inspectors="重要工作攻坚专班",
                met=criteria[kind],
                actor=verifier,
                today=today,
            )
            if done > 0.8:
                place.refresh_from_db()
                do_accept_place(place, actor=verifier, today=today)
    return made


def generate(rng, scale, campaign, today):
    """The weekly work up to ``today``; returns the counts made."""
    rng = random.Random(rng.getrandbits(64))
    # The kinds and checklists the migration seeds (a flushed database has none).
    ensure_defaults()
    office, verifier = _user("office"), _user("tf_citywork")
    offices = streets()
    if not offices:
        return {}
    return {
        "renewal": _renewal(
            rng, campaign, today, offices, office, verifier, RENEWAL_PROJECTS[scale]
        ),
        "campaigns": _campaigns(rng, campaign, today, office, verifier),
        "places": _places(rng, campaign, today, offices, office, verifier),
    }
