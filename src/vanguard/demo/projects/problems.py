"""Problems the demo's dekad reports raise, dispatch and solve."""

from vanguard.blockers.choices import BlockerState, StepKind
from vanguard.blockers.models import Blocker, BlockerStep
from vanguard.core.bulk import insert_rows, reserve_ids
from vanguard.demo.projects.fields import REPORTER_AT, SUBMITTED_AT, days
from vanguard.demo.projects.words import BLOCKERS
from vanguard.projects.models import DekadReport
from vanguard.projects.problems import SOURCE

BLOCKER_FIELDS = (
    "id",
    "campaign_id",
    "title",
    "unit_id",
    "state",
    "raised_on",
    "resolved_on",
    "resolution",
    "source_kind",
    "source_id",
    "occasion_id",
    "raised_by_id",
)

NAMED_FIELDS = ("dekadreport_id", "blocker_id")

STEP_FIELDS = ("blocker_id", "kind", "note", "from_unit_id", "to_unit_id", "actor_id", "at")


def report_problems(rng, now, plans, reports, report_ids, raised, context):
    """Problems raised in reports, written; returns how many were raised.

    ``raised`` holds (project index, the report raising it, the end of its reports); ``now``
    is the latest moment to record and the district's offset from UTC.
    """
    if not raised:
        return 0
    blockers, named, steps = problem_rows(
        rng, reserve_ids(Blocker, len(raised)), plans, reports, report_ids, raised, now, context
    )
    insert_rows(Blocker, BLOCKER_FIELDS, blockers)
    insert_rows(DekadReport.blockers.through, NAMED_FIELDS, named)
    insert_rows(BlockerStep, STEP_FIELDS, steps)
    return len(blockers)


def problem_rows(rng, ids, plans, reports, report_ids, raised, now, context):
    """The rows of problems raised in reports: named again by each later report until solved.

    Some are solved a few dekads on, some dispatched to the department that can solve
    them; the rest are still open. Returns the rows of BLOCKER_FIELDS, NAMED_FIELDS and
    STEP_FIELDS.
    """
    campaign_id = context["campaign_id"]
    blockers, named, steps = [], [], []
    owners = context["owners"]
    latest, offset = now
    for blocker_id, (index, first, end) in zip(ids, raised, strict=True):
        project_id, unit_id = plans[index][0], plans[index][1]
        title, _code, resolution = BLOCKERS[rng.randrange(len(BLOCKERS))]
        raised_at = reports[first][SUBMITTED_AT]
        raised_on = (raised_at + offset).date()
        last = end - 1
        # Most problems raised two months ago or more are solved; a third of the newer ones.
        solved = first + 1 < end and rng.random() < (0.85 if end - first > 6 else 0.35)
        if solved:
            last = rng.randrange(first, end - 1)
        resolved_on = (reports[last + 1][SUBMITTED_AT] + offset).date() if solved else None
        owner = unit_id
        helper = owners.get(title)
        if helper and helper != unit_id and rng.random() < 0.6:
            owner = helper
            steps.append(
                (
                    blocker_id,
                    StepKind.DISPATCHED.value,
                    "请牵头协调解决",
                    unit_id,
                    helper,
                    context["certifier"],
                    min(raised_at + days(2), latest),
                )
            )
        blockers.append(
            (
                blocker_id,
                campaign_id,
                title,
                owner,
                BlockerState.RESOLVED.value if solved else BlockerState.OPEN.value,
                raised_on,
                resolved_on,
                resolution if solved else "",
                SOURCE.key,
                project_id,
                report_ids[first],
                reports[first][REPORTER_AT],
            )
        )
        named.extend((report_ids[k], blocker_id) for k in range(first, last + 1))
    return blockers, named, steps
