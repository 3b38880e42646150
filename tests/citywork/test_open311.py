"""Open311 GeoReport v2 as a client sees it: discovery, services, posting a report with an
API key, listing and reading requests in XML and JSON, errors as the spec lists them."""

import datetime
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.test import Client

from tests.citywork.cases_world import HERE
from vanguard.accounts.tokens import do_create_token
from vanguard.citywork.models import Case
from vanguard.core.coords import wgs84_to_gcj02

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(cast):
    cache.clear()
    return do_create_token(cast["office"].username, name="partner app")


def post(client, key, **fields):
    data = {
        "api_key": key,
        "service_code": "exposed-garbage",
        "lat": str(HERE[1]),
        "long": str(HERE[0]),
        "description": "小区门口垃圾三天没人清运",
        "first_name": "先生",
        "last_name": "张",
        "phone": "13800000000",
        **fields,
    }
    return client.post("/open311/v2/requests.json", data)


def test_discovery_and_the_service_list_in_both_formats(cast):
    client = Client()
    found = client.get("/open311/discovery.json")
    assert found.status_code == 200 and found["Content-Type"].startswith("application/json")
    endpoint = found.json()["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    xml = client.get("/open311/discovery.xml")
    assert xml.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    services = client.get("/open311/v2/services.json").json()
    garbage = next(s for s in services if s["service_code"] == "exposed-garbage")
    assert garbage["group"] == "市容环境" and garbage["metadata"] is False
    assert "1" in garbage["description"]
    root = ElementTree.fromstring(client.get("/open311/v2/services.xml").content)
    assert root.tag == "services" and root[0].tag == "service"
    assert root.find("service/service_code").text


def test_a_report_posted_with_a_key_becomes_a_case_and_reads_back(cast, grid, key):
    client = Client()
    response = post(client, key)
    assert response.status_code == 200, response.content.decode()
    answer = response.json()
    number = answer[0]["service_request_id"]
    assert number.startswith("AJ") and "token" not in answer[0]
    case = Case.objects.get()
    assert case.source == "open311" and case.state == "reported" and case.grid == grid
    one = client.get(f"/open311/v2/requests/{number}.json").json()[0]
    assert one["status"] == "open" and one["service_code"] == "exposed-garbage"
    assert one["requested_datetime"].endswith("+08:00")
    assert "13800000000" not in str(one) and "张" not in str(one)
    listed = client.get("/open311/v2/requests.xml?status=open")
    root = ElementTree.fromstring(listed.content)
    assert root.tag == "service_requests"
    assert [r.find("service_request_id").text for r in root] == [number]
    assert client.get("/open311/v2/requests.json?status=closed").json() == []
    token = client.get(f"/open311/v2/tokens/{case.tracking_code}.json").json()
    assert token[0]["service_request_id"] == number


def test_wechat_coordinates_are_converted_at_the_edge(cast, grid, key):
    lon, lat = wgs84_to_gcj02(*HERE)
    response = post(Client(), key, lat=str(lat), long=str(lon), coordinate_system="gcj02")
    assert response.status_code == 200, response.content.decode()
    case = Case.objects.get()
    assert case.coordinate_system == "gcj02" and abs(case.lat - HERE[1]) < 1e-5


def test_errors_are_the_spec_s_list_with_the_right_status(cast, grid, key):
    client = Client()
    assert post(client, "").status_code == 403
    assert post(client, "vg_not_a_key").status_code == 403
    missing = post(client, key, service_code="")
    assert missing.status_code == 400 and missing.json()[0]["code"] == "400"
    assert post(client, key, service_code="no-such").status_code == 404
    outside = post(client, key, lat="39.91", long="116.39")
    assert outside.status_code == 400 and "西海岸" in outside.json()[0]["description"]
    html = post(client, key, description="<img src=x onerror=alert(1)>")
    assert html.status_code == 400
    assert client.get("/open311/v2/requests/AJ99999999.json").status_code == 404
    wrong = client.get("/open311/v2/services.json?jurisdiction_id=ville.quebec.qc.ca")
    assert wrong.status_code == 404 and "xihaian" in wrong.json()[0]["description"]
    too_long = client.get(
        "/open311/v2/requests.json?start_date=2026-01-01T00:00:00%2B08:00"
        "&end_date=2026-06-01T00:00:00%2B08:00"
    )
    assert too_long.status_code == 400
    xml = client.get("/open311/v2/requests/AJ99999999.xml")
    assert ElementTree.fromstring(xml.content).tag == "errors"
    assert Case.objects.count() == 0


def test_an_address_alone_places_the_report_at_its_street(cast, grid, key):
    response = post(Client(), key, lat="", long="", address_string="黄岛街道海军路菜市场门口")
    assert response.status_code == 200, response.content.decode()
    assert "黄岛" in Case.objects.get().address


def test_posts_are_rate_limited_per_address(cast, grid, key):
    client = Client()
    codes = [post(client, key, description=f"第{i}处垃圾").status_code for i in range(12)]
    assert codes[:10] == [200] * 10 and codes[10] == 429


def test_paging_and_updated_after_extensions(cast, grid, key):
    client = Client()
    for i in range(3):
        post(client, key, description=f"第{i}处垃圾")
    page = client.get("/open311/v2/requests.json?page=2&page_size=2").json()
    assert len(page) == 1
    later = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)).isoformat()
    assert client.get("/open311/v2/requests.json", {"updated_after": later}).json() == []


def test_the_request_list_reads_as_many_queries_for_thirty_cases_as_for_three(
    cast, grid, key, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/open311/v2/requests.xml").status_code == 200
        return len(queries)

    for i in range(3):
        post(client, key, description=f"第{i}处垃圾")
    from vanguard.citywork.actions.cases import do_discard

    do_discard(Case.objects.first(), actor=cast["tf_citywork"], reason="不属于城市管理范围")
    few = count()
    cache.clear()
    for i in range(27):
        Case.objects.create(
            campaign=cast["campaign"],
            source="open311",
            category=Case.objects.first().category,
            state="discarded" if i % 2 else "reported",
            description=f"补充{i}",
            reported_at=Case.objects.first().reported_at,
            geometry={"type": "Point", "coordinates": list(HERE)},
            lon=HERE[0],
            lat=HERE[1],
            min_lon=HERE[0],
            max_lon=HERE[0],
            min_lat=HERE[1],
            max_lat=HERE[1],
        )
    assert count() == few
    discarded = [
        r
        for r in client.get("/open311/v2/requests.json").json()
        if "不予立案" in r["status_notes"] or "范围" in r["status_notes"]
    ]
    assert any("不属于城市管理范围" in r["status_notes"] for r in discarded)


@pytest.fixture
def media_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return tmp_path


def test_a_photo_uploaded_as_media_is_stored_stripped_and_published_as_media_url(
    cast, grid, key, media_storage
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.citywork.photo_files import has_metadata, phone_photo
    from vanguard.citywork.photos import photos_of

    client = Client()
    upload = SimpleUploadedFile("现场.jpg", phone_photo(), content_type="image/jpeg")
    response = post(client, key, media=upload)
    assert response.status_code == 200, response.content.decode()
    case = Case.objects.get()
    [attachment] = photos_of(case)
    assert (attachment.source, attachment.role) == ("open311", "report")
    assert attachment.attached_by == cast["office"]
    number = response.json()[0]["service_request_id"]
    row = client.get(f"/open311/v2/requests/{number}.json").json()[0]
    assert row["media_url"] == "http://testserver/city/photos/{}.jpg".format(
        attachment.photo.sha256
    )
    shown = Client().get(row["media_url"].removeprefix("http://testserver"))
    assert shown.status_code == 200 and has_metadata(b"".join(shown.streaming_content)) == []
    root = ElementTree.fromstring(client.get("/open311/v2/requests.xml").content)
    assert root.find("request/media_url").text == row["media_url"]


def test_a_bad_media_file_refuses_the_request_and_files_nothing(cast, grid, key, media_storage):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.citywork.photo_files import phone_photo
    from vanguard.citywork.models import Photo

    fake = SimpleUploadedFile("现场.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    refused = post(Client(), key, media=fake)
    assert refused.status_code == 400
    assert refused.json()[0]["description"].startswith("media: ")
    assert "现场.jpg" in refused.json()[0]["description"]
    four = [
        SimpleUploadedFile(f"{n}.jpg", phone_photo(colour=(n, 9, 9)), content_type="image/jpeg")
        for n in range(4)
    ]
    assert post(Client(), key, **{"media[]": four}).status_code == 400
    assert Case.objects.count() == 0 and Photo.objects.count() == 0


def test_a_media_url_is_not_fetched_and_the_partner_is_told(cast, grid, key):
    response = post(Client(), key, media_url="http://203.0.113.9/photo.jpg")
    assert response.status_code == 200
    assert "media_url" in response.json()[0]["service_notice"]
    number = response.json()[0]["service_request_id"]
    assert Client().get(f"/open311/v2/requests/{number}.json").json()[0]["media_url"] == ""
