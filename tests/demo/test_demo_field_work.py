"""The district demo's patrols and volunteer activities: out in the district's grids and
streets, finding the demo's own cases, and on the pages of those who may see them.

The demo is generated once for the module, as of a past day, and rolled back afterwards.
"""

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.test import Client
from django.utils import timezone

from vanguard.citywork.models import (
    CaseEvent,
    Patrol,
    PatrolFinding,
    VolunteerActivity,
    VolunteerFinding,
    VolunteerSignup,
)
from vanguard.citywork.queries.volunteers import weekly_count
from vanguard.citywork.weeks import week_of
from vanguard.demo.cases import present
from vanguard.maps import district
from vanguard.org.choices import Battle, Role, UnitKind
from vanguard.org.models import Campaign, RoleAssignment

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 3)
NOW = present(TODAY)
TEST_PHONE = re.compile(r"^1[3-9]\d0000\d{4}$")


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command(
                "demo", "--scale", "district", "--seed", "1", "--today", TODAY.isoformat(),
                stdout=io.StringIO(),
            )  # fmt: skip
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def as_user(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_patrols_run_over_the_year_by_the_task_force_members_one_at_a_time():
    patrols = Patrol.objects.all()
    assert 30 <= patrols.count() <= 60
    members = set(patrols.values_list("member_id", flat=True))
    assert len(members) >= 3
    assert (
        set(
            RoleAssignment.objects.filter(
                person__user__in=members,
                role=Role.TASK_FORCE_MEMBER,
                task_force__battle=Battle.CITYWORK,
            ).values_list("person__user_id", flat=True)
        )
        == members
    )
    assert patrols.filter(started_at__lt=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC))
    # The demo's account of the task force is out on patrol now, and nobody else.
    [out] = patrols.filter(ended_at__isnull=True)
    assert out.member.username == "tf_citywork"
    assert timezone.localdate(out.started_at) == TODAY and out.started_at < NOW
    assert not patrols.filter(Q(started_at__gt=NOW) | Q(ended_at__gt=NOW)).exists()
    assert not patrols.filter(ended_at__lt=F("started_at")).exists()
    overlapping = Patrol.objects.filter(
        member=OuterRef("member"),
        started_at__lt=OuterRef("ended_at"),
        ended_at__gt=OuterRef("started_at"),
    ).exclude(pk=OuterRef("pk"))
    assert not patrols.filter(Exists(overlapping)).exists()
    # Each in a grid of the district, its area named by the grid's town or street.
    assert not patrols.filter(grid__isnull=True).exists()
    for patrol in patrols.select_related("grid__unit"):
        assert patrol.area.startswith(patrol.grid.unit.name), patrol.area
        assert patrol.grid.unit.kind == UnitKind.STREET


def test_a_patrol_finds_the_patrol_cases_of_its_grid_while_it_is_out_and_supports_open_ones():
    findings = PatrolFinding.objects.select_related("patrol", "case")
    reported = findings.filter(supported=False)
    assert reported.count() >= 20 and findings.filter(supported=True).exists()
    assert Patrol.objects.filter(findings__isnull=True).exists()
    for finding in reported:
        patrol, case = finding.patrol, finding.case
        assert case.source == "patrol" and case.grid_id == patrol.grid_id
        assert patrol.started_at <= case.reported_at == finding.found_at
        assert patrol.ended_at is None or case.reported_at <= patrol.ended_at
        # Reported and checked by the member who found it, as the patrol's action does.
        assert case.reported_by_id == case.checker_id == patrol.member_id
        assert CaseEvent.objects.get(case=case, action="report").by_id == patrol.member_id
    assert not reported.values("case").annotate(n=Count("pk")).filter(n__gt=1).exists()
    for finding in findings.filter(supported=True):
        patrol, case = finding.patrol, finding.case
        # Open when the member saw it again, and counted once more.
        assert case.reported_at < patrol.started_at <= finding.found_at <= patrol.ended_at
        assert case.closed_at is None or case.closed_at > finding.found_at
        assert case.supporters >= 1
        assert CaseEvent.objects.filter(
            case=case, action="support", at=finding.found_at, by=patrol.member
        ).exists()


def test_the_streets_plan_hold_and_call_off_volunteer_activities_inside_their_bounds():
    activities = VolunteerActivity.objects.select_related("unit")
    assert 100 <= activities.count() <= 250
    assert set(activities.values_list("kind", flat=True)) == {"community", "cleanup", "other"}
    assert set(activities.values_list("unit__kind", flat=True)) == {UnitKind.STREET}
    held = activities.filter(state="held")
    assert held.count() > activities.count() // 2
    assert not held.filter(Q(participants__isnull=True) | Q(summary="")).exists()
    assert not held.filter(
        Q(held_recorded_at__lt=F("ends_at")) | Q(held_recorded_at__gt=NOW)
    ).exists()
    to_come = activities.filter(state="planned", starts_at__gt=NOW)
    assert to_come.filter(Exists(VolunteerSignup.objects.filter(activity=OuterRef("pk")))).exists()
    cancelled = activities.filter(state="cancelled")
    assert cancelled.exists() and not cancelled.filter(cancel_reason="").exists()
    assert not activities.exclude(state="cancelled").exclude(cancel_reason="").exists()
    assert not activities.filter(Q(created_at__gt=NOW) | Q(updated_at__gt=NOW)).exists()
    for activity in activities:
        assert district.inside(activity.lon, activity.lat), activity.pk
        assert district.street_at(activity.lon, activity.lat)["name"] == activity.unit.name
        assert activity.geometry == {"type": "Point", "coordinates": [activity.lon, activity.lat]}


def test_residents_sign_up_with_test_phones_before_the_start_within_the_places():
    signups = VolunteerSignup.objects.all()
    assert signups.exists()
    assert all(TEST_PHONE.match(phone) for phone in signups.values_list("phone", flat=True))
    assert not signups.filter(created_at__gt=F("activity__starts_at")).exists()
    assert not signups.filter(created_at__gt=NOW).exists()
    assert (
        not VolunteerActivity.objects.annotate(n=Count("signups"))
        .filter(n__gt=F("capacity"))
        .exists()
    )


def test_a_held_activity_finds_volunteer_cases_of_its_street_reported_by_its_reporter():
    findings = VolunteerFinding.objects.select_related("activity__unit", "case__grid")
    assert findings.count() >= 20
    for finding in findings:
        activity, case = finding.activity, finding.case
        assert activity.state == "held" and case.source == "volunteer"
        assert case.grid.unit_id == activity.unit_id
        assert activity.held_recorded_at < case.reported_at == finding.found_at
        assert case.reported_by_id == activity.created_by_id
        assert case.reporter_name == activity.unit.name and case.reporter_phone == ""
    # What the page counts for a week is what the rows hold.
    campaign = Campaign.objects.get()
    found = findings.filter(activity__starts_at__date__lte=TODAY).latest("found_at")
    week = week_of(timezone.localdate(found.activity.starts_at))
    office = get_user_model().objects.get(username="office")
    rows, total = weekly_count(office, campaign, week)
    in_week = VolunteerActivity.objects.filter(
        state="held", starts_at__date__gte=week.start, starts_at__date__lte=week.end
    )
    assert total.held == in_week.count() > 0
    assert total.problems == VolunteerFinding.objects.filter(activity__in=in_week).count() > 0
    assert found.activity.unit.name in {row.name for row in rows}


def test_the_patrol_pages_open_for_the_office_and_the_task_force_only():
    patrol = Patrol.objects.filter(findings__supported=False, member__username="patrol_01").first()
    pages = ["/city/patrol/", "/city/patrol/p/{}/".format(patrol.pk)]
    for username in ("office", "tf_citywork", "patrol_01"):
        client = as_user(username)
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, (username, page)
    shown = as_user("office").get(pages[1]).content.decode()
    assert patrol.findings.first().case.description in shown
    assert "XC{:06d}".format(Patrol.objects.get(ended_at__isnull=True).pk) in (
        as_user("tf_citywork").get(pages[0]).content.decode()
    )
    for username in ("reporter_hdjd", "tf_projects"):
        client = as_user(username)
        for page in pages:
            assert client.get(page).status_code == 403, (username, page)


def test_the_activity_pages_open_for_those_who_see_the_street():
    activity = (
        VolunteerActivity.objects.filter(
            unit__code="hdjd", state="held", findings__isnull=False
        ).first()
        or VolunteerActivity.objects.filter(unit__code="hdjd").first()
    )
    detail = "/city/activities/a/{}/".format(activity.pk)
    newest = (
        VolunteerActivity.objects.filter(unit__code="hdjd").order_by("-starts_at", "-pk").first()
    )
    street_list = "/city/activities/?unit=hdjd"
    for username in ("office", "leader", "tf_citywork", "reporter_hdjd"):
        client = as_user(username)
        for page in ("/city/activities/", detail, "/city/activities/weekly/"):
            response = client.get(page)
            assert response.status_code == 200, (username, page)
        # The list pages, newest first: the street's newest activity heads its filtered list.
        assert newest.title in client.get(street_list).content.decode()
    # Another unit's reporter sees neither the street's activity nor its list row.
    other = as_user("reporter_fgj")
    assert other.get(detail).status_code == 404
    assert newest.title not in other.get(street_list).content.decode()
    # Who signed up is for the organiser and the office.
    phone = activity.signups.first().phone
    assert phone in as_user("reporter_hdjd").get(detail).content.decode()
    assert phone not in as_user("leader").get(detail).content.decode()


def test_the_public_page_lists_the_activities_to_come_and_the_map_draws_the_rest():
    public = Client().get("/city/volunteer/")
    assert public.status_code == 200
    coming = VolunteerActivity.objects.filter(state="planned", starts_at__gt=timezone.now())
    assert [a.pk for a in public.context["activities"]] == list(
        coming.order_by("starts_at", "pk").values_list("pk", flat=True)
    )
    layer = as_user("office").get("/api/v1/map/layers/volunteers")
    assert layer.status_code == 200
    features = layer.json()["features"]
    assert len(features) == VolunteerActivity.objects.exclude(state="cancelled").count()
    assert all(district.inside(*f["geometry"]["coordinates"]) for f in features)
