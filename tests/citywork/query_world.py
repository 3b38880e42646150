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
