"""Two task-force members verify the same report at the same moment: one wins, the other
is told who did. On PostgreSQL the two run in their own connections and transactions."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.lists.conftest import signed_in
from vanguard.core.preconditions import is_stale
from vanguard.lists.actions import do_return_report, do_verify_report
from vanguard.lists.models import ProgressReport


@pytest.mark.django_db(transaction=True)
def test_two_verifiers_at_once_one_wins_and_the_other_is_told(loaded):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is run on PostgreSQL")
    response = signed_in(loaded["reporter_fgj"]).post(
        "/lists/i/QD-FGJ-01/report/",
        {"campaign": "xihaian-2026", "period": "2026-03", "quantity": "15"},
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(item__code="QD-FGJ-01")
    start = threading.Barrier(2)
    outcomes = {}

    def act(name, action, **kwargs):
        from django.db import connections

        try:
            start.wait()
            action(report, actor=loaded[name], version=report.version, **kwargs)
            outcomes[name] = "done"
        except ValidationError as error:
            outcomes[name] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=("tf_projects", do_verify_report)),
        threading.Thread(
            target=act, args=("tf_projects_2", do_return_report), kwargs={"reason": "不符"}
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done = [name for name, outcome in outcomes.items() if outcome == "done"]
    told = [outcome for outcome in outcomes.values() if outcome != "done"]
    assert len(done) == 1 and len(told) == 1, outcomes
    assert is_stale(told[0])
    winner = {"tf_projects": "李专班", "tf_projects_2": "陈专班"}[done[0]]
    assert winner in told[0].messages[0]
    report.refresh_from_db()
    assert report.state == ("verified" if done == ["tf_projects"] else "returned")
    assert report.version == 2


def _first_report(user, period, quantity, barrier, responses):
    from django.db import connections
    from django.test import Client

    from vanguard.accounts.tokens import do_create_token

    headers = {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(user.username)}
    try:
        barrier.wait()
        responses[user.username] = Client(raise_request_exception=False).post(
            "/api/v1/list-items/QD-FGJ-01/reports?campaign=xihaian-2026",
            {"period": period, "quantity": quantity},
            content_type="application/json",
            **headers,
        )
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_two_first_reports_of_one_period_at_once_one_is_filed_the_other_told(loaded):
    """Two reporters of a unit file a period's first report at the same moment (on both
    databases): one is filed, the other is told a report exists, never a server error."""
    from vanguard.lists.models import ListItem

    item = ListItem.objects.get(code="QD-FGJ-01")
    for month in (3, 4, 5):
        period = "2026-{:02d}".format(month)
        barrier, responses = threading.Barrier(2), {}
        threads = [
            threading.Thread(
                target=_first_report, args=(loaded[name], period, quantity, barrier, responses)
            )
            for name, quantity in (("reporter_fgj", 15), ("dual", 16))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        codes = sorted(r.status_code for r in responses.values())
        assert codes == [201, 409], {k: r.content.decode()[:300] for k, r in responses.items()}
        refused = next(r for r in responses.values() if r.status_code == 409)
        assert refused["Content-Type"].startswith("application/json")
        # Told by the action, which names the item and the version to correct it on.
        assert "QD-FGJ-01" in refused.json()["message"], refused.json()
        filed = next(r for r in responses.values() if r.status_code == 201).json()
        stored = ProgressReport.objects.get(item=item, period=period)
        assert stored.pk == filed["id"]
