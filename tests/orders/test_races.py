"""Two people acting on one order at once: one wins, the other is told. Numbers stay unique
under concurrent issuing. Run on PostgreSQL, where the rows really are locked."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from vanguard.projects.models import Project
from vanguard.supervision.models import SupervisionOrder
from vanguard.supervision.orders.actions import (
    do_answer_order,
    do_close_order,
    do_issue_order,
    do_return_order,
    do_sign_order,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite serialises"
    ),
]


def at_once(*calls):
    """Run ``calls`` in threads released together; each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as error:  # noqa: BLE001 (the race's loser is told by an exception)
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_closing_and_returning_at_once_one_wins(lit, office_clerk, projects_member, fgj_reporter):
    project = Project.objects.get(code="XHA-0001")
    order = do_issue_order(
        lit,
        subject_kind="project",
        object_id=project.pk,
        problem="p",
        requirement="r",
        colour="red",
        actor=office_clerk,
    )
    do_sign_order(order, actor=fgj_reporter)
    do_answer_order(order, text="已整改", actor=fgj_reporter)
    results = at_once(
        lambda: do_close_order(order, note="通过", actor=office_clerk),
        lambda: do_return_order(order, reason="不全", actor=projects_member),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), results
    order.refresh_from_db()
    assert order.state in ("closed", "returned")
    assert order.steps.filter(kind__in=["closed", "returned"]).count() == 1


def test_orders_issued_at_once_get_different_numbers(lit, office_clerk):
    project = Project.objects.get(code="XHA-0001")

    def issue():
        return do_issue_order(
            lit,
            subject_kind="project",
            object_id=project.pk,
            problem="p",
            requirement="r",
            colour="blue",
            actor=office_clerk,
        ).number

    numbers = at_once(*[issue] * 4)
    assert all(isinstance(n, str) for n in numbers), numbers
    assert len(set(numbers)) == 4
    assert SupervisionOrder.objects.count() == 4
