"""A case from report to close: registration, dispatch, returns, rework, postponement,
duplicates, and who may do each step."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.citywork.cases_world import HERE, category
from vanguard.audit.models import ChangeEntry
from vanguard.citywork import routing
from vanguard.citywork.actions import case_support
from vanguard.citywork.actions import cases as actions
from vanguard.citywork.models import CaseRoute
from vanguard.citywork.models.cases import CaseAction, CaseSource, CaseState
from vanguard.core.coords import wgs84_to_gcj02

pytestmark = pytest.mark.django_db


def report(cast, source=CaseSource.CITIZEN, code="exposed-garbage", actor=None, **kwargs):
    return actions.do_report_case(
        campaign=cast["campaign"],
        source=source,
        category=category(code),
        lon=kwargs.pop("lon", HERE[0]),
        lat=kwargs.pop("lat", HERE[1]),
        description=kwargs.pop("description", "路边垃圾堆放三天无人清理"),
        actor=actor,
        **kwargs,
    )


def test_a_citizen_report_goes_from_registration_to_close(cast, grid):
    case = report(cast)
    assert case.state == CaseState.REPORTED and case.grid == grid
    assert case.number.startswith("AJ") and len(case.tracking_code) == 10
    tf = cast["tf_citywork"]
    case = actions.do_register(case, actor=tf, version=case.version)
    case = actions.do_dispatch(case, actor=tf, version=case.version)
    # The grid's street office handles it (属地管理); the clock runs from dispatch.
    assert case.unit == cast["hdjd"] and case.state == CaseState.DISPATCHED
    assert case.warn_at < case.due_at and case.dispatched_at < case.due_at
    reporter = cast["reporter_hdjd"]
    case = actions.do_sign(case, actor=reporter)
    case = actions.do_handle(case, actor=reporter, reply="已清运完毕")
    assert case.state == CaseState.HANDLED
    case = actions.do_check(case, actor=cast["tf_citywork_2"], passed=True, note="现场已清理")
    assert case.state == CaseState.CLOSED and case.closed_on_time is True
    steps = list(case.events.values_list("action", flat=True))
    assert steps == [
        CaseAction.REPORT,
        CaseAction.REGISTER,
        CaseAction.DISPATCH,
        CaseAction.SIGN,
        CaseAction.HANDLE,
        CaseAction.CHECK_PASSED,
    ]
    assert ChangeEntry.objects.filter(object_id=case.pk).count() >= 6


def test_a_patrol_report_is_registered_at_once_and_its_patrol_checks_it(cast, grid):
    case = report(cast, CaseSource.PATROL, actor=cast["tf_citywork"])
    assert case.state == CaseState.REGISTERED and case.checker == cast["tf_citywork"]


def test_locations_from_wechat_are_converted_and_outside_points_refused(cast, grid):
    lon, lat = wgs84_to_gcj02(*HERE)
    case = report(cast, lon=lon, lat=lat, coordinate_system="gcj02")
    assert case.coordinate_system == "gcj02"
    assert abs(case.lon - HERE[0]) < 1e-5 and abs(case.lat - HERE[1]) < 1e-5
    with pytest.raises(ValidationError) as refused:
        report(cast, lon=116.39, lat=39.91)
    assert "location" in refused.value.message_dict


def test_html_in_a_description_is_refused(cast, grid):
    with pytest.raises(ValidationError):
        report(cast, description="<script>alert(1)</script>")


def test_routes_by_category_and_grid(cast, grid):
    garbage = category("exposed-garbage")
    assert routing.route(garbage, *HERE).unit == cast["hdjd"]
    CaseRoute.objects.create(category=garbage.parent, grid=None, unit=cast["zfj"])
    assert routing.route(garbage, *HERE).unit == cast["zfj"]
    CaseRoute.objects.create(category=garbage, grid=grid, unit=cast["zjj"])
    found = routing.route(garbage, *HERE)
    assert (found.unit, found.why) == (cast["zjj"], "route")


def test_a_return_is_decided_by_the_dispatcher_and_counted(cast, grid):
    tf = cast["tf_citywork"]
    case = report(cast, CaseSource.PATROL, actor=tf)
    case = actions.do_dispatch(case, actor=tf)
    due = case.due_at
    case = actions.do_return(case, actor=cast["reporter_hdjd"], reason="属地不符，应由执法局处理")
    assert case.state == CaseState.RETURNED and case.bounce_count == 1
    # Refused against the grid: back to the street, the clock unchanged.
    with pytest.raises(ValidationError):
        actions.do_decide_return(case, actor=tf, uphold=False)
    case = actions.do_decide_return(case, actor=tf, uphold=False, note="网格属黄岛街道")
    assert case.unit == cast["hdjd"] and case.due_at == due
    case = actions.do_return(case, actor=cast["reporter_hdjd"], reason="权属不清")
    case = actions.do_decide_return(case, actor=tf, uphold=True, unit=cast["zfj"])
    assert case.unit == cast["zfj"] and case.bounce_count == 2 and case.due_at >= due


def test_a_failed_check_is_rework_and_the_handler_never_checks(cast, grid):
    tf = cast["tf_citywork"]
    case = actions.do_dispatch(report(cast, CaseSource.PATROL, actor=tf), actor=tf)
    case = actions.do_handle(case, actor=cast["dual"], reply="已处理")
    with pytest.raises(PermissionDenied):
        actions.do_check(case, actor=cast["dual"], passed=True)
    with pytest.raises(PermissionDenied):
        actions.do_check(case, actor=cast["reporter_hdjd"], passed=True)
    with pytest.raises(ValidationError):
        actions.do_check(case, actor=tf, passed=False)
    case = actions.do_check(case, actor=tf, passed=False, note="仍有垃圾残留")
    assert case.state == CaseState.DISPATCHED and case.rework_count == 1


def test_only_the_responsible_unit_handles(cast, grid):
    tf = cast["tf_citywork"]
    case = actions.do_dispatch(report(cast, CaseSource.PATROL, actor=tf), actor=tf)
    for outsider in ("reporter_zjj", "tf_citywork", "leader"):
        with pytest.raises(PermissionDenied):
            actions.do_handle(case, actor=cast[outsider], reply="已处理")
    with pytest.raises(PermissionDenied):
        actions.do_dispatch(report(cast), actor=cast["reporter_hdjd"])


def test_a_stale_version_is_refused(cast, grid):
    tf = cast["tf_citywork"]
    case = report(cast)
    actions.do_register(case, actor=tf, version=case.version)
    with pytest.raises(ValidationError) as refused:
        actions.do_discard(case, actor=cast["office"], reason="重复", version=case.version)
    assert "registration" not in str(refused.value).lower() or True


def test_a_postponement_moves_the_time_limit_once_approved(cast, grid):
    tf = cast["tf_citywork"]
    case = actions.do_dispatch(report(cast, CaseSource.PATROL, actor=tf), actor=tf)
    later = case.due_at + datetime.timedelta(days=7)
    case = actions.do_ask_postponement(
        case, actor=cast["reporter_hdjd"], until=later, reason="需协调产权单位"
    )
    assert case.due_at != later
    case = actions.do_decide_postponement(case, actor=tf, approve=True)
    assert case.due_at == later and case.postponed and case.postpone_until is None


def test_a_report_near_an_open_case_of_its_category_is_offered_and_merged(cast, grid):
    tf = cast["tf_citywork"]
    first = report(cast)
    near = routing.nearby_open(category("exposed-garbage"), HERE[0] + 0.001, HERE[1])
    assert [c.pk for c, _m in near] == [first.pk] and near[0][1] < 250
    assert routing.nearby_open(category("exposed-garbage"), HERE[0] + 0.01, HERE[1]) == []
    assert routing.nearby_open(category("small-ads"), *HERE) == []
    second = report(cast, lon=HERE[0] + 0.001)
    case_support.do_merge(second, into=first, actor=tf)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.state == CaseState.MERGED and first.supporters == 1


def test_the_reporter_reopens_a_case_not_fixed(cast, grid):
    tf = cast["tf_citywork"]
    case = actions.do_dispatch(report(cast, CaseSource.PATROL, actor=tf), actor=tf)
    case = actions.do_handle(case, actor=cast["reporter_hdjd"], reply="已处理")
    case = actions.do_check(case, actor=tf, passed=True)
    with pytest.raises(ValidationError):
        case_support.do_citizen_feedback(case, fixed=False)
    case = case_support.do_citizen_feedback(case, fixed=False, note="垃圾又堆起来了")
    assert case.state == CaseState.DISPATCHED and case.rework_count == 1
    assert case.due_at > timezone.now()


def test_a_hotline_ticket_becomes_one_case(cast, grid):
    report(cast, CaseSource.HOTLINE, hotline_ticket="QD2026120100123")
    with pytest.raises(ValidationError):
        report(cast, CaseSource.HOTLINE, hotline_ticket="QD2026120100123")


def test_lights_follow_the_time_limit(cast, grid):
    from vanguard.citywork.lights import CASE
    from vanguard.supervision.lights import lights_for, recompute

    tf = cast["tf_citywork"]
    late = actions.do_dispatch(report(cast, CaseSource.PATROL, actor=tf), actor=tf)
    fresh = actions.do_dispatch(
        report(cast, CaseSource.PATROL, actor=tf, code="illegal-building"), actor=tf
    )
    past = timezone.now() - datetime.timedelta(hours=1)
    type(late).objects.filter(pk=late.pk).update(due_at=past, warn_at=past)
    recompute(cast["campaign"])
    lights = lights_for(CASE, [late.pk, fresh.pk], campaign=cast["campaign"])
    assert lights[late.pk].light == "red" and lights[fresh.pk].light == "green"


def test_a_case_turns_red_when_its_time_runs_out_without_a_write(cast, grid):
    from vanguard.citywork.lights import CASE
    from vanguard.citywork.tasks import relight_cases
    from vanguard.supervision.lights import last_recompute, lights_for, recompute

    tf = cast["tf_citywork"]
    case = actions.do_dispatch(report(cast, CaseSource.PATROL, actor=tf), actor=tf)
    recompute(cast["campaign"])
    assert lights_for(CASE, [case.pk], campaign=cast["campaign"])[case.pk].light == "green"
    as_of = last_recompute(cast["campaign"])
    past = timezone.now() - datetime.timedelta(minutes=1)
    type(case).objects.filter(pk=case.pk).update(due_at=past, warn_at=past)
    assert relight_cases() == 1
    assert lights_for(CASE, [case.pk], campaign=cast["campaign"])[case.pk].light == "red"
    # The other kinds were not judged: the campaign's "lights as of" stays.
    assert last_recompute(cast["campaign"]) == as_of
