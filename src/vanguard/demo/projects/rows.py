"""One chunk of demo projects: their rows, key nodes and a plausible year of dekad reports."""

import datetime
import random

from vanguard.core.bulk import insert_rows, reserve_ids
from vanguard.core.money import WAN, YI
from vanguard.demo.projects.fields import (
    CERTIFIED,
    CERTIFIED_COLUMN,
    COMPLETED,
    DONE,
    INTRODUCED,
    MILESTONE_FIELDS,
    NEGOTIATING,
    PENDING,
    PROJECT_FIELDS,
    REPORT_FIELDS,
    REPORTED_NODE_FIELDS,
    RETURNED,
    STAGE_INDEX,
    STARTED,
    SUBMITTED,
    SUPPORTING_FIELDS,
    at_local,
    days,
    local_offset,
)
from vanguard.demo.projects.problems import report_problems
from vanguard.demo.projects.words import INDUSTRIES, PLACES, PROGRESS, REACHED, SUFFIXES
from vanguard.maps import district
from vanguard.projects.choices import Stage, size_class_for
from vanguard.projects.models import DekadReport, Milestone, Project, ReportedNode

# The share of projects that name supporting departments (words.SUPPORTING).
SUPPORTED_SHARE = 0.8
# The share of projects whose reports raise a problem.
PROBLEM_SHARE = 0.06


def _investment(rng):
    roll = rng.random()
    if roll < 0.05:
        return rng.randint(50, 200) * YI
    if roll < 0.15:
        return rng.randint(10, 49) * YI + rng.randint(0, 9) * YI // 10
    if roll < 0.75:
        return rng.randint(10, 99) * YI // 10
    return rng.randint(3000, 9900) * WAN


def generate_chunk(
    rng,
    campaign,
    today,
    year_start,
    units,
    reporters,
    certifier,
    nodes,
    dekads,
    pace,
    numbers,
    totals,
    context,
):
    """Generate and insert one chunk of projects with their milestones, reports and problems.

    Rows are plain tuples written by ``core.bulk.insert_rows``. A project's stage dates
    and key-node dates are drawn first; those before the first dekad whose report still
    waits for certification (``waiting_from``) are certified and shown on the project,
    the later ones only in the waiting report.
    """
    stage_by_index = Stage.values
    projects, plans, supporting = [], [], []
    ids = reserve_ids(Project, len(numbers))
    twelve_days_ago = today - days(12)
    ten_days_ago = today - days(10)
    current_start = dekads[-1][0].start if dekads else today
    previous_start = dekads[-2][0].start if len(dekads) > 1 else current_start
    heads, helpers = context["heads"], context["helpers"]
    for project_id, i in zip(ids, numbers, strict=True):
        unit = units[rng.randrange(len(units))]
        industry, sector, kind = INDUSTRIES[rng.randrange(len(INDUSTRIES))]
        investment = _investment(rng)
        if rng.random() < 0.68:
            # Carried over from last year: introduced then, starting or finishing now.
            introduced_planned = year_start - days(rng.randint(20, 300))
            started_planned = introduced_planned + days(rng.randint(30, 240))
            completed_planned = started_planned + days(rng.randint(150, 420))
        else:
            introduced_planned = year_start + days(rng.randint(0, 345))
            started_planned = introduced_planned + days(rng.randint(30, 120))
            completed_planned = started_planned + days(rng.randint(240, 540))
        slip = pace[unit.pk] + rng.randint(-5, 20)
        actual = {}
        for stage, planned in (
            (INTRODUCED, introduced_planned),
            (STARTED, started_planned),
            (COMPLETED, completed_planned),
        ):
            day = planned + days(slip)
            if day > twelve_days_ago:
                break
            actual[stage] = day
        # The first dekad whose report waits: this one, or (for half) the one before.
        waiting_from = current_start if rng.random() < 0.5 else previous_start
        counted = {s: day for s, day in actual.items() if day < waiting_from}
        stage = (
            stage_by_index[max(STAGE_INDEX[s] for s in counted)]
            if counted
            else Stage.NEGOTIATING.value
        )
        lat = 35.85 + rng.random() * 0.25
        lng = 119.85 + rng.random() * 0.35
        lng, lat = on_land(lng, lat)
        code = "XHA-{}-{:06d}".format(campaign.year, i + 1)
        name = "{}{}{}".format(
            PLACES[rng.randrange(len(PLACES))], industry, SUFFIXES[rng.randrange(len(SUFFIXES))]
        )
        address = "青岛西海岸新区{}".format(PLACES[rng.randrange(len(PLACES))])
        certified = {s: min(day + days(rng.randint(8, 14)), today) for s, day in counted.items()}
        projects.append(
            [
                project_id,
                campaign.pk,
                code,
                name,
                unit.pk,
                investment,
                size_class_for(investment).value,
                sector,
                kind.value,
                address,
                round(lat, 6),
                round(lng, 6),
                stage,
                introduced_planned,
                started_planned,
                completed_planned,
                counted.get(INTRODUCED),
                counted.get(STARTED),
                counted.get(COMPLETED),
                certified.get(INTRODUCED),
                certified.get(STARTED),
                certified.get(COMPLETED),
                heads.get(unit.pk),
            ]
        )
        if helpers and rng.random() < SUPPORTED_SHARE:
            others = [h for h in helpers if h != unit.pk]
            for helper in rng.sample(others, rng.choice((1, 1, 2, 3))):
                supporting.append((project_id, helper))
        plans.append(
            (
                project_id,
                unit.pk,
                investment,
                introduced_planned,
                started_planned,
                slip,
                actual,
                waiting_from,
            )
        )

    milestones, reached_by_project = [], {}
    node_count = len(nodes)
    for (
        project_id,
        _u,
        _i,
        introduced_planned,
        started_planned,
        slip,
        actual,
        waiting_from,
    ) in plans:
        span = (started_planned - introduced_planned).days
        reached = {}
        introduced_on = actual.get(INTRODUCED)
        started_on = actual.get(STARTED)
        before = None
        for k, node in enumerate(nodes):
            planned = introduced_planned + days(span * (k + 1) // (node_count + 1))
            done_on = planned + days(slip + rng.randint(-3, 10))
            # Approvals follow the signing, and each follows the one before it.
            if introduced_on is not None:
                done_on = max(done_on, introduced_on)
            if before is not None:
                done_on = max(done_on, before)
            done = done_on <= ten_days_ago and introduced_on is not None
            if started_on is not None:
                # Construction starts once every approval is in hand.
                done = True
                done_on = min(done_on, started_on)
            before = done_on
            counted = done and done_on < waiting_from
            milestones.append(
                (
                    project_id,
                    node.pk,
                    planned,
                    done_on if counted else None,
                    DONE if counted else PENDING,
                )
            )
            if done:
                reached[node.pk] = done_on
        reached_by_project[project_id] = reached

    reports, report_nodes, stage_reports = [], [], []
    raised = []
    windows = [
        (dekad.label, dekad.start, dekad.end, due.day, due.provisional) for dekad, due in dekads
    ]
    # Times are drawn in the district's hours and stored in UTC.
    offset = local_offset(today)
    eight_am = at_local(today, datetime.time(8), offset)
    two_days = days(2)
    times = [datetime.time(h, m) for h in range(24) for m in range(60)]
    for index, plan in enumerate(plans):
        project_id, unit_id, investment, introduced_planned, _s, _slip, actual, waiting_from = plan
        reporter = reporters.get(unit_id)
        if reporter is None:
            continue
        active_from = introduced_planned - days(45)
        completed_on = actual.get(COMPLETED)
        started_on = actual.get(STARTED)
        unit_pace = pace[unit_id] / 300
        reached = reached_by_project[project_id]
        first_report = len(reports)
        for label, start, end, due, provisional in windows:
            if end < active_from or (completed_on and start > completed_on):
                continue
            if start == current_start and rng.random() < 0.4:
                continue  # not yet reported this dekad
            stage_reached = ""
            stage_date = None
            stage_then = NEGOTIATING
            for s, day in actual.items():
                if day <= end:
                    stage_then = s
                if start <= day <= end:
                    stage_reached, stage_date = s, day
            progress = (
                REACHED[stage_reached]
                if stage_reached
                else PROGRESS[stage_then][rng.randrange(len(PROGRESS[stage_then]))]
            )
            late = rng.random() < 0.08 + unit_pace
            submitted = min(
                at_local(
                    due + (days(rng.randint(1, 6)) if late else -days(rng.randint(0, 3))),
                    times[(9 + rng.randrange(8)) * 60 + rng.randrange(60)],
                    offset,
                ),
                eight_am,
            )
            waiting = start >= waiting_from
            status = SUBMITTED if waiting else CERTIFIED
            if waiting and rng.random() < 0.05:
                status = RETURNED
            reviewed = status != SUBMITTED
            reviewed_at = min(submitted + two_days, eight_am) if reviewed else None
            reports.append(
                (
                    project_id,
                    unit_id,
                    label,
                    start,
                    end,
                    due,
                    provisional,
                    status,
                    progress,
                    investment // rng.randint(60, 200)
                    if started_on is not None and started_on <= end
                    else 0,
                    stage_reached,
                    stage_date,
                    reporter,
                    submitted,
                    late and (submitted + offset).date() > due,
                    certifier if reviewed else None,
                    reviewed_at,
                    "请补充节点证明材料" if status == RETURNED else "",
                )
            )
            if stage_reached and status == CERTIFIED:
                stage_reports.append((index, stage_reached, (reviewed_at + offset).date()))
            nodes_in = [(node_id, day) for node_id, day in reached.items() if start <= day <= end]
            if nodes_in:
                report_nodes.append((len(reports) - 1, nodes_in))
        if len(reports) - first_report > 1 and rng.random() < PROBLEM_SHARE:
            # Raised in the last four months or so; older ones would be solved by now.
            first = rng.randrange(max(first_report, len(reports) - 13), len(reports) - 1)
            raised.append((index, first, len(reports)))
    # A stage a certified report carries was certified the day that report was.
    for index, stage, day in stage_reports:
        projects[index][CERTIFIED_COLUMN[stage]] = day
    insert_rows(Project, PROJECT_FIELDS, projects)
    insert_rows(Project.supporting_units.through, SUPPORTING_FIELDS, supporting)
    insert_rows(Milestone, MILESTONE_FIELDS, milestones)
    report_ids = reserve_ids(DekadReport, len(reports))
    insert_rows(
        DekadReport,
        REPORT_FIELDS,
        ((report_id, *row) for report_id, row in zip(report_ids, reports, strict=True)),
    )
    insert_rows(
        ReportedNode,
        REPORTED_NODE_FIELDS,
        ((report_ids[index], n, d) for index, items in report_nodes for n, d in items),
    )
    blockers = report_problems(
        rng, campaign, (eight_am, offset), plans, reports, report_ids, raised, context
    )
    totals["projects"] += len(projects)
    totals["milestones"] += len(milestones)
    totals["reports"] += len(reports)
    totals["blockers"] += blockers


def on_land(lng, lat):
    """The point if it lies in the district, else another drawn in the same box that does.

    The draws come from a stream of the point's own, so the shared stream (and every
    generator after this one) draws as it did.
    """
    if district.inside(lng, lat):
        return lng, lat
    own = random.Random("{:.6f},{:.6f}".format(lng, lat))
    for _ in range(100):
        lng, lat = 119.85 + own.random() * 0.35, 35.85 + own.random() * 0.25
        if district.inside(lng, lat):
            break
    return lng, lat
