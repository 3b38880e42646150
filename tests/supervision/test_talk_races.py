"""Two people acting on talks at the same moment, on PostgreSQL: one wins, the other is
told; two notices issued at once never share a number."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tests.conftest import make_person
from vanguard.org.access import SYSTEM
from vanguard.org.choices import Role
from vanguard.org.models import Campaign, Unit
from vanguard.supervision.models import Talk
from vanguard.supervision.talks.actions import (
    do_approve_talk,
    do_notify_talk,
    do_propose_talk,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises whole transactions")


@pytest.fixture
def talks():
    campaign = Campaign.objects.create(
        code="race",
        name="攻坚行动",
        year=2026,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    unit = Unit.objects.create(code="fgj", name="区发展和改革局", kind="department")
    return [
        do_propose_talk(
            campaign,
            kind="unit",
            object_id=unit.pk,
            unit=unit,
            talk_type="work",
            reason="滞后",
            actor=SYSTEM,
        )
        for _ in range(2)
    ]


def at_once(*calls):
    """Run each call in its own thread and connection, started together; their outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as exc:  # noqa: BLE001 (the outcome is what the test reads)
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_leaders_approving_one_talk_at_once_one_wins_the_other_is_told(talks):
    first = make_person("leader1", "周领导", role=Role.LEADER)
    second = make_person("leader2", "吴领导", role=Role.LEADER)
    talk = talks[0]
    outcomes = at_once(
        lambda: do_approve_talk(talk, actor=first, version=1),
        lambda: do_approve_talk(talk, actor=second, version=1),
    )
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == 1, outcomes
    talk.refresh_from_db()
    assert (talk.state, talk.version) == ("approved", 2)


def test_two_notices_issued_at_once_take_two_numbers(talks):
    for talk in talks:
        do_approve_talk(talk, actor=SYSTEM)
    day = datetime.date(2026, 6, 1)
    outcomes = at_once(
        *[
            (lambda t=t: do_notify_talk(t, scheduled_on=day, place="会议室", actor=SYSTEM))
            for t in talks
        ]
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(Talk.objects.values_list("notice_seq", flat=True)) == [1, 2]
