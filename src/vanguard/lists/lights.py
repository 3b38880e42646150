"""The status light of every list item, by 序时进度 against its checkpoints.

Registered with the one light engine (``supervision.kinds.register``) as the kind
``listitem``. Only verified progress counts: the item's verified cumulative quantity and
the checkpoints it reached (``Checkpoint.reached_on``) are written when a report is
verified. The thresholds are the campaign's ``LightPolicy`` (defaults in brackets).

Quantity item, judged on ``today``:
  the plan to date is the planned cumulative quantity of the latest checkpoint due
  before today; points behind = 100 × (plan to date − verified) ÷ target;
  red    when past its deadline short of the target, or more than [30] points behind;
  yellow when [10] points or more behind;
  green  otherwise (also when no checkpoint has fallen due yet);
  grey   when it has no checkpoint.

Milestone item:
  red    when a checkpoint due before today is not reached;
  yellow when a checkpoint due from today up to the N-th working day after is not
         reached [N = 3, the key-node warning];
  green  otherwise; grey when it has no checkpoint.
"""

import contextlib

from django.db import connections
from django.db.models import CharField, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from vanguard.lists.choices import Measure
from vanguard.lists.models import Checkpoint, ListItem
from vanguard.supervision.choices import Light
from vanguard.supervision.kinds import LightRules, register
from vanguard.supervision.lights import JudgedSql, json_object_sql, warning_date
from vanguard.supervision.reasons import Reason

KIND = "listitem"
# List items are lit as a group of their own: a list spans battles.
GROUP = "lists"

# One row of facts per item (``a``), then the rules over it. The reason codes are the
# fixed words of REASONS below, not input.
_BEHIND = "(a.expected - a.actual) * 100.0"
ITEM_SQL = (
    "SELECT a.id AS s_object, a.unit_id AS s_unit, CASE "
    "WHEN a.n_points = 0 THEN 'no_plan' "
    "WHEN a.measure = %s THEN CASE "
    "  WHEN a.n_overdue > 0 THEN 'milestone_overdue' "
    "  WHEN a.n_due_soon > 0 THEN 'milestone_due_soon' "
    "  ELSE 'milestones_on_schedule' END "
    "WHEN a.deadline < %s AND a.actual < a.target THEN 'past_deadline' "
    "WHEN a.expected IS NULL THEN 'nothing_due' "
    f"WHEN {_BEHIND} > a.target * %s THEN 'far_behind' "
    f"WHEN a.expected > a.actual AND {_BEHIND} >= a.target * %s THEN 'behind' "
    "ELSE 'on_schedule' END AS s_reason, {params} AS s_params "
    "FROM (SELECT i.id, i.unit_id, i.measure, i.deadline, i.target_quantity AS target, "
    "COALESCE(i.verified_quantity, 0) AS actual, "
    "(SELECT COUNT(*) FROM {cp} c WHERE c.item_id = i.id) AS n_points, "
    "(SELECT c.planned_quantity FROM {cp} c WHERE c.item_id = i.id AND c.due_date < %s "
    " ORDER BY c.due_date DESC LIMIT 1) AS expected, "
    "(SELECT COUNT(*) FROM {cp} c WHERE c.item_id = i.id AND c.due_date < %s "
    " AND c.reached_on IS NULL) AS n_overdue, "
    "(SELECT MIN(c.due_date) FROM {cp} c WHERE c.item_id = i.id AND c.due_date < %s "
    " AND c.reached_on IS NULL) AS first_overdue, "
    "(SELECT COUNT(*) FROM {cp} c WHERE c.item_id = i.id AND c.due_date >= %s "
    " AND c.due_date <= %s AND c.reached_on IS NULL) AS n_due_soon, "
    "(SELECT MIN(c.due_date) FROM {cp} c WHERE c.item_id = i.id AND c.due_date >= %s "
    " AND c.reached_on IS NULL) AS next_due "
    "FROM {item} i WHERE i.campaign_id = %s) a"
)


def item_rows(campaign, judging):
    """The light of every list item of the campaign (module docstring)."""
    today, policy = judging.today, judging.policy
    warn_until = warning_date(today, policy.node_warning_working_days, judging.calendar)
    db = ListItem.objects.db
    connection = connections[db]
    qn = connection.ops.quote_name
    params = json_object_sql(
        connection,
        {
            "measure": "a.measure",
            "target": "a.target",
            "verified": "a.actual",
            "planned": "a.expected",
            "points_behind": "CASE WHEN a.target > 0 AND a.expected IS NOT NULL "
            f"THEN ROUND({_BEHIND} / a.target, 1) ELSE NULL END",
            "deadline": "a.deadline",
            "overdue": "a.n_overdue",
            "first_overdue": "a.first_overdue",
            "due_soon": "a.n_due_soon",
            "next_due": "a.next_due",
            "warning_days": str(int(policy.node_warning_working_days)),
        },
    )
    day = connection.ops.adapt_datefield_value
    sql = ITEM_SQL.replace("{params}", params)
    sql = sql.replace("{cp}", qn(Checkpoint._meta.db_table)).replace(
        "{item}", qn(ListItem._meta.db_table)
    )
    return JudgedSql(
        sql=sql,
        params=[
            str(Measure.MILESTONE),
            day(today),
            policy.project_red_points,
            policy.project_yellow_points,
            day(today),
            day(today),
            day(today),
            day(today),
            day(warn_until),
            day(today),
            campaign.pk,
        ],
        db=db,
    )


REASONS = {
    "no_plan": Reason(Light.GREY, _("No checkpoints to judge against.")),
    "milestone_overdue": Reason(
        Light.RED,
        _(
            "{overdue} checkpoint(s) past due and not verified done (the first due {first_overdue})."
        ),
    ),
    "milestone_due_soon": Reason(
        Light.YELLOW,
        _("A checkpoint falls due on {next_due}, within {warning_days} working days, not done."),
    ),
    "milestones_on_schedule": Reason(Light.GREEN, _("Every checkpoint due so far is done.")),
    "past_deadline": Reason(
        Light.RED, _("Past its deadline ({deadline}): {verified} verified of {target}.")
    ),
    "nothing_due": Reason(Light.GREEN, _("No checkpoint has fallen due yet.")),
    "far_behind": Reason(
        Light.RED,
        _("{points_behind} percentage points behind the plan to date ({verified} of {planned})."),
    ),
    "behind": Reason(
        Light.YELLOW,
        _("{points_behind} percentage points behind the plan to date ({verified} of {planned})."),
    ),
    "on_schedule": Reason(
        Light.GREEN, _("On plan: {verified} verified against {planned} planned to date.")
    ),
}


def _facts(facts):
    """Quantities as people write them: 12.5, not 12.50 or 12.500000."""
    shown = dict(facts)
    for key in ("target", "verified", "planned", "points_behind"):
        value = shown.get(key)
        if isinstance(value, int | float):
            shown[key] = "{:g}".format(value)
        elif isinstance(value, str):
            with contextlib.suppress(ValueError):
                shown[key] = "{:g}".format(float(value))
    return shown


def _item_code():
    return Subquery(
        ListItem.objects.filter(pk=OuterRef("object_id")).values("code")[:1],
        output_field=CharField(),
    )


def register_lights():
    """Register list items with the light engine."""
    register(
        KIND,
        LightRules(
            label=_("List item"),
            group=GROUP,
            judge=item_rows,
            reasons=REASONS,
            subject_code=_item_code,
            facts=_facts,
        ),
    )
