"""The rules read the facts before the recompute's write transaction: writers go on while
they read, and a recompute that read older facts than the lights stored writes nothing."""

import dataclasses
import threading

import pytest
from django.db import connection

from vanguard.org.models import Unit
from vanguard.projects.lights import SubjectKind
from vanguard.supervision import kinds
from vanguard.supervision.lights import last_recompute, recompute
from vanguard.supervision.models import LightRecompute

pytestmark = pytest.mark.django_db(transaction=True)


def in_a_thread(work):
    """Run ``work`` on another connection, as another request or job would; its error, if any."""
    failed = []

    def run():
        try:
            work()
        except Exception as error:  # noqa: BLE001 - handed back to the test
            failed.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return failed[0] if failed else None


@pytest.fixture
def while_judging(monkeypatch):
    """Run a piece of work once, while the rules of the key nodes read the facts."""
    pending = []
    rules = kinds.KINDS[SubjectKind.MILESTONE]

    def judge(campaign, judging):
        while pending:
            pending.pop()()
        return rules.judge(campaign, judging)

    monkeypatch.setitem(kinds.KINDS, SubjectKind.MILESTONE, dataclasses.replace(rules, judge=judge))
    return pending.append


def test_a_writer_goes_on_while_the_rules_read_the_facts(plan, while_judging):
    recompute(plan)
    errors = []
    # On SQLite a write waits for the write lock; held by the recompute, this one would
    # fail "database is locked" once its wait ran out.
    while_judging(
        lambda: errors.append(
            in_a_thread(lambda: Unit.objects.create(code="NEW-UNIT", name="新单位"))
        )
    )
    recompute(plan)
    assert errors == [None]
    assert Unit.objects.filter(code="NEW-UNIT").exists()


def test_a_recompute_that_read_older_facts_than_the_lights_stored_writes_nothing(
    plan,
    while_judging,
):
    recompute(plan)
    newer = []

    def another_worker_starts_later_and_stores_first():
        newer.append(in_a_thread(lambda: recompute(plan)))
        newer.append(LightRecompute.objects.get(campaign=plan).at)

    while_judging(another_worker_starts_later_and_stores_first)
    older = recompute(plan)
    assert newer[0] is None
    assert older.events == 0
    # The lights and their as-of are the newer run's.
    assert LightRecompute.objects.get(campaign=plan).at == newer[1]
    assert last_recompute(plan).at == newer[1]
