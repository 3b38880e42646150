"""Patrols (巡查) through their phone pages: a member starts a patrol, records a problem with a
photo (a case registered at once, the member its checker), is offered an open case nearby
instead of a duplicate, checks the case once the unit has handled it, and ends the patrol.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.citywork.cases_world import HERE, category
from tests.citywork.conftest import signed_in
from tests.citywork.photo_files import has_metadata, phone_photo, plain
from vanguard.citywork.actions import cases as actions
from vanguard.citywork.choices import PhotoRole, PhotoSource
from vanguard.citywork.models import Case, Patrol, PatrolFinding, Photo
from vanguard.citywork.models.cases import CaseSource, CaseState
from vanguard.citywork.photos import photos_of, store_photo
from vanguard.core.coords import wgs84_to_gcj02

pytestmark = pytest.mark.django_db

PATROL = "/city/patrol/"


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVIDENCE_ROOT = tmp_path / "evidence"


def start(client, **data):
    response = client.post(PATROL + "start/", {"campaign": "xihaian-2026", **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Patrol.objects.latest("pk")


def record(client, patrol, *, photos=None, lon=HERE[0], lat=HERE[1], **data):
    """Post a problem found through the patrol page's form."""
    if photos is None:
        photos = [SimpleUploadedFile("现场.jpg", phone_photo())]
    body = {
        "category": "exposed-garbage",
        "description": "路边垃圾堆放三天无人清理",
        "lon": str(lon),
        "lat": str(lat),
        "coordinate_system": "wgs84",
        "address": "黄岛路12号",
        "photos": photos,
        **data,
    }
    return client.post("{}p/{}/record/".format(PATROL, patrol.pk), body)


def text(response):
    return response.content.decode()


def test_a_patrol_records_a_problem_with_a_photo_and_becomes_its_checker(cast, grid):
    member = signed_in(cast["tf_citywork"])
    assert member.get(PATROL).status_code == 200
    patrol = start(member, area="黄岛路沿线", grid="hd-01")
    assert patrol.is_open and patrol.grid == grid and patrol.member == cast["tf_citywork"]

    response = record(member, patrol)
    assert response.status_code == 302, text(response)[:2000]
    case = Case.objects.get()
    assert case.source == CaseSource.PATROL and case.state == CaseState.REGISTERED
    assert case.checker == cast["tf_citywork"] and case.reported_by == cast["tf_citywork"]
    assert case.grid == grid and case.category.code == "exposed-garbage"
    [attached] = photos_of(case, PhotoRole.BEFORE)
    assert attached.source == PhotoSource.PATROL
    # What is published of the photo carries nothing of the phone.
    assert has_metadata(attached.photo.image.read()) == []
    finding = PatrolFinding.objects.get()
    assert finding.patrol == patrol and finding.case == case and not finding.supported

    # The patrol page and its summary show the case, its state and its photo.
    home = text(member.get(PATROL))
    assert case.number in home and attached.photo.thumbnail_url in home
    summary = member.get("{}p/{}/".format(PATROL, patrol.pk))
    assert summary.status_code == 200
    assert case.number in text(summary) and "待派遣" in text(summary)
    # The case's number on either page opens the case.
    link = 'href="/city/cases/{}/?campaign=xihaian-2026"'.format(case.number)
    assert link in home and link in text(summary)
    assert member.get("/city/cases/{}/".format(case.number)).status_code == 200
    # The office reads the summary; a unit's reporter and another task force do not.
    assert signed_in(cast["office"]).get("{}p/{}/".format(PATROL, patrol.pk)).status_code == 200
    for role in ("reporter_hdjd", "tf_projects", "leader"):
        assert signed_in(cast[role]).get("{}p/{}/".format(PATROL, patrol.pk)).status_code == 403


def test_a_patrol_takes_a_location_typed_from_wechat_and_refuses_one_outside(cast, grid):
    member = signed_in(cast["tf_citywork"])
    patrol = start(member)
    lon, lat = wgs84_to_gcj02(*HERE)
    response = record(member, patrol, lon=lon, lat=lat, coordinate_system="gcj02")
    assert response.status_code == 302, text(response)[:2000]
    case = Case.objects.get()
    assert case.coordinate_system == "gcj02" and abs(case.lon - HERE[0]) < 1e-5

    response = record(member, patrol, lon=116.39, lat=39.91, category="small-ads")
    assert response.status_code == 400
    errors = response.context["finding_form"].errors
    assert "lon" in errors and "116.39" in " ".join(errors["lon"])
    assert Case.objects.count() == 1


def test_a_problem_needs_a_photo_and_a_bad_one_is_named(cast, grid):
    member = signed_in(cast["tf_citywork"])
    patrol = start(member)
    response = record(member, patrol, photos=[])
    assert response.status_code == 400
    assert "照片" in " ".join(response.context["finding_form"].errors["photos"])
    response = record(member, patrol, photos=[SimpleUploadedFile("说明.jpg", b"not a photo")])
    assert response.status_code == 400
    assert "说明.jpg" in " ".join(response.context["finding_form"].errors["photos"])
    assert not Case.objects.exists() and not Photo.objects.exists()


def test_an_open_case_nearby_is_offered_before_a_duplicate(cast, grid):
    member = signed_in(cast["tf_citywork"])
    assert record(member, start(member)).status_code == 302
    first = Case.objects.get()

    # Another member, thirty metres away, the same category: the page offers the open
    # case and keeps the photo taken, attached to nothing yet.
    other = signed_in(cast["tf_citywork_2"])
    patrol = start(other)
    nearby = {"lon": HERE[0] + 0.0003, "lat": HERE[1]}
    second_photo = [SimpleUploadedFile("又一张.jpg", phone_photo(colour=(10, 200, 30)))]
    offered = record(other, patrol, photos=second_photo, **nearby)
    assert offered.status_code == 200
    assert first.number in text(offered) and "support-{}".format(first.pk) in text(offered)
    kept = offered.context["offer"]["kept"]
    assert len(kept) == 1 and Photo.objects.get(sha256=kept[0]).attachments.count() == 0
    assert Case.objects.count() == 1

    # The member says it is the same problem: the case is supported, the photo joins it.
    supported = record(
        other, patrol, photos=[], kept=kept, decision="support-{}".format(first.pk), **nearby
    )
    assert supported.status_code == 302, text(supported)[:2000]
    first.refresh_from_db()
    assert Case.objects.count() == 1 and first.supporters == 1
    assert len(photos_of(first, PhotoRole.BEFORE)) == 2
    assert PatrolFinding.objects.get(patrol=patrol).supported
    # The same patrol cannot add itself to the case twice.
    again = record(
        other, patrol, photos=[], kept=kept, decision="support-{}".format(first.pk), **nearby
    )
    assert again.status_code == 400 and Case.objects.get(pk=first.pk).supporters == 1

    # Another problem of the same kind beside it: reported as a new case after all.
    offered = record(
        other,
        patrol,
        photos=[SimpleUploadedFile("第三张.png", plain("PNG"))],
        description="另一处垃圾",
        **nearby,
    )
    kept = offered.context["offer"]["kept"]
    response = record(
        other, patrol, photos=[], kept=kept, decision="new", description="另一处垃圾", **nearby
    )
    assert response.status_code == 302
    assert Case.objects.count() == 2
    assert photos_of(Case.objects.latest("pk"), PhotoRole.BEFORE).count() == 1


def test_one_open_patrol_per_member_and_an_ended_patrol_records_nothing(cast, grid):
    member = signed_in(cast["tf_citywork"])
    patrol = start(member)
    again = member.post(PATROL + "start/", {"area": "再来"})
    assert again.status_code == 409 and patrol.number in text(again)
    assert Patrol.objects.count() == 1
    ended = member.post("{}p/{}/end/".format(PATROL, patrol.pk), {"note": "巡查结束，发现1处"})
    assert ended.status_code == 302
    patrol.refresh_from_db()
    assert patrol.ended_at is not None and patrol.note == "巡查结束，发现1处"
    response = record(member, patrol)
    assert response.status_code == 409 and not Case.objects.exists()
    # Back home, a new patrol may start.
    assert "start-form" in text(member.get(PATROL))
    # Another member cannot record on someone else's patrol.
    other = signed_in(cast["tf_citywork_2"])
    mine = start(member)
    assert record(other, mine).status_code == 403


def test_only_the_office_and_the_city_work_task_force_patrol(cast, grid):
    assert signed_in(cast["office"]).get(PATROL).status_code == 200
    for role in ("leader", "inspector", "tf_projects", "reporter_hdjd", "reporter_zjj"):
        assert signed_in(cast[role]).get(PATROL).status_code == 403, role
        assert signed_in(cast[role]).post(PATROL + "start/", {}).status_code == 403, role
    assert not Patrol.objects.exists()


def _handled(cast, patrol_member, handler):
    """A patrol's case dispatched to Huangdao street and handled by ``handler``, with the
    unit's "after" photo."""
    client = signed_in(cast[patrol_member])
    patrol = start(client)
    assert record(client, patrol).status_code == 302
    case = Case.objects.latest("pk")
    case = actions.do_dispatch(case, actor=cast["office"], version=case.version)
    assert case.unit == cast["hdjd"]
    case = actions.do_handle(case, actor=cast[handler], reply="已清运完毕，现场恢复整洁")
    store_photo(
        phone_photo(colour=(30, 30, 200)),
        source=PhotoSource.PAGE,
        by=cast[handler],
        subject=case,
        role=PhotoRole.AFTER,
        name="处理后.jpg",
    )
    return client, case


def test_the_checker_checks_the_case_once_the_unit_has_handled_it(cast, grid):
    member, case = _handled(cast, "tf_citywork", "reporter_hdjd")
    checks = member.get(PATROL + "checks/")
    assert checks.status_code == 200
    assert [c.pk for c in checks.context["mine"]] == [case.pk]
    page = text(checks)
    assert "已清运完毕，现场恢复整洁" in page
    [after] = photos_of(case, PhotoRole.AFTER)
    assert after.photo.thumbnail_url in page
    assert 'data-count="1"' in text(member.get(PATROL))

    url = "{}checks/{}/".format(PATROL, case.pk)
    failed = member.post(url, {"result": "fail", "version": case.version})
    assert failed.status_code == 400 and Case.objects.get(pk=case.pk).state == CaseState.HANDLED
    passed = member.post(
        url,
        {
            "result": "pass",
            "note": "现场已清理",
            "version": case.version,
            "photos": [SimpleUploadedFile("核查.jpg", phone_photo(colour=(90, 90, 90)))],
        },
    )
    assert passed.status_code == 302, text(passed)[:2000]
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.checker == cast["tf_citywork"]
    assert len(photos_of(case, PhotoRole.AFTER)) == 2
    assert member.get(PATROL + "checks/").context["mine"] == []
    # The patrol's summary shows the case closed.
    summary = text(member.get("{}p/{}/".format(PATROL, Patrol.objects.get().pk)))
    assert 'data-state="closed"' in summary and 'data-closed="1"' in summary
    # Checked again, the stale form is refused and nothing changes.
    again = member.post(url, {"result": "fail", "note": "再看", "version": case.version - 1})
    assert again.status_code == 409


def test_a_failed_check_sends_the_case_back_as_rework(cast, grid):
    member, case = _handled(cast, "tf_citywork", "reporter_hdjd")
    response = member.post(
        "{}checks/{}/".format(PATROL, case.pk),
        {"result": "fail", "note": "仍有垃圾残留", "version": case.version},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.DISPATCHED and case.rework_count == 1


def test_the_handler_finds_no_case_of_theirs_to_check(cast, grid):
    # 吴兼职 is on the city-work task force and reports for Huangdao street: they handle
    # the case for the street, so they never check it; another member may.
    _member, case = _handled(cast, "tf_citywork", "dual")
    dual = signed_in(cast["dual"])
    checks = dual.get(PATROL + "checks/")
    assert checks.status_code == 200
    assert checks.context["mine"] == [] and checks.context["others"] == []
    assert case.number not in text(checks)
    refused = dual.post(
        "{}checks/{}/".format(PATROL, case.pk), {"result": "pass", "version": case.version}
    )
    assert refused.status_code == 403
    assert Case.objects.get(pk=case.pk).state == CaseState.HANDLED
    # Someone who may check it sees it among the others awaiting a check.
    other = signed_in(cast["tf_citywork_2"]).get(PATROL + "checks/")
    assert [c.pk for c in other.context["others"]] == [case.pk]
    # A unit's reporter has no checks page at all.
    assert signed_in(cast["reporter_hdjd"]).get(PATROL + "checks/").status_code == 403


def test_a_patrol_case_is_not_offered_once_closed(cast, grid):
    member = signed_in(cast["tf_citywork"])
    patrol = start(member)
    assert record(member, patrol).status_code == 302
    case = Case.objects.get()
    case = actions.do_dispatch(case, actor=cast["office"])
    case = actions.do_handle(case, actor=cast["reporter_hdjd"], reply="已处理")
    actions.do_check(case, actor=cast["tf_citywork"], passed=True)
    response = record(member, patrol, photos=[SimpleUploadedFile("新.jpg", plain("JPEG"))])
    assert response.status_code == 302 and Case.objects.count() == 2


def test_the_patrol_page_needs_no_inline_script(cast, grid):
    member = signed_in(cast["tf_citywork"])
    start(member)
    page = text(member.get(PATROL))
    assert "<script>" not in page and "onclick" not in page
    assert "/static/vanguard/locate.js" in page and 'capture="environment"' in page


def test_an_unknown_category_is_refused(cast, grid):
    member = signed_in(cast["tf_citywork"])
    patrol = start(member)
    response = record(member, patrol, category="no-such")
    assert response.status_code == 400 and "category" in response.context["finding_form"].errors
    assert category("exposed-garbage").cases.count() == 0


def test_a_patrol_starts_in_the_grid_the_phone_stands_in_or_the_one_named(cast, grid):
    member = signed_in(cast["tf_citywork"])
    # "Use my location" filled the point: the grid holding it is taken.
    patrol = start(member, lon=str(HERE[0]), lat=str(HERE[1]))
    assert patrol.grid == grid
    member.post("{}p/{}/end/".format(PATROL, patrol.pk))
    # A code no grid has is named, and no patrol starts.
    refused = member.post(PATROL + "start/", {"campaign": "xihaian-2026", "grid": "hd-99"})
    assert refused.status_code == 400 and "hd-99" in text(refused)
    assert Patrol.objects.count() == 1
    # Outside every grid, the patrol goes by its area in words.
    patrol = start(member, lon="120.5", lat="36.3", area="海边步道")
    assert patrol.grid is None and patrol.area == "海边步道"
    # The start form lists no grid: a city has thousands.
    member.post("{}p/{}/end/".format(PATROL, patrol.pk))
    assert "<option" not in text(member.get(PATROL)).split('id="start-form"', 1)[1]
