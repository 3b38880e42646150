"""City cases through their pages: the office takes a 12345 call in through the new-case
form, the case goes through every step by the forms on its page, and every page that
shows it opens (or refuses) for every role as the access rules say."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.citywork.cases_world import HERE
from tests.citywork.conftest import ROLES, signed_in
from vanguard.audit.models import ChangeEntry
from vanguard.citywork.models import Case, CaseCategory, CaseRoute
from vanguard.citywork.models.cases import CaseAction, CaseState
from vanguard.notices.models import Notice
from vanguard.supervision.lights import recompute

pytestmark = pytest.mark.django_db

CAMPAIGN = "xihaian-2026"
KEEPERS = ("office", "tf_citywork", "dual")


def take_in(client, **data):
    """The new-case form, posted as a 12345 call at 黄岛路 unless ``data`` says otherwise."""
    body = {
        "campaign": CAMPAIGN,
        "source": "hotline",
        "category": "exposed-garbage",
        "coordinate_system": "wgs84",
        "lon": str(HERE[0]),
        "lat": str(HERE[1]),
        "address": "黄岛路88号",
        "description": "路边垃圾堆放三天无人清理",
        "hotline_ticket": "12345-0001",
        "reporter_name": "陈先生",
        "reporter_phone": "13800000001",
    }
    body.update(data)
    return client.post("/city/cases/new/", body)


def page_of(case):
    return "/city/cases/{}/".format(case.number)


def step(client, case, name, version=None, **data):
    """Post a step's form from the case's page, with the version the page showed."""
    case.refresh_from_db()
    body = {"campaign": CAMPAIGN, "version": case.version if version is None else version}
    body.update(data)
    return client.post("/city/cases/{}/{}/".format(case.number, name), body)


def done(response):
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


@pytest.fixture
def call(cast, grid):
    """A 12345 call the office took in through the form: a case awaiting registration."""
    done(take_in(signed_in(cast["office"])))
    return Case.objects.get()


def statuses(cast, paths):
    found = {}
    for role in ROLES:
        client = signed_in(cast[role])
        for path in paths:
            found[(path, role)] = client.get(path).status_code
    return found


def expect(paths, rows):
    return {(path, role): rows[path][role] for path in paths for role in ROLES}


def _only(*roles, yes=200, no=404):
    return {role: yes if role in roles else no for role in ROLES}


ALL = dict.fromkeys(ROLES, 200)


def test_every_page_of_a_case_as_every_role(cast, call):
    office = signed_in(cast["office"])
    done(step(office, call, "register"))
    before = {
        "/city/cases/": ALL,
        "/city/cases/?state=open&q=" + call.number: ALL,
        "/city/cases/export.xlsx": ALL,
        "/city/cases/categories/": ALL,
        "/city/cases/new/": _only(*KEEPERS, no=403),
        "/city/cases/categories/new/": _only(*KEEPERS, no=403),
        "/city/cases/categories/exposed-garbage/edit/": _only(*KEEPERS, no=403),
        # Not yet any unit's: the office, leaders and the city-work task force only.
        page_of(call): _only("office", "leader", "tf_citywork", "dual"),
        "/city/": ALL,
        "/": ALL,
    }
    assert statuses(cast, before) == expect(before, before)
    done(step(office, call, "dispatch", unit="hdjd"))
    after = {
        page_of(call): _only("office", "leader", "tf_citywork", "dual", "reporter_hdjd"),
        "/city/cases/": ALL,
    }
    assert statuses(cast, after) == expect(after, after)
    # The lists show the case to those who see it, and to no one else.
    for role in ROLES:
        listing = signed_in(cast[role]).get("/city/cases/").content.decode()
        seen = role in ("office", "leader", "tf_citywork", "dual", "reporter_hdjd")
        assert ('data-case="{}"'.format(call.number) in listing) == seen, role


def test_a_case_goes_from_the_call_to_close_through_the_forms(cast, call):
    office, tf = signed_in(cast["office"]), signed_in(cast["tf_citywork"])
    hdjd, zjj = signed_in(cast["reporter_hdjd"]), signed_in(cast["reporter_zjj"])
    assert call.state == CaseState.REPORTED and call.hotline_ticket == "12345-0001"
    page = office.get(page_of(call)).content.decode()
    assert 'id="step-register"' in page and 'id="step-discard"' in page
    assert "陈先生" in page  # the caller, for the call-back

    done(step(tf, call, "register"))
    page = tf.get(page_of(call)).content.decode()
    # The dispatch form suggests the grid's street office and says why.
    assert 'id="route-suggestion"' in page and "黄岛街道" in page
    assert '<option value="hdjd" selected>' in page
    done(step(tf, call, "dispatch", unit="hdjd", checker="tf_citywork_2"))
    call.refresh_from_db()
    assert call.state == CaseState.DISPATCHED and call.unit == cast["hdjd"]
    # The street's reporters are told at once.
    told = Notice.objects.filter(recipient=cast["reporter_hdjd"], kind="case_dispatched")
    assert told.count() == 1 and call.number in told.get().subject

    page = hdjd.get(page_of(call)).content.decode()
    for name in ("sign", "handle", "return", "postpone"):
        assert 'id="step-{}"'.format(name) in page, name
    assert 'id="step-dispatch"' not in page
    done(step(hdjd, call, "sign"))
    done(step(hdjd, call, "return", reason="该路段属住建局维护"))
    call.refresh_from_db()
    assert call.state == CaseState.RETURNED and call.bounce_count == 1

    page = office.get(page_of(call)).content.decode()
    assert 'id="step-decide-return"' in page and "该路段属住建局维护" in page
    # Upholding needs the other unit.
    refused = step(office, call, "decide-return", decision="uphold")
    assert refused.status_code == 400
    assert 'data-error-for="unit"' in refused.content.decode()
    done(step(office, call, "decide-return", decision="uphold", unit="zjj", note="转住建局"))
    call.refresh_from_db()
    assert call.unit == cast["zjj"] and call.state == CaseState.DISPATCHED
    assert hdjd.get(page_of(call)).status_code == 404

    later = timezone.localtime(call.due_at + datetime.timedelta(days=3))
    done(
        step(zjj, call, "postpone", until=later.strftime("%Y-%m-%dT%H:%M"), reason="需协调环卫车辆")
    )
    page = office.get(page_of(call)).content.decode()
    assert 'id="step-decide-postponement"' in page and "需协调环卫车辆" in page
    done(step(office, call, "decide-postponement", decision="approve", note="同意"))
    call.refresh_from_db()
    assert call.postponed and call.due_at.replace(second=0) == later.replace(second=0)

    done(step(zjj, call, "handle", reply="已清运完毕"))
    # The unit never checks its own work; the check form is the task force's.
    assert step(zjj, call, "check", result="passed").status_code == 403
    assert 'id="step-check"' in tf.get(page_of(call)).content.decode()
    failed = step(tf, call, "check", result="failed")
    assert failed.status_code == 400  # say what is still wrong
    done(step(tf, call, "check", result="failed", note="仍有残留"))
    call.refresh_from_db()
    assert call.state == CaseState.DISPATCHED and call.rework_count == 1
    done(step(zjj, call, "handle", reply="残留已清理"))
    done(step(tf, call, "check", result="passed", note="现场已清理"))
    call.refresh_from_db()
    assert call.state == CaseState.CLOSED

    flow = office.get(page_of(call)).content.decode()
    for action in (
        CaseAction.REPORT,
        CaseAction.REGISTER,
        CaseAction.DISPATCH,
        CaseAction.SIGN,
        CaseAction.RETURN,
        CaseAction.RETURN_UPHELD,
        CaseAction.POSTPONE_ASKED,
        CaseAction.POSTPONE_APPROVED,
        CaseAction.HANDLE,
        CaseAction.CHECK_FAILED,
        CaseAction.CHECK_PASSED,
    ):
        assert 'data-action="{}"'.format(action) in flow, action
    assert 'id="step-' not in flow  # nothing is left to do on a closed case
    assert ChangeEntry.objects.filter(object_id=str(call.pk)).count() >= 12


def test_a_step_on_a_page_someone_changed_meanwhile_is_refused(cast, call):
    office, tf = signed_in(cast["office"]), signed_in(cast["tf_citywork"])
    read = call.version
    done(step(office, call, "register"))
    call.refresh_from_db()
    # The task force's page still shows the report it read: its discard is refused.
    stale = step(tf, call, "discard", version=read, reason="重复")
    assert stale.status_code == 409
    text = stale.content.decode()
    assert "案件 {} 当前状态为“待派遣”，请刷新页面。".format(call.number) in text
    # Dispatch on a version read before someone else's step: refused, nothing changed.
    done(step(office, call, "dispatch", unit="hdjd"))
    call.refresh_from_db()
    stale = step(tf, call, "dispatch", version=call.version - 1, unit="zjj")
    assert stale.status_code == 409
    call.refresh_from_db()
    assert call.unit == cast["hdjd"] and call.state == CaseState.DISPATCHED
    hdjd = signed_in(cast["reporter_hdjd"])
    done(step(hdjd, call, "sign"))
    stale = step(hdjd, call, "handle", version=call.version - 1, reply="已处理")
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()


def test_others_are_refused_and_change_nothing(cast, call):
    office = signed_in(cast["office"])
    done(step(office, call, "register"))
    done(step(office, call, "dispatch", unit="hdjd"))
    before = Case.objects.values().get()
    # Another unit's reporter does not find the case at all.
    for name in ("sign", "handle", "return"):
        assert step(signed_in(cast["reporter_zjj"]), call, name, reason="x").status_code == 404
    # The unit's own reporter may not dispatch, decide or check.
    hdjd = signed_in(cast["reporter_hdjd"])
    for name in ("dispatch", "register", "decide-return", "check", "merge"):
        refused = step(hdjd, call, name, unit="zjj")
        assert refused.status_code == 403, name
    # The office may not handle in the unit's place.
    refused = step(office, call, "handle", reply="代为处理")
    assert refused.status_code == 403 and "责任单位" in refused.content.decode()
    assert Case.objects.values().get() == before


def test_a_repeated_call_is_offered_as_the_same_problem_and_merged(cast, call):
    office = signed_in(cast["office"])
    again = take_in(office, hotline_ticket="12345-0002", description="黄岛路又有垃圾堆放")
    # Nothing is saved yet: the open case nearby is offered first.
    assert again.status_code == 200 and Case.objects.count() == 1
    page = again.content.decode()
    assert 'id="same-problem"' in page and 'data-nearby="{}"'.format(call.number) in page
    merged = take_in(
        office, hotline_ticket="12345-0002", description="黄岛路又有垃圾堆放", same=call.number
    )
    assert merged["Location"].startswith(page_of(call))
    call.refresh_from_db()
    assert call.supporters == 1
    repeat = Case.objects.get(hotline_ticket="12345-0002")
    assert repeat.state == CaseState.MERGED and repeat.merged_into == call
    # Another problem at the same spot is saved as a case of its own.
    other = take_in(office, hotline_ticket="12345-0003", description="另一处垃圾", same="new")
    assert other.status_code == 302
    assert Case.objects.get(hotline_ticket="12345-0003").state == CaseState.REPORTED
    # From a case's page, a keeper merges a report into the open case beside it.
    fourth = take_in(office, hotline_ticket="12345-0004", description="第四次", same="new")
    case = Case.objects.get(hotline_ticket="12345-0004")
    page = office.get(fourth["Location"]).content.decode()
    assert 'data-nearby="{}"'.format(call.number) in page
    done(step(office, case, "merge", into=call.number))
    call.refresh_from_db()
    assert call.supporters == 2


def test_the_new_case_form_says_what_is_wrong(cast, grid):
    office = signed_in(cast["office"])
    outside = take_in(office, lon="116.39", lat="39.91")
    assert outside.status_code == 400 and 'data-error-for="lon"' in outside.content.decode()
    nowhere = take_in(office, lon="", lat="", address="某小区门口")
    assert nowhere.status_code == 400 and 'data-error-for="lon"' in nowhere.content.decode()
    no_ticket = take_in(office, hotline_ticket="")
    assert 'data-error-for="hotline_ticket"' in no_ticket.content.decode()
    html = take_in(office, description="<b>垃圾</b>")
    assert html.status_code == 400 and 'data-error-for="description"' in html.content.decode()
    assert Case.objects.count() == 0
    # An address naming the street places the case at the street's centre.
    done(take_in(office, lon="", lat="", address="黄岛街道某小区门口"))
    case = Case.objects.get()
    assert case.address == "黄岛街道某小区门口" and case.lon and case.lat
    # An inspection's finding is registered at once; its inspector checks it.
    done(
        take_in(
            signed_in(cast["tf_citywork"]),
            source="inspection",
            hotline_ticket="",
            category="street-lamp",
            description="路灯不亮",
        )
    )
    found = Case.objects.get(category__code="street-lamp")
    assert found.state == CaseState.REGISTERED and found.checker == cast["tf_citywork"]


def test_the_list_filters_counts_and_searches(cast, call):
    office = signed_in(cast["office"])
    done(step(office, call, "register"))
    done(step(office, call, "dispatch", unit="hdjd"))
    done(
        take_in(
            office,
            source="inspection",
            hotline_ticket="",
            category="street-lamp",
            description="路灯不亮",
            lon="120.1950",
            lat="35.9650",
        )
    )
    lamp = Case.objects.get(category__code="street-lamp")
    # The clock of the first case ran out.
    Case.objects.filter(pk=call.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))

    def rows(query):
        page = office.get("/city/cases/?" + query).content.decode()
        return {c.number for c in Case.objects.all() if 'data-case="{}"'.format(c.number) in page}

    both = {call.number, lamp.number}
    assert rows("") == both
    assert rows("state=dispatched") == {call.number}
    assert rows("state=open") == both
    assert rows("main=utilities") == {lamp.number}
    assert rows("category=exposed-garbage") == {call.number}
    assert rows("unit=hdjd") == {call.number}
    assert rows("source=inspection") == {lamp.number}
    assert rows("grid=hd-01") == both
    assert rows("overdue=1") == {call.number}
    # The light is the engine's, as of its last recompute: red once the clock ran out.
    assert rows("light=red") == set()
    recompute(cast["campaign"])
    assert rows("light=red") == {call.number} and rows("light=green") == set()
    assert rows("q=" + call.number.lower()) == {call.number}
    assert rows("q=12345-0001") == {call.number}
    assert rows("q=" + lamp.tracking_code) == {lamp.number}
    assert rows("q=nothing") == set()
    page = office.get("/city/cases/").content.decode()
    assert 'data-state="dispatched" data-count="1"' in page
    assert 'data-state="registered" data-count="1"' in page
    assert 'data-late="1"' in page and "vg-cards" in page
    # A reporter's counts are their unit's cases only.
    page = signed_in(cast["reporter_zjj"]).get("/city/cases/").content.decode()
    assert 'data-state="" data-count="0"' in page


def test_the_export_is_the_filtered_list_with_chinese_headers_and_real_dates(cast, call):
    office = signed_in(cast["office"])
    done(step(office, call, "register"))
    done(step(office, call, "dispatch", unit="hdjd"))
    response = office.get("/city/cases/export.xlsx?state=dispatched")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(row for row in values if row and row[0] == "案件编号")
    assert "责任单位" in header and "处置时限" in header and "12345工单号" in header
    row = next(row for row in values if row and row[0] == call.number)
    assert row[header.index("责任单位")] == "黄岛街道"
    assert row[header.index("状态")] == "处置中"
    assert isinstance(row[header.index("处置时限")], datetime.datetime)
    assert isinstance(row[header.index("上报时间")], datetime.datetime)
    # Another unit's reporter exports nothing of it.
    other = signed_in(cast["reporter_zjj"]).get("/city/cases/export.xlsx")
    assert call.number not in str(list(load_workbook(io.BytesIO(other.content)).active.values))


def test_the_work_queue_tells_each_role_what_waits(cast, call):
    from tests.citywork.conftest import token_client

    def kinds(role):
        queue = token_client(cast[role]).get("/api/v1/queue").json()
        return {row["kind"]: row for row in queue["kinds"]}

    assert kinds("office")["cases_to_register"]["count"] == 1
    assert "cases_to_register" in kinds("tf_citywork")
    assert "cases_to_register" not in kinds("reporter_hdjd")
    office = signed_in(cast["office"])
    done(step(office, call, "register"))
    assert kinds("office")["cases_to_dispatch"]["count"] == 1
    done(step(office, call, "dispatch", unit="hdjd"))
    Case.objects.filter(pk=call.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    mine = kinds("reporter_hdjd")["cases_to_handle"]
    assert mine["count"] == 1 and mine["late_count"] == 1
    assert mine["items"][0]["url"] == page_of(call) and mine["items"][0]["late"]
    assert "cases_to_handle" not in kinds("reporter_zjj")
    hdjd = signed_in(cast["reporter_hdjd"])
    done(step(hdjd, call, "return", reason="不属本单位"))
    assert "不属本单位" in kinds("office")["case_returns_to_decide"]["items"][0]["reason"]
    done(step(office, call, "decide-return", decision="refuse", note="网格属黄岛街道"))
    assert kinds("reporter_hdjd")["cases_to_handle"]["count"] == 1
    done(step(hdjd, call, "handle", reply="已清理"))
    assert kinds("tf_citywork")["cases_to_check"]["count"] == 1
    # The dual member reports for Huangdao street: never asked to check its work.
    assert "cases_to_check" not in kinds("dual")
    # The navigation counts them too.
    nav = signed_in(cast["tf_citywork"]).get("/city/").content.decode()
    badge = nav.split('id="vg-nav-queue"')[1].split("</a>")[0]
    assert 'data-count="0"' not in badge


def test_the_battle_page_leads_to_the_cases_with_counts(cast, call):
    office = signed_in(cast["office"])
    page = office.get("/city/").content.decode()
    assert 'id="cases-link" data-count="1"' in page and 'id="cases-tab"' in page
    assert 'data-count="1" id="cases-reported"' in page
    reporter = signed_in(cast["reporter_zjj"]).get("/city/").content.decode()
    assert 'data-count="0" id="cases-overdue"' in reporter


def test_the_categories_page_adds_edits_and_routes(cast, grid):
    office = signed_in(cast["office"])
    added = office.post(
        "/city/cases/categories/new/",
        {
            "code": "shared-bikes",
            "name": "共享单车乱停放",
            "parent": "street-order",
            "kind": "event",
            "time_limit": "2",
            "time_unit": "wh",
            "duplicate_radius_m": "100",
            "close_condition": "车辆规范停放",
            "public": "on",
            "active": "on",
            "sort_order": "450",
        },
    )
    done(added)
    bikes = CaseCategory.objects.get(code="shared-bikes")
    assert bikes.parent.code == "street-order" and bikes.time_unit == "wh"
    page = office.get("/city/cases/categories/").content.decode()
    assert 'data-category="shared-bikes"' in page and "共享单车乱停放" in page
    edit = office.get("/city/cases/categories/shared-bikes/edit/").content.decode()
    assert 'value="共享单车乱停放"' in edit
    done(
        office.post(
            "/city/cases/categories/shared-bikes/edit/",
            {
                "name": "共享单车乱停放",
                "parent": "street-order",
                "kind": "event",
                "time_limit": "4",
                "time_unit": "wh",
                "unit": "zfj",
                "duplicate_radius_m": "100",
                "active": "on",
                "sort_order": "450",
            },
        )
    )
    bikes.refresh_from_db()
    assert bikes.time_limit == 4 and bikes.unit == cast["zfj"] and not bikes.public
    # A subcategory cannot hang under another subcategory.
    bad = office.post(
        "/city/cases/categories/new/",
        {
            "code": "x",
            "name": "某类",
            "parent": "exposed-garbage",
            "kind": "event",
            "time_limit": "1",
            "time_unit": "wd",
            "duplicate_radius_m": "250",
            "sort_order": "0",
        },
    )
    assert bad.status_code == 400
    # A route sends street lamps in the grid to the housing bureau.
    route = {"category": "street-lamp", "grid": "hd-01", "unit": "zjj"}
    done(office.post("/city/cases/categories/routes/", route))
    saved = CaseRoute.objects.get()
    twice = office.post("/city/cases/categories/routes/", {**route, "unit": "zfj"})
    assert twice.status_code == 400 and CaseRoute.objects.count() == 1
    done(take_in(office, category="street-lamp", hotline_ticket="12345-0009"))
    case = Case.objects.get(category__code="street-lamp")
    done(step(office, case, "register"))
    page = office.get(page_of(case)).content.decode()
    assert '<option value="zjj" selected>' in page
    done(office.post("/city/cases/categories/routes/{}/remove/".format(saved.pk)))
    assert CaseRoute.objects.count() == 0
    logged = ChangeEntry.objects.filter(object_repr__contains="共享单车")
    assert logged.count() >= 2
    # Only the office and the city-work task force change them.
    reporter = signed_in(cast["reporter_hdjd"])
    assert reporter.post("/city/cases/categories/routes/", {}).status_code == 403
    assert reporter.get("/city/cases/categories/").status_code == 200


def test_the_unit_and_the_checker_show_their_work_in_after_photos(cast, call, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.citywork.photo_files import has_metadata, phone_photo
    from vanguard.citywork.choices import PhotoRole, PhotoSource
    from vanguard.citywork.photos import photos_of

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    office, tf, hdjd = (signed_in(cast[r]) for r in ("office", "tf_citywork", "reporter_hdjd"))
    done(step(tf, call, "register"))
    done(step(tf, call, "dispatch", unit="hdjd", checker="tf_citywork_2"))
    page = hdjd.get(page_of(call)).content.decode()
    assert 'enctype="multipart/form-data" class="card shadow-sm mb-3" id="step-handle"' in page

    # A file that is no photo is named, and the case is not handled.
    bad = SimpleUploadedFile("清理后.jpg", b"not a picture at all")
    refused = step(hdjd, call, "handle", reply="已清运完毕", photos=[bad])
    assert refused.status_code == 400 and "清理后.jpg" in refused.content.decode()
    call.refresh_from_db()
    assert call.state == CaseState.DISPATCHED and not photos_of(call).exists()

    after = SimpleUploadedFile("清理后.jpg", phone_photo(colour=(10, 200, 10)))
    done(step(hdjd, call, "handle", reply="已清运完毕", photos=[after]))
    [handled] = photos_of(call, PhotoRole.AFTER)
    assert handled.source == PhotoSource.CASE_PAGE and handled.attached_by == cast["reporter_hdjd"]
    assert has_metadata(handled.photo.image.read()) == []

    checker = signed_in(cast["tf_citywork_2"])
    on_site = SimpleUploadedFile("核查.jpg", phone_photo(colour=(200, 10, 10)))
    done(step(checker, call, "check", result="passed", note="现场已清理", photos=[on_site]))
    call.refresh_from_db()
    assert call.state == CaseState.CLOSED
    assert len(photos_of(call, PhotoRole.AFTER)) == 2

    # The page shows both beside the flow; the office reads the originals, a unit does not.
    shown = office.get(page_of(call)).content.decode()
    assert 'id="case-photos"' in shown and 'data-role="after"' in shown
    assert shown.count("data-photo=") == 2 and shown.count("data-original=") == 2
    theirs = hdjd.get(page_of(call)).content.decode()
    assert theirs.count("data-photo=") == 2 and "data-original=" not in theirs
