"""The light of every demonstration zone and model road, on its way to acceptance.

green  once accepted;
red    when its planned acceptance has passed and it has not applied for acceptance;
yellow when its planned acceptance has passed while its application waits;
yellow when acceptance is planned within 30 days and its latest inspection did not
       meet every criterion (or there is none);
green  otherwise.
"""

import datetime

from django.db import connections
from django.utils.translation import gettext_lazy as _

from vanguard.citywork.choices import PlaceState
from vanguard.citywork.lights.sql import Params, table
from vanguard.citywork.models import Inspection, Place
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import JudgedSql, json_object_sql
from vanguard.supervision.reasons import Reason

WARNING_DAYS = 30


def rows(campaign, judging):
    """One row per place of the campaign (module docstring)."""
    today = judging.today
    db = Place.objects.db
    connection = connections[db]
    outer, inner = Params(), Params()
    latest = "FROM {} i WHERE i.place_id = p.id ORDER BY i.inspected_on DESC, i.id DESC LIMIT 1"
    latest = latest.format(table(Inspection))
    inner_sql = (
        "SELECT p.id, p.lead_unit_id AS unit_id, p.state, p.planned_acceptance, p.applied_on, "
        f"p.accepted_on, (SELECT i.met_count {latest}) AS met, "
        f"(SELECT i.total_count {latest}) AS total "
        "FROM {places} p WHERE p.campaign_id = {campaign}"
    ).format(places=table(Place), campaign=inner(campaign.pk))
    day = connection.ops.adapt_datefield_value
    soon = today + datetime.timedelta(days=WARNING_DAYS)
    reason = (
        f"CASE WHEN a.state = {outer(str(PlaceState.ACCEPTED))} THEN 'accepted' "
        f"WHEN a.planned_acceptance < {outer(day(today))} "
        f"AND a.state = {outer(str(PlaceState.APPLIED))} THEN 'applied_late' "
        f"WHEN a.planned_acceptance < {outer(day(today))} THEN 'past_due' "
        f"WHEN a.state = {outer(str(PlaceState.APPLIED))} THEN 'applied' "
        f"WHEN a.planned_acceptance <= {outer(day(soon))} "
        "AND (a.total IS NULL OR a.met < a.total) THEN 'due_soon' "
        "ELSE 'on_track' END"
    )
    params = json_object_sql(
        connection,
        {
            "planned_acceptance": "a.planned_acceptance",
            "applied_on": "a.applied_on",
            "accepted_on": "a.accepted_on",
            "met": "a.met",
            "total": "a.total",
        },
    )
    sql = "SELECT a.id AS s_object, a.unit_id AS s_unit, {} AS s_reason, {} AS s_params FROM ({}) a"
    return JudgedSql(
        sql=sql.format(reason, params, inner_sql), params=[*outer.values, *inner.values], db=db
    )


REASONS = {
    "accepted": Reason(Light.GREEN, _("Accepted on {accepted_on}.")),
    "applied_late": Reason(
        Light.YELLOW,
        _(
            "Acceptance was planned by {planned_acceptance}; applied on {applied_on}, not yet accepted."
        ),
    ),
    "past_due": Reason(
        Light.RED,
        _("Acceptance was planned by {planned_acceptance}; not yet applied for."),
    ),
    "applied": Reason(Light.GREEN, _("Applied for acceptance on {applied_on}.")),
    "due_soon": Reason(
        Light.YELLOW,
        _(
            "Acceptance is planned for {planned_acceptance}; the latest inspection met {met} of"
            " {total} criteria."
        ),
    ),
    "on_track": Reason(
        Light.GREEN,
        _("Acceptance is planned for {planned_acceptance}; latest inspection: {met} of {total}."),
    ),
}
