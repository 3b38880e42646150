"""The recompute is set-based: its query count does not grow with the number of projects."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.supervision.conftest import NODES, day
from vanguard.core.money import YI
from vanguard.projects.actions import do_create_project
from vanguard.projects.lights import SubjectKind
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import recompute

TODAY = day("2026-06-10")
PLANS = [day("2026-04-01"), TODAY, day("2026-06-12"), day("2026-09-01"), None]


def many_projects(plan, units, clerk, n, prefix="BULK"):
    """Projects of every light, spread over two units."""
    for i in range(n):
        do_create_project(
            campaign=plan,
            code="{}-{:04d}".format(prefix, i),
            name="批量项目",
            lead_unit=units[i % 2],
            investment_yuan=YI,
            actor=clerk,
            node_plans={code: PLANS[(i + j) % len(PLANS)] for j, code in enumerate(NODES[:3])},
            introduced_planned=day("2026-01-01") if i % 3 == 0 else None,
        )


# Policy, calendar (2); for each of the nine kinds (key nodes, projects, units,
# indicators, list items, renewal projects, city campaigns, zones and roads, city cases)
# its scratch table of judged rows (drop if left, create, drop when written: before the
# write for the eight that are not a roll-up, in it for the roll-up), then the changed
# rows beside the stored states, events, upsert, delete, drop; the indicators' reads
# (indicators, figures, areas, targets); the lock and the last recompute's moment read
# under it; the moment of the recompute (one upsert); the savepoint and its release
# around the write; on SQLite the three statements that read, enlarge and restore the
# page cache. The counts by light are read when first asked, after the recompute.
#
# The five statements per kind are the engine's own (one temporary table of the changed
# rows beside the stored states, then events, upsert, the gone, drop): a kind cannot
# share them with another, since each kind's states are compared and written apart.
# The three more per kind buy a write transaction that holds no rule's reading.
# The city work's four kinds read nothing else: the renewal rule works out its week
# from the run's calendar and reads the weekly deadline inside its judging query.
RECOMPUTE_QUERY_BOUND = 88


@pytest.mark.parametrize("n", [5, 50])
def test_the_recompute_query_count_does_not_grow_with_the_number_of_projects(
    plan, fgj, hdjd, office_clerk, django_assert_max_num_queries, n
):
    recompute(plan, today=TODAY)  # the backend's one-off feature probes happen here
    many_projects(plan, [fgj, hdjd], office_clerk, n)
    with django_assert_max_num_queries(RECOMPUTE_QUERY_BOUND):
        result = recompute(plan, today=TODAY)
    assert sum(result.counts[SubjectKind.PROJECT].values()) == n
    assert sum(result.counts[SubjectKind.MILESTONE].values()) == 7 * n
    assert result.events == 8 * n + 2
    assert result.count(SubjectKind.PROJECT, Light.RED) > 0


def test_fifty_projects_take_as_many_queries_as_five(plan, fgj, hdjd, office_clerk):
    counts = []
    recompute(plan, today=TODAY)  # the backend's one-off feature probes happen here
    for prefix, n in (("A", 5), ("B", 45)):
        many_projects(plan, [fgj, hdjd], office_clerk, n, prefix=prefix)
        with CaptureQueriesContext(connection) as queries:
            recompute(plan, today=TODAY)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_recompute_that_changes_many_lights_has_their_tables_analyzed_on_postgresql(
    plan, fgj, hdjd, office_clerk, monkeypatch
):
    # A province's first recompute writes eight million lights; the next statements
    # that read them are planned on counts taken at once, not on an empty table's.
    from vanguard.supervision import lights

    many_projects(plan, [fgj, hdjd], office_clerk, 5)
    monkeypatch.setattr(lights, "ANALYZE_AFTER", 10)
    with CaptureQueriesContext(connection) as first:
        result = recompute(plan, today=TODAY)
    assert result.events >= 10
    analyzed = [q["sql"] for q in first.captured_queries if q["sql"].startswith("ANALYZE")]
    if connection.vendor == "postgresql":
        assert analyzed == ["ANALYZE supervision_lightstate", "ANALYZE supervision_lightevent"]
    else:
        assert analyzed == []
    # A quiet day changes nothing and analyzes nothing.
    with CaptureQueriesContext(connection) as again:
        assert recompute(plan, today=TODAY).events == 0
    assert not [q for q in again.captured_queries if q["sql"].startswith("ANALYZE")]
