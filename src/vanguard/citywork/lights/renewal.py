"""The light of every renewal project, from its plan and its verified facts.

Judged on ``today`` with the campaign's ``LightPolicy`` points (defaults in brackets):

  green  once its completion is verified;
  red    when its planned completion has passed without a verified completion;
  red    when not started more than 14 days after its planned start (two weekly rounds);
  yellow when not started after its planned start;
  red    when started and more than [30] points behind its schedule to date (序时进度:
         the share of the time from planned start to planned completion that has
         passed, against the verified progress in percent);
  yellow when started and [10] points or more behind;
  yellow when last week's report, due before today, is not filed (or only returned)
         while the project was due to be under way that week;
  green  otherwise (not started before its planned start, or on schedule).
"""

from django.db import connections
from django.utils.translation import gettext_lazy as _

from vanguard.calendar.due import due
from vanguard.citywork.choices import ReportState
from vanguard.citywork.lights.sql import Params, days_between, table
from vanguard.citywork.models import RenewalProject, RenewalReport
from vanguard.citywork.weeks import week_of
from vanguard.org.choices import Cadence
from vanguard.org.models import ReportDeadline
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import JudgedSql, json_object_sql
from vanguard.supervision.reasons import Reason

START_GRACE_DAYS = 14
# The weekly deadline rules judged exactly; a campaign giving more working days than
# this after the week (three working weeks) is judged as if it gave this many.
MOST_WORKING_DAYS = 15


def _weeks_judged(connection, today, calendar, outer):
    """SQL of a small table: for each deadline rule n (1..MOST_WORKING_DAYS), the latest
    week whose report fell due before ``today`` and its due date.

    Worked out here from the run's calendar, so judging reads neither the calendar nor
    the deadline again: the judging query picks the row of the campaign's rule.
    """
    # PostgreSQL types the parameters of a UNION's columns only when told.
    postgres = connection.vendor == "postgresql"
    date = "CAST(%s AS date)" if postgres else "%s"
    text = "CAST(%s AS varchar(64))" if postgres else "%s"
    day = connection.ops.adapt_datefield_value
    selects = []
    for n in range(1, MOST_WORKING_DAYS + 1):
        week = week_of(today).previous()
        while due(week, calendar, n).day >= today:
            week = week.previous()
        selects.append(
            "SELECT {n} AS n, {label} AS label, {shown} AS shown, {start} AS w_start, "
            "{end} AS w_end, {due} AS w_due".format(
                n=n,
                label=text % outer(week.label),
                shown=text % outer(week.display_label),
                start=date % outer(day(week.start)),
                end=date % outer(day(week.end)),
                due=text % outer(due(week, calendar, n).day.isoformat()),
            )
        )
    return " UNION ALL ".join(selects)


def rows(campaign, judging):
    """One row per renewal project of the campaign (module docstring)."""
    today, policy = judging.today, judging.policy
    db = RenewalProject.objects.db
    connection = connections[db]
    day = connection.ops.adapt_datefield_value
    outer, inner = Params(), Params()
    # Today as a literal: it appears several times (a date we made, never input).
    on = "'{}'".format(today.isoformat())
    elapsed = days_between(connection, on, "p.planned_start")
    total = days_between(connection, "p.planned_completion", "p.planned_start")
    # The campaign's weekly deadline rule, read inside the judging query.
    rule = (
        "COALESCE((SELECT d.working_days_after FROM {deadline} d WHERE d.campaign_id = "
        "p.campaign_id AND d.cadence = {weekly}), 1)"
    )
    inner_sql = (
        "SELECT p.id, p.lead_unit_id AS unit_id, p.planned_start, p.planned_completion, "
        "p.actual_start, p.actual_completion, p.progress_percent AS progress, "
        f"CASE WHEN {elapsed} <= 0 THEN 0 "
        f"WHEN {total} <= 0 OR {elapsed} >= {total} THEN 100 "
        f"ELSE ROUND(100.0 * {elapsed} / {total}, 1) END AS expected, "
        f"{elapsed} AS days_late, wk.shown AS week, wk.w_due AS week_due, "
        "CASE WHEN COALESCE(p.actual_start, p.planned_start) <= wk.w_end "
        "AND (p.actual_completion IS NULL OR p.actual_completion >= wk.w_start) "
        "THEN 1 ELSE 0 END AS owes_report, "
        "CASE WHEN EXISTS (SELECT 1 FROM {report} r WHERE r.project_id = p.id "
        "AND r.period = wk.label AND r.state <> {returned}) THEN 1 ELSE 0 END AS has_report "
        "FROM {project} p JOIN ({weeks}) wk ON wk.n = CASE WHEN {rule} > {most} THEN {most} "
        "ELSE {rule} END WHERE p.campaign_id = {campaign}"
    )
    # The placeholders, in the order they appear in the text: the weeks' table is
    # written into the inner text first, so its parameters go to ``inner`` in order.
    weekly = Params()
    weeks = _weeks_judged(connection, today, judging.calendar, weekly)
    returned = Params()
    returned_sql = returned(str(ReportState.RETURNED))
    rule_params = Params()
    rule_sql = rule.format(deadline=table(ReportDeadline), weekly=rule_params(str(Cadence.WEEKLY)))
    inner_sql = inner_sql.format(
        report=table(RenewalReport),
        returned=returned_sql,
        project=table(RenewalProject),
        weeks=weeks,
        rule=rule_sql,
        most=MOST_WORKING_DAYS,
        campaign=inner(campaign.pk),
    )
    inner_values = [
        *returned.values,
        *weekly.values,
        *rule_params.values,
        *rule_params.values,
        *inner.values,
    ]
    started = "a.actual_start IS NOT NULL"
    behind = "(a.expected - a.progress)"
    reason = (
        "CASE WHEN a.actual_completion IS NOT NULL THEN 'completed' "
        f"WHEN a.planned_completion < {outer(day(today))} THEN 'past_completion' "
        f"WHEN NOT ({started}) AND a.days_late > {outer(START_GRACE_DAYS)} THEN 'start_late_far' "
        f"WHEN NOT ({started}) AND a.days_late > 0 THEN 'start_late' "
        f"WHEN {started} AND {behind} > {outer(policy.project_red_points)} THEN 'far_behind' "
        f"WHEN {started} AND {behind} >= {outer(policy.project_yellow_points)} THEN 'behind' "
        "WHEN a.owes_report = 1 AND a.has_report = 0 THEN 'report_missing' "
        f"WHEN NOT ({started}) THEN 'not_started' "
        "ELSE 'on_schedule' END"
    )
    params = json_object_sql(
        connection,
        {
            "planned_start": "a.planned_start",
            "planned_completion": "a.planned_completion",
            "actual_start": "a.actual_start",
            "actual_completion": "a.actual_completion",
            "progress": "a.progress",
            "expected": "a.expected",
            "points_behind": f"{behind}",
            "days_late": "a.days_late",
            "week": "a.week",
            "week_due": "a.week_due",
        },
    )
    sql = "SELECT a.id AS s_object, a.unit_id AS s_unit, {} AS s_reason, {} AS s_params FROM ({}) a"
    return JudgedSql(
        sql=sql.format(reason, params, inner_sql),
        params=[*outer.values, *inner_values],
        db=db,
    )


REASONS = {
    "completed": Reason(Light.GREEN, _("Completed on {actual_completion} (verified).")),
    "past_completion": Reason(
        Light.RED,
        _("Planned to complete by {planned_completion}; not completed ({progress}% verified)."),
    ),
    "start_late_far": Reason(
        Light.RED, _("Planned to start on {planned_start}; {days_late} days later, not started.")
    ),
    "start_late": Reason(
        Light.YELLOW,
        _("Planned to start on {planned_start}; {days_late} days later, not started."),
    ),
    "far_behind": Reason(
        Light.RED,
        _("{points_behind} points behind schedule: {progress}% verified, {expected}% due by now."),
    ),
    "behind": Reason(
        Light.YELLOW,
        _("{points_behind} points behind schedule: {progress}% verified, {expected}% due by now."),
    ),
    "report_missing": Reason(
        Light.YELLOW, _("The report for {week} was due on {week_due} and is not filed.")
    ),
    "not_started": Reason(Light.GREEN, _("Starts on {planned_start}.")),
    "on_schedule": Reason(
        Light.GREEN, _("On schedule: {progress}% verified, {expected}% due by now.")
    ),
}
