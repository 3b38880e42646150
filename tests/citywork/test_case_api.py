"""City cases through the API: a staff report taken to close step by step, versions,
who may read and do what, the list's filters and the categories."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.citywork.cases_world import HERE
from tests.citywork.conftest import ROLES, token_client
from vanguard.citywork.models import Case
from vanguard.core.coords import wgs84_to_gcj02
from vanguard.notices.models import Notice
from vanguard.supervision.lights import recompute

pytestmark = pytest.mark.django_db

REPORT = {
    "source": "patrol",
    "category": "exposed-garbage",
    "lon": HERE[0],
    "lat": HERE[1],
    "address": "黄岛路66号",
    "description": "垃圾桶满溢，周边散落垃圾",
}


def post(client, path, body=None, **headers):
    return client.post(path, body or {}, content_type="application/json", **headers)


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()[:2000]
    return response.json()


def act(client, case, name, **body):
    """A step on the case as the caller read it (its current version)."""
    version = client.get("/api/v1/city/cases/" + case["number"]).json()["version"]
    return post(
        client,
        "/api/v1/city/cases/{}/{}".format(case["number"], name),
        {"version": version, **body},
    )


@pytest.fixture
def clients(cast):
    return {role: token_client(cast[role]) for role in (*ROLES, "tf_citywork_2")}


def test_a_patrol_finding_goes_to_close_through_the_api(cast, grid, clients):
    tf, hdjd = clients["tf_citywork"], clients["reporter_hdjd"]
    case = ok(post(tf, "/api/v1/city/cases", REPORT), 201)
    # Seen by staff: registered at once, the patrol checks it later.
    assert case["state"] == "registered" and case["number"].startswith("AJ")
    assert case["grid"] == "hd-01" and case["checker"] == "tf_citywork"
    assert [e["action"] for e in case["flow"]] == ["report", "register"]
    assert "dispatch" in case["steps"] and "sign" not in case["steps"]
    # Without a unit, the dispatch follows the route: the grid's street office.
    case = ok(act(tf, case, "dispatch"))
    assert case["unit"] == "hdjd" and case["state"] == "dispatched" and case["due_at"]
    assert Notice.objects.filter(recipient=cast["reporter_hdjd"], kind="case_dispatched").exists()
    seen = ok(hdjd.get("/api/v1/city/cases/" + case["number"]))
    assert set(seen["steps"]) == {"sign", "handle", "return", "postpone"}
    ok(act(hdjd, case, "sign"))
    case = ok(act(hdjd, case, "handle", reply="已清运并清洗地面"))
    assert case["state"] == "handled" and case["reply"] == "已清运并清洗地面"
    # The patrol who found it checks it; the unit may not.
    assert act(hdjd, case, "check", passed=True).status_code == 403
    case = ok(act(tf, case, "check", passed=True, note="现场已清理"))
    assert case["state"] == "closed" and case["closed_on_time"] is True
    assert [e["action"] for e in case["flow"]][-1] == "check_passed"
    assert case["url"] == "/city/cases/{}/".format(case["number"])


def test_a_hotline_call_is_registered_returned_and_postponed(cast, grid, clients):
    office, hdjd, zjj = clients["office"], clients["reporter_hdjd"], clients["reporter_zjj"]
    lon, lat = wgs84_to_gcj02(*HERE)
    body = {
        **REPORT,
        "source": "hotline",
        "lon": lon,
        "lat": lat,
        "coordinate_system": "gcj02",
        "hotline_ticket": "2026120400123",
        "reporter_name": "刘女士",
        "reporter_phone": "13900000009",
    }
    case = ok(post(office, "/api/v1/city/cases", body), 201)
    assert case["state"] == "reported" and case["coordinate_system"] == "gcj02"
    assert abs(case["lon"] - HERE[0]) < 1e-5 and case["reporter_phone"] == "13900000009"
    # The same ticket twice is refused.
    again = post(office, "/api/v1/city/cases", body)
    assert again.status_code == 422 and "hotline_ticket" in again.json()["fields"]
    ok(act(office, case, "register"))
    ok(act(office, case, "dispatch", unit="hdjd"))
    case = ok(act(hdjd, case, "return", reason="不属本街道"))
    assert case["state"] == "returned" and case["bounce_count"] == 1
    refused = act(office, case, "decide-return", uphold=True)
    assert refused.status_code == 422 and "unit" in refused.json()["fields"]
    case = ok(act(office, case, "decide-return", uphold=True, unit="zjj", note="改派住建局"))
    assert case["unit"] == "zjj"
    until = timezone.localtime(timezone.now() + datetime.timedelta(days=20)).replace(tzinfo=None)
    case = ok(act(zjj, case, "postpone", until=until.isoformat(), reason="需要协调"))
    assert case["postpone_until"] and "decide-postponement" not in case["steps"]
    decided = ok(act(office, case, "decide-postponement", approve=True, note="同意"))
    assert decided["postponed"] and decided["postpone_until"] is None
    # The caller's contact is for the office and the unit only.
    assert ok(zjj.get("/api/v1/city/cases/" + case["number"]))["reporter_phone"] == "13900000009"
    assert (
        ok(clients["leader"].get("/api/v1/city/cases/" + case["number"]))["reporter_phone"] is None
    )


def test_versions_are_required_and_a_stale_one_is_a_conflict(cast, grid, clients):
    tf = clients["tf_citywork"]
    case = ok(post(tf, "/api/v1/city/cases", REPORT), 201)
    path = "/api/v1/city/cases/{}/dispatch".format(case["number"])
    missing = post(tf, path, {"unit": "hdjd"})
    assert missing.status_code == 422 and "version" in missing.json()["fields"]
    stale = post(tf, path, {"unit": "hdjd", "version": case["version"] + 5})
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["message"]
    assert Case.objects.get().state == "registered"
    # If-Match names the version read as well.
    header = {"HTTP_IF_MATCH": '"case-{}"'.format(case["version"])}
    assert ok(post(tf, path, {"unit": "hdjd"}, **header))["state"] == "dispatched"
    again = post(tf, path, {"unit": "zjj"}, **header)
    assert again.status_code == 409


def test_who_reads_and_who_acts(cast, grid, clients):
    case = ok(post(clients["office"], "/api/v1/city/cases", REPORT), 201)
    ok(act(clients["office"], case, "dispatch", unit="hdjd"))
    path = "/api/v1/city/cases/" + case["number"]
    for role, status in (
        ("office", 200),
        ("leader", 200),
        ("tf_citywork", 200),
        ("dual", 200),
        ("reporter_hdjd", 200),
        ("reporter_zjj", 404),
        ("tf_projects", 404),
        ("inspector", 404),
    ):
        assert clients[role].get(path).status_code == status, role
        listed = ok(clients[role].get("/api/v1/city/cases"))
        assert (case["number"] in {c["number"] for c in listed["items"]}) == (status == 200), role
    # Another unit's reporter does not find it; the unit may not dispatch; no one but the
    # keepers reports through the staff door.
    assert post(clients["reporter_zjj"], path + "/sign", {"version": 2}).status_code == 404
    refused = post(clients["reporter_hdjd"], path + "/register", {"version": 1})
    assert refused.status_code == 403 and "办公室" in refused.json()["message"]
    assert post(clients["leader"], "/api/v1/city/cases", REPORT).status_code == 403
    assert post(clients["reporter_hdjd"], "/api/v1/city/cases", REPORT).status_code == 403
    assert Case.objects.count() == 1
    assert Client().get("/api/v1/city/cases").status_code == 401


def test_the_list_filters_and_pages(cast, grid, clients):
    office = clients["office"]
    first = ok(post(office, "/api/v1/city/cases", REPORT), 201)
    lamp = ok(
        post(
            office,
            "/api/v1/city/cases",
            {
                **REPORT,
                "source": "inspection",
                "category": "street-lamp",
                "description": "路灯不亮",
            },
        ),
        201,
    )
    ok(act(office, first, "dispatch", unit="hdjd"))
    Case.objects.filter(category__code="exposed-garbage").update(
        due_at=timezone.now() - datetime.timedelta(hours=2)
    )

    def numbers(query=""):
        return [c["number"] for c in ok(office.get("/api/v1/city/cases" + query))["items"]]

    assert set(numbers()) == {first["number"], lamp["number"]}
    assert numbers("?state=dispatched") == [first["number"]]
    assert numbers("?main=utilities") == [lamp["number"]]
    assert numbers("?unit=hdjd") == [first["number"]]
    assert numbers("?overdue=true") == [first["number"]]
    recompute(cast["campaign"])
    assert numbers("?light=red") == [first["number"]]
    late = ok(office.get("/api/v1/city/cases?light=red"))["items"][0]
    assert late["light"] == "red"
    assert numbers("?source=inspection") == [lamp["number"]]
    assert numbers("?q=" + lamp["tracking_code"]) == [lamp["number"]]
    paged = ok(office.get("/api/v1/city/cases?page_size=1&page=2"))
    assert paged["count"] == 2 and len(paged["items"]) == 1
    late = ok(office.get("/api/v1/city/cases?overdue=true"))["items"][0]
    assert late["late"] is True and late["unit_name"] == "黄岛街道"


def test_the_categories_and_bad_bodies(cast, grid, clients):
    office = clients["office"]
    categories = ok(office.get("/api/v1/city/case-categories"))
    lamp = next(c for c in categories if c["code"] == "street-lamp")
    assert lamp["parent"] == "utilities" and lamp["time_unit"] == "wd" and lamp["time_limit"]
    assert ok(clients["reporter_hdjd"].get("/api/v1/city/case-categories"))
    for body, field in (
        ({**REPORT, "category": "no-such"}, "category"),
        ({**REPORT, "category": "utilities"}, "category"),
        ({**REPORT, "source": "citizen"}, "source"),
        ({**REPORT, "lon": 116.39, "lat": 39.91}, "location"),
        ({**REPORT, "description": "<img src=x>"}, "description"),
    ):
        refused = post(office, "/api/v1/city/cases", body)
        assert refused.status_code == 422 and field in refused.json()["fields"], body
    assert (
        post(office, "/api/v1/city/cases", {**REPORT, "hotline_ticket": "9" * 65}).status_code
        == 422
    )
    assert Case.objects.count() == 0
    assert office.get("/api/v1/city/cases/AJ99999999").status_code == 404
    assert office.get("/api/v1/city/cases/nonsense").status_code == 404


def test_photos_are_added_by_who_may_in_each_role_and_shown_without_metadata(
    cast, grid, clients, settings, tmp_path
):
    from tests.citywork.photo_files import has_metadata, phone_photo
    from vanguard.citywork.photos import photos_of

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    tf, hdjd, zjj = clients["tf_citywork"], clients["reporter_hdjd"], clients["reporter_zjj"]
    case = ok(post(tf, "/api/v1/city/cases", REPORT), 201)
    path = "/api/v1/city/cases/{}/photos".format(case["number"])

    def send(client, role, *files):
        files = files or (("现场.jpg", phone_photo()),)
        uploads = []
        for name, data in files:
            from django.core.files.uploadedfile import SimpleUploadedFile

            uploads.append(SimpleUploadedFile(name, data, content_type="image/jpeg"))
        return client.post(path, {"role": role, "photos": uploads})

    # The task force adds a photo of the problem; it is public and bare.
    added = ok(send(tf, "before"), 201)
    [shown] = added["photos"]
    assert shown["role"] == "before" and shown["url"].endswith(shown["sha256"] + ".jpg")
    [kept] = photos_of(Case.objects.get(), "before")
    assert kept.source == "api" and has_metadata(kept.photo.image.read()) == []

    # The unit adds no after photo before the case is its own (it does not see it yet), nor
    # photos of the problem once it is.
    assert send(hdjd, "after").status_code == 404
    ok(act(tf, case, "dispatch", unit="hdjd", checker="tf_citywork_2"))
    assert send(hdjd, "before").status_code == 403
    assert send(zjj, "after").status_code in (403, 404)
    ok(send(hdjd, "after", ("清理后.jpg", phone_photo(colour=(1, 200, 1)))), 201)

    # Bad input says what and where and keeps nothing.
    assert send(hdjd, "during").status_code == 422
    refused = send(hdjd, "after", ("清理后2.jpg", b"<html>not a photo</html>"))
    assert refused.status_code == 422 and "清理后2.jpg" in refused.json()["message"]
    assert len(photos_of(Case.objects.get())) == 2

    # Once handled, the checker adds after photos at the check; the unit no longer does.
    ok(act(hdjd, case, "handle", reply="已清理"))
    assert send(hdjd, "after").status_code == 403
    checker = clients["tf_citywork_2"]
    ok(send(checker, "after", ("核查.jpg", phone_photo(colour=(200, 1, 1)))), 201)
    read = ok(checker.get("/api/v1/city/cases/" + case["number"]))
    assert [p["role"] for p in read["photos"]] == ["before", "after", "after"]
