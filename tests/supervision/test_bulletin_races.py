"""Two office clerks at once, on a real database: one wins, the other is told.

Run on PostgreSQL (SQLite serialises writers anyway, and locks the file rather than rows).
"""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.supervision.test_bulletin_rules import RULE
from vanguard.supervision.bulletins.actions import (
    do_draft_bulletin,
    do_edit_bulletin,
    do_issue_bulletin,
    do_load_scoring_rule,
)
from vanguard.supervision.models import Bulletin, BulletinState

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and races need PostgreSQL"
    ),
]


def _at_once(*calls):
    """Run ``calls`` in threads started together; each one's result or error."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except ValidationError as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def drafts(plan, office_clerk):
    do_load_scoring_rule(plan, RULE, actor=office_clerk)
    return [
        do_draft_bulletin(plan, datetime.date(2026, month, 1), actor=office_clerk)
        for month in (9, 10)
    ]


def test_one_number_issued_twice_at_once_goes_to_one_bulletin(drafts, office_clerk):
    results = _at_once(
        *[
            lambda b=b: do_issue_bulletin(
                b, actor=office_clerk, expected_version=b.version, number="西海岸攻坚办〔2026〕11号"
            )
            for b in drafts
        ]
    )
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1 and "西海岸攻坚办〔2026〕11号" in " ".join(refused[0].messages)
    assert Bulletin.objects.filter(state=BulletinState.ISSUED).count() == 1


def test_two_edits_of_one_draft_at_once_one_wins_the_other_is_told(drafts, office_clerk):
    draft = drafts[0]
    read = draft.version
    results = _at_once(
        *[
            lambda t=title: do_edit_bulletin(
                draft, actor=office_clerk, expected_version=draft.version, title=t
            )
            for title in ("甲的标题", "乙的标题")
        ]
    )
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1 and refused[0].code == "stale"
    draft.refresh_from_db()
    assert draft.version == read + 1
