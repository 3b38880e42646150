"""The light of every city-management campaign, by 序时进度 over its weeks.

Judged on ``today`` with the campaign's ``LightPolicy`` points (defaults in brackets).
The weeks counted are those whose report fell due before today; planned and verified
are their sums; points behind = 100 × (planned − verified) ÷ planned.

  grey   when the campaign has no weeks;
  green  when no week has fallen due yet;
  red    when every week is over and verified is short of planned, however little;
  red    when more than [30] points behind;
  yellow when [10] points or more behind;
  yellow when the last week due has no report filed (or only a returned one);
  green  otherwise.
"""

import contextlib

from django.db import connections
from django.utils.translation import gettext_lazy as _

from vanguard.citywork.choices import ReportState
from vanguard.citywork.lights.sql import Params, table
from vanguard.citywork.models import CampaignReport, CampaignWeek, CityCampaign
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import JudgedSql, json_object_sql
from vanguard.supervision.reasons import Reason


def rows(campaign, judging):
    """One row per city-management campaign of the campaign (module docstring)."""
    today, policy = judging.today, judging.policy
    db = CityCampaign.objects.db
    connection = connections[db]
    outer, inner = Params(), Params()
    on = "'{}'".format(today.isoformat())
    weeks = "FROM {} w WHERE w.city_campaign_id = c.id".format(table(CampaignWeek))
    last = f"(SELECT w.period {weeks} AND w.due_date < {on} ORDER BY w.period_start DESC LIMIT 1)"
    inner_sql = (
        "SELECT c.id, c.lead_unit_id AS unit_id, c.end_date, c.measuring_unit, "
        f"(SELECT COUNT(*) {weeks}) AS n_weeks, "
        f"(SELECT COUNT(*) {weeks} AND w.due_date < {on}) AS n_due, "
        f"(SELECT COALESCE(SUM(w.planned), 0) {weeks} AND w.due_date < {on}) AS planned, "
        f"(SELECT COALESCE(SUM(w.verified), 0) {weeks} AND w.due_date < {on}) AS verified, "
        f"(SELECT MIN(w.due_date) {weeks} AND w.due_date >= {on}) AS next_due, "
        f"{last} AS last_week, "
        f"(SELECT MAX(w.due_date) {weeks} AND w.due_date < {on}) AS last_due, "
        "CASE WHEN EXISTS (SELECT 1 FROM {report} r WHERE r.city_campaign_id = c.id "
        f"AND r.period = {last} AND r.state <> {{returned}}) THEN 1 ELSE 0 END AS has_report "
        "FROM {campaigns} c WHERE c.campaign_id = {campaign}"
    ).format(
        report=table(CampaignReport),
        returned=inner(str(ReportState.RETURNED)),
        campaigns=table(CityCampaign),
        campaign=inner(campaign.pk),
    )
    behind = "(100.0 * (a.planned - a.verified) / a.planned)"
    reason = (
        "CASE WHEN a.n_weeks = 0 THEN 'no_plan' "
        "WHEN a.n_due = 0 THEN 'not_due' "
        f"WHEN a.end_date < {on} AND a.verified < a.planned THEN 'missed' "
        f"WHEN a.end_date < {on} THEN 'met' "
        f"WHEN a.planned > 0 AND {behind} > {outer(policy.project_red_points)} THEN 'far_behind' "
        f"WHEN a.planned > 0 AND {behind} >= {outer(policy.project_yellow_points)} THEN 'behind' "
        "WHEN a.has_report = 0 THEN 'report_missing' "
        "ELSE 'on_pace' END"
    )
    params = json_object_sql(
        connection,
        {
            "planned": "a.planned",
            "verified": "a.verified",
            "points_behind": f"CASE WHEN a.planned > 0 THEN ROUND({behind}, 1) ELSE NULL END",
            "unit": "a.measuring_unit",
            "week": "a.last_week",
            "week_due": "a.last_due",
            "next_due": "a.next_due",
        },
    )
    sql = "SELECT a.id AS s_object, a.unit_id AS s_unit, {} AS s_reason, {} AS s_params FROM ({}) a"
    return JudgedSql(
        sql=sql.format(reason, params, inner_sql), params=[*outer.values, *inner.values], db=db
    )


def facts(found):
    """Quantities as people write them: 12.5, not 12.50."""
    shown = dict(found)
    for key in ("planned", "verified", "points_behind"):
        value = shown.get(key)
        with contextlib.suppress(TypeError, ValueError):
            shown[key] = "{:g}".format(float(value))
    return shown


REASONS = {
    "no_plan": Reason(Light.GREY, _("No weeks are planned.")),
    "not_due": Reason(Light.GREEN, _("No week has fallen due yet; the first is due {next_due}.")),
    "missed": Reason(Light.RED, _("Over: {verified}{unit} verified of {planned}{unit} planned.")),
    "met": Reason(Light.GREEN, _("Over: {verified}{unit} verified of {planned}{unit} planned.")),
    "far_behind": Reason(
        Light.RED,
        _(
            "{points_behind} points behind: {verified}{unit} verified of {planned}{unit} due so far."
        ),
    ),
    "behind": Reason(
        Light.YELLOW,
        _(
            "{points_behind} points behind: {verified}{unit} verified of {planned}{unit} due so far."
        ),
    ),
    "report_missing": Reason(
        Light.YELLOW, _("The report for {week} was due on {week_due} and is not filed.")
    ),
    "on_pace": Reason(
        Light.GREEN, _("On pace: {verified}{unit} verified of {planned}{unit} due so far.")
    ),
}
