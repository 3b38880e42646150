"""Two task-force members act on the same thing at the same moment: one wins, the other is
told who did, and the API answers 409. On PostgreSQL each runs in its own connection."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.citywork.conftest import signed_in, token_client
from vanguard.citywork.actions.places import do_accept_place, do_return_place
from vanguard.citywork.actions.renewal import do_return_renewal_report, do_verify_renewal_report
from vanguard.citywork.models import Place, RenewalReport
from vanguard.core.preconditions import is_stale


def _race(first, second):
    """Run two callables at once; return {name: "done" or the ValidationError}."""
    start = threading.Barrier(2)
    outcomes = {}

    def act(name, action):
        from django.db import connections

        try:
            start.wait()
            action()
            outcomes[name] = "done"
        except ValidationError as error:
            outcomes[name] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=pair) for pair in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _one_wins(outcomes, names):
    done = [name for name, outcome in outcomes.items() if outcome == "done"]
    told = [outcome for outcome in outcomes.values() if outcome != "done"]
    assert len(done) == 1 and len(told) == 1, outcomes
    assert is_stale(told[0])
    assert names[done[0]] in told[0].messages[0]
    return done[0]


@pytest.mark.django_db(transaction=True)
def test_two_verifiers_of_a_weekly_report(renewal):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is run on PostgreSQL")
    signed_in(renewal["reporter_hdjd"]).post(
        "/city/renewal/p/GX-HD-01/report/",
        {"campaign": "xihaian-2026", "period": "2026-W10", "progress_percent": "5"},
    )
    report = RenewalReport.objects.get()
    outcomes = _race(
        (
            "tf_citywork",
            lambda: do_verify_renewal_report(
                report, actor=renewal["tf_citywork"], version=report.version
            ),
        ),
        (
            "tf_citywork_2",
            lambda: do_return_renewal_report(
                report, actor=renewal["tf_citywork_2"], reason="不符", version=report.version
            ),
        ),
    )
    winner = _one_wins(outcomes, {"tf_citywork": "郑专班", "tf_citywork_2": "冯专班"})
    report.refresh_from_db()
    assert report.state == ("verified" if winner == "tf_citywork" else "returned")
    # The loser's door answers 409 with the same words.
    response = token_client(renewal["tf_citywork"]).post(
        "/api/v1/renewal-reports/{}/verify".format(report.pk), {}, content_type="application/json"
    )
    assert response.status_code == 409


@pytest.mark.django_db(transaction=True)
def test_two_members_accept_and_send_back_a_place_at_once(places):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is run on PostgreSQL")
    token_client(places["reporter_zjj"]).post(
        "/api/v1/city-places/JPDL-01/apply", {}, content_type="application/json"
    )
    road = Place.objects.get(code="JPDL-01")
    from vanguard.citywork.models import Criterion

    codes = list(Criterion.objects.filter(kind="road").values_list("code", flat=True))
    response = token_client(places["tf_citywork"]).post(
        "/api/v1/city-places/JPDL-01/inspections",
        {"inspected_on": road.applied_on.isoformat(), "inspectors": "郑专班", "met": codes},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content.decode()
    outcomes = _race(
        ("tf_citywork", lambda: do_accept_place(road, actor=places["tf_citywork"])),
        (
            "tf_citywork_2",
            lambda: do_return_place(road, actor=places["tf_citywork_2"], reason="再看看"),
        ),
    )
    done = [name for name, outcome in outcomes.items() if outcome == "done"]
    told = [outcome for outcome in outcomes.values() if outcome != "done"]
    assert len(done) == 1 and len(told) == 1 and is_stale(told[0]), outcomes
    road.refresh_from_db()
    if done == ["tf_citywork"]:
        assert road.state == "accepted" and "郑专班" in told[0].messages[0]
    else:
        assert road.state == "creating"
