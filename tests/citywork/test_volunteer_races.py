"""Two residents ask for the last place of an activity at the same moment: the activity is
locked while its places are counted, so one gets it and the other is told it is full. On
PostgreSQL each runs in its own connection."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from tests.citywork.cases_world import HERE
from tests.citywork.test_races import _race
from vanguard.citywork.actions.volunteers import do_create_activity, do_sign_up
from vanguard.citywork.models import VolunteerSignup
from vanguard.core.preconditions import is_stale


@pytest.mark.django_db(transaction=True)
def test_two_residents_ask_for_the_last_place_at_once(cast):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is run on PostgreSQL")
    activity = do_create_activity(
        cast["campaign"],
        actor=cast["reporter_hdjd"],
        title="人人动手·洁净家园",
        kind="cleanup",
        starts_at=timezone.now() + datetime.timedelta(days=2),
        address="黄岛路社区",
        lon=HERE[0],
        lat=HERE[1],
        unit=cast["hdjd"],
        capacity=2,
    )
    do_sign_up(activity, name="张大妈", phone="13900000001")
    outcomes = _race(
        ("a", lambda: do_sign_up(activity, name="李大爷", phone="13900000002")),
        ("b", lambda: do_sign_up(activity, name="王阿姨", phone="13900000003")),
    )
    done = [name for name, outcome in outcomes.items() if outcome == "done"]
    refused = [outcome for outcome in outcomes.values() if outcome != "done"]
    assert len(done) == 1 and len(refused) == 1, outcomes
    assert is_stale(refused[0]) and "名额已满" in refused[0].messages[0]
    assert VolunteerSignup.objects.filter(activity=activity).count() == 2


@pytest.mark.django_db(transaction=True)
def test_one_phone_twice_at_once_is_one_signup(cast):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is run on PostgreSQL")
    activity = do_create_activity(
        cast["campaign"],
        actor=cast["office"],
        title="城管进社区",
        kind="community",
        starts_at=timezone.now() + datetime.timedelta(days=2),
        address="黄岛路社区",
        lon=HERE[0],
        lat=HERE[1],
        unit=cast["hdjd"],
        capacity=10,
    )
    outcomes = _race(
        ("a", lambda: do_sign_up(activity, name="张大妈", phone="13900000001")),
        ("b", lambda: do_sign_up(activity, name="张大妈", phone="139 0000 0001")),
    )
    assert sorted(o == "done" for o in outcomes.values()) == [False, True], outcomes
    assert VolunteerSignup.objects.filter(activity=activity).count() == 1
