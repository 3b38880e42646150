"""The third battle's rows the query-count world grows (tests/test_query_counts.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.citywork.photo_files import phone_photo


def add_weekly_work(world, i, unit, _post_json, _ok):
    """A renewal project, a city campaign, a zone and a road of the unit, a kind and a criterion;
    the first project, campaign and zone gather a weekly report or an inspection with its
    photos at every step (every other report verified)."""
    from vanguard.citywork.defaults import ensure_defaults
    from vanguard.org.models import Person

    ensure_defaults()

    clients, office = world["clients"], world["clients"]["office"]
    person = Person.objects.filter(unit=unit).order_by("pk").first().name
    lon, lat, week = 120.1 + i / 100, 35.9 + i / 100, "2026-W{:02d}".format(10 + i)
    owner = {"lead_unit": unit.code, "responsible_person": person}
    _post_json(
        office,
        "/api/v1/renewal-projects",
        {
            "code": "QR-{:04d}".format(i),
            "name": "更新项目{}".format(i),
            "kind": "老旧小区改造",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "planned_start": "2026-03-02",
            "planned_completion": "2026-10-31",
            **owner,
        },
    )
    _post_json(
        office,
        "/api/v1/city-campaigns",
        {
            "code": "QW-{:04d}".format(i),
            "name": "攻坚行动{}".format(i),
            "measure": "结案件数",
            "measuring_unit": "件",
            "weekly_target": 10,
            "start_date": "2026-03-02",
            "end_date": "2026-06-28",
            **owner,
        },
    )
    square = [[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat]]
    _post_json(
        office,
        "/api/v1/city-places",
        {
            "code": "QP-{:04d}".format(i),
            "kind": "zone",
            "name": "示范区{}".format(i),
            "geometry": {"type": "Polygon", "coordinates": [square]},
            "planned_acceptance": "2026-09-30",
            **owner,
        },
    )
    _post_json(
        office,
        "/api/v1/city-places",
        {
            "code": "QL-{:04d}".format(i),
            "kind": "road",
            "name": "精品道路{}".format(i),
            "geometry": {"type": "LineString", "coordinates": [[lon, lat], [lon + 0.01, lat]]},
            "planned_acceptance": "2026-09-30",
            **owner,
        },
    )
    _ok(office.post("/city/renewal/kinds/", {"name": "测试类型{}".format(i)}), 302)
    _ok(
        office.post("/city/places/criteria/", {"kind": "zone", "text": "测试标准{}".format(i)}), 302
    )
    reporter, tf = clients["reporter_fgj"], clients["tf_citywork"]
    report = _post_json(
        reporter,
        "/api/v1/renewal-projects/QR-0000/reports",
        {"period": week, "progress_percent": i},
    )
    weekly = _post_json(
        reporter, "/api/v1/city-campaigns/QW-0000/reports", {"period": week, "quantity": i}
    )
    if i % 2 == 0:
        _post_json(tf, "/api/v1/renewal-reports/{}/verify".format(report["id"]), {})
        _post_json(tf, "/api/v1/city-campaign-reports/{}/verify".format(weekly["id"]), {})
    # The inspection is recorded through the zone's form with two photos of its own.
    _ok(
        tf.post(
            "/city/places/p/QP-0000/inspect/",
            {
                "inspected_on": "2026-05-{:02d}".format(i + 1),
                "inspectors": "郑专班",
                "photos": [
                    SimpleUploadedFile(
                        "现场{}.jpg".format(n), phone_photo(colour=(10 * i % 250, n * 90, 40))
                    )
                    for n in range(2)
                ],
            },
        ),
        302,
    )


def add_cases(world, i, unit, _post_json, _ok):
    """City cases through their doors: a patrol's case dispatched to the unit, a 12345 call
    at the first case's spot merged into it (its flow and its nearby cases grow), and a
    subcategory added on the categories page."""
    from tests.citywork.cases_world import HERE

    clients, office = world["clients"], world["clients"]["office"]
    tf = clients["tf_citywork"]
    lon, lat = HERE[0] + i / 10000, HERE[1]
    patrol = _post_json(
        tf,
        "/api/v1/city/cases",
        {
            "source": "patrol",
            "category": "exposed-garbage",
            "lon": lon,
            "lat": lat,
            "description": "巡查发现垃圾堆放{}".format(i),
        },
    )
    _post_json(
        tf,
        "/api/v1/city/cases/{}/dispatch".format(patrol["number"]),
        {"unit": unit.code, "version": patrol["version"]},
    )
    if i == 0:
        world["case"] = patrol["number"]
    else:
        _ok(
            office.post(
                "/city/cases/new/",
                {
                    "campaign": world["campaign"].code,
                    "source": "hotline",
                    "category": "exposed-garbage",
                    "coordinate_system": "wgs84",
                    "lon": str(HERE[0]),
                    "lat": str(HERE[1]),
                    "description": "市民来电反映垃圾堆放{}".format(i),
                    "hotline_ticket": "Q12345-{:04d}".format(i),
                    "same": world["case"],
                },
            ),
            302,
        )
    _ok(
        office.post(
            "/city/cases/categories/new/",
            {
                "code": "qc-category-{}".format(i),
                "name": "测试小类{}".format(i),
                "parent": "sanitation",
                "kind": "event",
                "time_limit": "2",
                "time_unit": "wd",
                "duplicate_radius_m": "250",
                "sort_order": "900",
                "active": "on",
            },
        ),
        302,
    )


def add_patrols_and_volunteers(world, i, unit, new_unit, _ok):
    """A problem found on the city-work member's one open patrol (through its form, a case
    handled by the unit and awaiting the member's check) and a patrol of the office started
    and ended through the API; a volunteer activity planned by
    the unit's reporter, signed up for on the public page; one of the new unit planned,
    held and finding a problem in week 2026-W47, all through their forms."""
    import datetime

    from django.core.cache import cache
    from django.test import Client

    from vanguard.citywork.actions.cases import do_dispatch, do_handle
    from vanguard.citywork.models import Case, Patrol, VolunteerActivity

    users, clients = world["users"], world["clients"]
    member, office = clients["tf_citywork"], clients["office"]
    lon, lat = 120.1 + i / 100, 35.9 + i / 100
    if i == 0:
        cache.clear()  # the public signups' rate limit counts in the cache
        _ok(member.post("/city/patrol/start/", {"area": "测试片区"}), 302)
        world["patrol"] = Patrol.objects.get().pk
    _ok(
        member.post(
            "/city/patrol/p/{}/record/".format(world["patrol"]),
            {
                "category": "exposed-garbage",
                "description": "巡查发现垃圾{}".format(i),
                "lon": str(lon),
                "lat": str(lat),
                "coordinate_system": "wgs84",
                "photos": SimpleUploadedFile(
                    "巡查{}.jpg".format(i), phone_photo(colour=(i * 30 % 250, 200, 90))
                ),
            },
        ),
        302,
    )
    case = do_dispatch(Case.objects.latest("pk"), actor=users["office"], unit=unit)
    reporter = users["reporter_fgj" if unit.code == "fgj" else "reporter_hdjd"]
    do_handle(case, actor=reporter, reply="已处理{}".format(i))
    # The office's short patrol, started and ended through the API.
    api = {"content_type": "application/json"}
    patrol = _ok(office.post("/api/v1/city/patrols", {"area": "办公室巡查{}".format(i)}, **api))
    _ok(office.post("/api/v1/city/patrols/{}/end".format(patrol["id"]), {}, **api))

    starts = datetime.datetime.now() + datetime.timedelta(days=10 + i)
    activity = {
        "title": "志愿活动{}".format(i),
        "kind": "cleanup",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "address": "社区{}".format(i),
        "lon": str(lon),
        "lat": str(lat),
        "coordinate_system": "wgs84",
        "unit": unit.code,
        "capacity": "50",
    }
    side = "reporter_fgj" if unit.code == "fgj" else "reporter_hdjd"
    _ok(clients[side].post("/city/activities/new/", activity), 302)
    if i == 0:
        world["activity"] = VolunteerActivity.objects.latest("pk").pk
    _ok(
        Client().post(
            "/city/volunteer/{}/".format(world["activity"]),
            {"name": "居民{}".format(i), "phone": "1370000{:04d}".format(i)},
        ),
        302,
    )
    held = {**activity, "unit": new_unit.code, "starts_at": "2026-11-18T09:00"}
    _ok(office.post("/city/activities/new/", {**held, "title": "已办活动{}".format(i)}), 302)
    done = VolunteerActivity.objects.latest("pk")
    page = "/city/activities/a/{}/".format(done.pk)
    _ok(
        office.post(
            page + "held/",
            {
                "participants": str(10 + i),
                "version": done.version,
                "photos": SimpleUploadedFile("活动{}.jpg".format(i), phone_photo(colour=(9, i, 9))),
            },
        ),
        302,
    )
    _ok(
        office.post(
            page + "problem/",
            {
                "category": "small-ads",
                "description": "小广告{}".format(i),
                "lon": str(lon),
                "lat": str(lat),
                "coordinate_system": "wgs84",
            },
        ),
        302,
    )
