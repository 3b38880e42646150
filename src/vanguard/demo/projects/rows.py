"""Demo projects drawn one at a time: their rows, key nodes and a plausible year of dekad
reports; and the writing of one chunk of them.
"""

import datetime
import random

from vanguard.core.bulk import insert_rows, reserve_ids
from vanguard.core.money import WAN, YI
from vanguard.demo.projects.fields import (
    ACTUAL_COLUMN,
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
    STAGE_CHANGE_FIELDS,
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
from vanguard.projects.models import DekadReport, Milestone, Project, ReportedNode, StageChange

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


class Drawing:
    """The draws of one demo project at a time, as of ``today``.

    ``project`` draws its row and plan, ``milestones`` its key nodes and ``reports`` its
    dekad reports, each from the stream it is given. The city demo draws every project
    of a chunk from one stream, step by step; the province demo draws each project
    from a stream of its own, so it can draw a project again for each table it writes.
    A project's stage dates and key-node dates are drawn first; those before the first
    dekad whose report still waits for certification (``waiting_from``) are certified
    and shown on the project, the later ones only in the waiting report.
    """

    def __init__(self, campaign, today, units, reporters, certifier, nodes, dekads, pace, context):
        self.campaign = campaign
        self.today = today
        self.year_start = datetime.date(campaign.year, 1, 1)
        self.units = units
        self.reporters = reporters
        self.certifier = certifier
        self.nodes = nodes
        self.pace = pace
        self.heads, self.helpers = context["heads"], context["helpers"]
        self.twelve_days_ago = today - days(12)
        self.ten_days_ago = today - days(10)
        self.current_start = dekads[-1][0].start if dekads else today
        self.previous_start = dekads[-2][0].start if len(dekads) > 1 else self.current_start
        self.windows = [
            (dekad.label, dekad.start, dekad.end, due.day, due.provisional) for dekad, due in dekads
        ]
        # Times are drawn in the district's hours and stored in UTC.
        self.offset = local_offset(today)
        self.eight_am = at_local(today, datetime.time(8), self.offset)
        self.times = [datetime.time(h, m) for h in range(24) for m in range(60)]

    def project(self, rng, project_id, number):
        """A project's row (a list, PROJECT_FIELDS), its supporting-unit rows and its plan."""
        year_start = self.year_start
        unit = self.units[rng.randrange(len(self.units))]
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
        slip = self.pace[unit.pk] + rng.randint(-5, 20)
        actual = {}
        for stage, planned in (
            (INTRODUCED, introduced_planned),
            (STARTED, started_planned),
            (COMPLETED, completed_planned),
        ):
            day = planned + days(slip)
            if day > self.twelve_days_ago:
                break
            actual[stage] = day
        # The first dekad whose report waits: this one, or (for half) the one before.
        waiting_from = self.current_start if rng.random() < 0.5 else self.previous_start
        counted = {s: day for s, day in actual.items() if day < waiting_from}
        stage = (
            Stage.values[max(STAGE_INDEX[s] for s in counted)]
            if counted
            else Stage.NEGOTIATING.value
        )
        lat = 35.85 + rng.random() * 0.25
        lng = 119.85 + rng.random() * 0.35
        lng, lat = on_land(lng, lat)
        code = "XHA-{}-{:06d}".format(self.campaign.year, number + 1)
        name = "{}{}{}".format(
            PLACES[rng.randrange(len(PLACES))], industry, SUFFIXES[rng.randrange(len(SUFFIXES))]
        )
        address = "青岛西海岸新区{}".format(PLACES[rng.randrange(len(PLACES))])
        today = self.today
        certified = {s: min(day + days(rng.randint(8, 14)), today) for s, day in counted.items()}
        row = [
            project_id,
            self.campaign.pk,
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
            self.heads.get(unit.pk),
        ]
        supporting = []
        if self.helpers and rng.random() < SUPPORTED_SHARE:
            others = [h for h in self.helpers if h != unit.pk]
            for helper in rng.sample(others, rng.choice((1, 1, 2, 3))):
                supporting.append((project_id, helper))
        plan = (
            project_id,
            unit.pk,
            investment,
            introduced_planned,
            started_planned,
            slip,
            actual,
            waiting_from,
        )
        return row, supporting, plan

    def milestones(self, rng, plan):
        """A project's milestone rows (MILESTONE_FIELDS) and the key nodes it reached, by id."""
        project_id, _u, _i, introduced_planned, started_planned, slip, actual, waiting_from = plan
        span = (started_planned - introduced_planned).days
        node_count = len(self.nodes)
        rows, reached = [], {}
        introduced_on = actual.get(INTRODUCED)
        started_on = actual.get(STARTED)
        before = None
        for k, node in enumerate(self.nodes):
            planned = introduced_planned + days(span * (k + 1) // (node_count + 1))
            done_on = planned + days(slip + rng.randint(-3, 10))
            # Approvals follow the signing, and each follows the one before it.
            if introduced_on is not None:
                done_on = max(done_on, introduced_on)
            if before is not None:
                done_on = max(done_on, before)
            done = done_on <= self.ten_days_ago and introduced_on is not None
            if started_on is not None:
                # Construction starts once every approval is in hand.
                done = True
                done_on = min(done_on, started_on)
            before = done_on
            counted = done and done_on < waiting_from
            rows.append(
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
        return rows, reached

    def reports(self, rng, plan, reached):
        """A project's dekad reports (REPORT_FIELDS without the id) and what they carry.

        Returns the rows; the key nodes each reports reached, as (row index, [(node id,
        day)]); the stages certified reports carry, as (stage, day certified, row index,
        moment certified); and the problem its reports raise, as (the row raising it, the
        end of the rows), or None.
        """
        project_id, unit_id, investment, introduced_planned, _s, _slip, actual, waiting_from = plan
        reports, report_nodes, stage_reports = [], [], []
        reporter = self.reporters.get(unit_id)
        if reporter is None:
            return reports, report_nodes, stage_reports, None
        offset, eight_am, times = self.offset, self.eight_am, self.times
        current_start, certifier = self.current_start, self.certifier
        two_days = days(2)
        active_from = introduced_planned - days(45)
        completed_on = actual.get(COMPLETED)
        started_on = actual.get(STARTED)
        unit_pace = self.pace[unit_id] / 300
        for label, start, end, due, provisional in self.windows:
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
                stage_reports.append(
                    (stage_reached, (reviewed_at + offset).date(), len(reports) - 1, reviewed_at)
                )
            nodes_in = [(node_id, day) for node_id, day in reached.items() if start <= day <= end]
            if nodes_in:
                report_nodes.append((len(reports) - 1, nodes_in))
        raised = None
        if len(reports) > 1 and rng.random() < PROBLEM_SHARE:
            # Raised in the last four months or so; older ones would be solved by now.
            raised = (rng.randrange(max(0, len(reports) - 13), len(reports) - 1), len(reports))
        return reports, report_nodes, stage_reports, raised


def certify(row, stage_reports):
    """A stage a certified report carries was certified the day that report was."""
    for stage, day, _index, _at in stage_reports:
        row[CERTIFIED_COLUMN[stage]] = day


def stage_changes(row, stage_reports, report_ids, certifier):
    """The stage changes (STAGE_CHANGE_FIELDS) the certified reports of a project's
    ``row`` made, each recorded when its report was certified, as certification does."""
    changes = []
    for stage, _day, index, at in stage_reports:
        # From the last stage reached before it (one reached before the reports began
        # has no report of its own).
        before = NEGOTIATING
        for earlier in ACTUAL_COLUMN:
            if STAGE_INDEX[earlier] < STAGE_INDEX[stage] and row[ACTUAL_COLUMN[earlier]]:
                before = earlier
        on = row[ACTUAL_COLUMN[stage]]
        changes.append((row[0], before, stage, on, "", report_ids[index], certifier, at))
    return changes


def generate_chunk(rng, drawing, numbers, totals, context):
    """Generate and insert one chunk of projects with their milestones, reports and problems.

    Rows are plain tuples written by ``core.bulk.insert_rows``; the chunk draws from one
    stream, every project's row first, then every project's key nodes, then reports.
    """
    projects, plans, supporting = [], [], []
    ids = reserve_ids(Project, len(numbers))
    for project_id, i in zip(ids, numbers, strict=True):
        row, helpers, plan = drawing.project(rng, project_id, i)
        projects.append(row)
        supporting.extend(helpers)
        plans.append(plan)

    milestones, reached_by_project = [], {}
    for plan in plans:
        rows, reached = drawing.milestones(rng, plan)
        milestones.extend(rows)
        reached_by_project[plan[0]] = reached

    reports, report_nodes, raised, stages = [], [], [], []
    for index, plan in enumerate(plans):
        rows, nodes_in, stage_reports, problem = drawing.reports(
            rng, plan, reached_by_project[plan[0]]
        )
        first_report = len(reports)
        reports.extend(rows)
        report_nodes.extend((first_report + k, items) for k, items in nodes_in)
        certify(projects[index], stage_reports)
        stages.append((first_report, stage_reports))
        if problem:
            raised.append((index, first_report + problem[0], first_report + problem[1]))
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
    insert_rows(
        StageChange,
        STAGE_CHANGE_FIELDS,
        (
            change
            for row, (first, stage_reports) in zip(projects, stages, strict=True)
            for change in stage_changes(row, stage_reports, report_ids[first:], drawing.certifier)
        ),
    )
    blockers = report_problems(
        rng,
        (drawing.eight_am, drawing.offset),
        plans,
        reports,
        report_ids,
        raised,
        context,
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
