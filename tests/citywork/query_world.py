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
