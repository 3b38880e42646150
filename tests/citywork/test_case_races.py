"""Two people act on the same case at the same moment: one wins, the other is refused in
words, and the case's counts are never lost. On PostgreSQL each runs in its own connection."""

import pytest
from django.db import connection

from tests.citywork.cases_world import HERE, category
from tests.citywork.test_races import _race
from vanguard.citywork.actions import case_support
from vanguard.citywork.actions import cases as actions
from vanguard.citywork.models import Case
from vanguard.citywork.models.cases import CaseSource, CaseState
from vanguard.core.preconditions import is_stale


def _skip_on_sqlite():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is run on PostgreSQL")


def _patrol_case(cast):
    return actions.do_report_case(
        campaign=cast["campaign"],
        source=CaseSource.PATROL,
        category=category("exposed-garbage"),
        lon=HERE[0],
        lat=HERE[1],
        description="路边垃圾堆放",
        actor=cast["tf_citywork"],
    )


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_of_one_case(cast, grid):
    _skip_on_sqlite()
    case = _patrol_case(cast)
    outcomes = _race(
        ("a", lambda: actions.do_dispatch(case, actor=cast["tf_citywork"], version=case.version)),
        (
            "b",
            lambda: actions.do_dispatch(
                case, actor=cast["tf_citywork_2"], unit=cast["zfj"], version=case.version
            ),
        ),
    )
    done = [name for name, outcome in outcomes.items() if outcome == "done"]
    assert len(done) == 1, outcomes
    refused = [o for o in outcomes.values() if o != "done"][0]
    assert is_stale(refused)
    case.refresh_from_db()
    assert case.state == CaseState.DISPATCHED and case.version == 2
    assert case.events.filter(action="dispatch").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_unit_returns_while_the_check_fails_nothing_is_lost(cast, grid):
    _skip_on_sqlite()
    case = actions.do_dispatch(_patrol_case(cast), actor=cast["tf_citywork"])
    outcomes = _race(
        ("return", lambda: actions.do_return(case, actor=cast["reporter_hdjd"], reason="属地不符")),
        ("handle", lambda: actions.do_handle(case, actor=cast["dual"], reply="已清理")),
    )
    assert sorted(o == "done" for o in outcomes.values()) == [False, True], outcomes
    case.refresh_from_db()
    assert case.state in (CaseState.RETURNED, CaseState.HANDLED)
    assert case.bounce_count == (1 if case.state == CaseState.RETURNED else 0)


@pytest.mark.django_db(transaction=True)
def test_many_me_too_reports_at_once_are_all_counted(cast, grid):
    _skip_on_sqlite()
    case = _patrol_case(cast)
    outcomes = _race(
        ("a", lambda: case_support.do_support(case)),
        ("b", lambda: case_support.do_support(case)),
    )
    assert all(o == "done" for o in outcomes.values()), outcomes
    assert Case.objects.get(pk=case.pk).supporters == 2
