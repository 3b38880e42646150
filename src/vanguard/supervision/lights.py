"""The one status-light engine (亮灯): its rules, a set-based recompute, and cheap reads.

Every subject (a key node, a project, a unit; later list items and indicators) gets one
light per campaign, stored in ``LightState``; each change of light adds a ``LightEvent``.
The rules, with the thresholds of the campaign's ``LightPolicy`` (defaults in brackets):

Key node (milestone), judged on ``today``:
  green  when done or not needed, or when not due within the warning window;
  grey   when it has no planned date;
  red    when not done and its planned date is before today (overdue);
  yellow when not done and due from today up to the N-th working day after today
         [N = 3], holidays and make-up working days counted by the calendar.

Project:
  Schedule to date (序时进度). The nodes counted are those with a planned date that
  are not marked not needed. The expected share is the counted nodes planned on or
  before today over all counted nodes; the actual share is the counted nodes done
  (whenever their planned date) over all counted nodes; points behind =
  100 × (expected share − actual share). A node done early offsets one done late.

  Stage late. The stage due next is the first stage after the project's current one
  that has a planned date (introduced_planned, started_planned, completed_planned,
  in that order); the project is late by today − that date when the date has passed.

  red    when any of its key nodes is red, or it is more than [30] points behind,
         or the stage due next is at least [90] days late;
  yellow when it is [10] points or more behind, or that stage is at least [30] days late;
  grey   when it has neither a counted node nor a planned date for a stage ahead;
  green  otherwise.

  Since a node planned before today and not done is already red, the points rule
  bites on its own only when nodes fall due today; it is kept so that the schedule
  share is one rule for every subject with planned steps.

Unit, per campaign, from the lights of the projects it leads (grey ones not counted):
  red    when at least [30 %] of them are red;
  yellow when any is red, or at least [30 %] of them are red or yellow;
  grey   when none can be judged; green otherwise.

``recompute`` judges every subject of a campaign in SQL, kind by kind: the rules are
one query per kind whose result goes into a temporary table beside the stored states;
then one statement adds the events, one upserts the states that differ, one drops
the states of subjects that are gone. Its query count does not depend on how many
projects there are, and a quiet day rewrites almost nothing.

A recompute judges the facts as they are now, as of ``today``: a back-dated run
(``--date``) shows what the lights would have been with today's data, not a replay.
"""

import datetime
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone

from vanguard.calendar.due import due, working_day_after
from vanguard.calendar.periods import PeriodKind, period_containing
from vanguard.calendar.services import load_calendar
from vanguard.core.bulk import sqlite_cache
from vanguard.indicators.choices import AreaLevel, GoodDirection
from vanguard.indicators.models import Area, Indicator, Observation
from vanguard.org.choices import Battle
from vanguard.org.models import Campaign
from vanguard.projects.choices import MilestoneState, Stage
from vanguard.projects.models import Milestone, Project
from vanguard.supervision.choices import Light, SubjectKind
from vanguard.supervision.models import LightEvent, LightPolicy, LightRecompute, LightState
from vanguard.supervision.reasons import REASONS, reason_text
from vanguard.targets.choices import TargetKind
from vanguard.targets.models import Target

log = logging.getLogger(__name__)


# --- thresholds for one run ------------------------------------------------------------


def policy_for(campaign):
    """The campaign's light policy, or an unsaved one holding the defaults."""
    return LightPolicy.objects.filter(campaign=campaign).first() or LightPolicy(campaign=campaign)


def warning_date(today, working_days, calendar=None):
    """The N-th working day after ``today``: a node due up to then is yellow (today when N = 0).

    Beyond the years whose holidays are known the calendar counts provisionally, so the
    daily recompute does not stop at the turn of a year nobody has entered yet.
    """
    return working_day_after(today, calendar or load_calendar(), max(working_days, 0)).day


@dataclass(frozen=True)
class Rules:
    """A policy's thresholds turned into the dates and numbers one recompute compares with."""

    today: datetime.date
    warning_days: int
    warn_until: datetime.date
    yellow_points: int
    red_points: int
    stage_yellow_before: datetime.date
    stage_red_before: datetime.date
    unit_yellow_percent: int
    unit_red_percent: int
    indicator_red_gap: Decimal = Decimal("1.0")
    indicator_drop: Decimal = Decimal("2.0")
    indicator_data_days: int = 10
    # The working calendar the dates were counted on, for the rules that count more.
    calendar: object = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, policy, today, calendar=None):
        calendar = calendar or load_calendar()
        return cls(
            today=today,
            calendar=calendar,
            warning_days=policy.node_warning_working_days,
            warn_until=warning_date(today, policy.node_warning_working_days, calendar),
            yellow_points=policy.project_yellow_points,
            red_points=policy.project_red_points,
            stage_yellow_before=today - datetime.timedelta(days=policy.stage_yellow_days),
            stage_red_before=today - datetime.timedelta(days=policy.stage_red_days),
            unit_yellow_percent=int(policy.unit_yellow_share * 100),
            unit_red_percent=int(policy.unit_red_share * 100),
            indicator_red_gap=policy.indicator_gap_red_points,
            indicator_drop=policy.indicator_drop_points,
            indicator_data_days=policy.indicator_data_working_days,
        )


# --- the rules, as queries ---------------------------------------------------------------

ROW_FIELDS = ("s_object", "s_unit", "s_reason", "s_params")


def _rows(queryset, *, object_id, unit, reason, params):
    """One row per subject: (s_object, s_unit, s_reason, s_params); ``_write`` adds the light."""
    return (
        queryset.annotate(s_object=object_id, s_unit=unit, s_reason=reason, s_params=params)
        .order_by()
        .values(*ROW_FIELDS)
    )


def _light_sql(kind):
    """SQL (and its parameters) turning ``c0.s_reason`` into its light, from ``REASONS``."""
    reasons = REASONS[kind]
    sql = "CASE c0.s_reason {} ELSE %s END".format(" ".join(["WHEN %s THEN %s"] * len(reasons)))
    params = [value for code, r in reasons.items() for value in (code, str(r.light))]
    return sql, [*params, str(Light.GREY)]


def milestone_rows(campaign, rules):
    """The light of every key node of the campaign's projects."""
    reason = Case(
        When(state=MilestoneState.NOT_NEEDED, then=Value("not_needed")),
        When(state=MilestoneState.DONE, then=Value("done")),
        When(planned_date__isnull=True, then=Value("no_plan")),
        When(planned_date__lt=rules.today, then=Value("overdue")),
        When(planned_date__lte=rules.warn_until, then=Value("due_soon")),
        default=Value("on_schedule"),
        output_field=CharField(),
    )
    return _rows(
        Milestone.objects.filter(project__campaign=campaign),
        object_id=F("pk"),
        unit=F("project__lead_unit_id"),
        reason=reason,
        params=JSONObject(
            planned=F("planned_date"),
            actual=F("actual_date"),
            warning_days=Value(rules.warning_days),
        ),
    )


# For each stage, the stages still ahead of it, in order.
_STAGES_AHEAD = {
    Stage.NEGOTIATING: [
        (Stage.INTRODUCED, "introduced_planned"),
        (Stage.STARTED, "started_planned"),
        (Stage.COMPLETED, "completed_planned"),
    ],
    Stage.INTRODUCED: [(Stage.STARTED, "started_planned"), (Stage.COMPLETED, "completed_planned")],
    Stage.STARTED: [(Stage.COMPLETED, "completed_planned")],
}


def _stage_due():
    """SQL for the planned date of the first stage ahead that has one."""
    return Case(
        *[
            When(stage=stage, then=Coalesce(*[F(f) for _, f in ahead], output_field=DateField()))
            if len(ahead) > 1
            else When(stage=stage, then=F(ahead[0][1]))
            for stage, ahead in _STAGES_AHEAD.items()
        ],
        default=Value(None, output_field=DateField()),
        output_field=DateField(),
    )


def _stage_next():
    """SQL for which stage ``_stage_due`` names."""
    return Case(
        *[
            When(Q(stage=stage, **{f + "__isnull": False}), then=Value(str(next_stage)))
            for stage, ahead in _STAGES_AHEAD.items()
            for next_stage, f in ahead
        ],
        default=Value(None, output_field=CharField()),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class JudgedSql:
    """A kind's judgement as SQL text: one row (s_object, s_unit, s_reason, s_params) per subject."""

    sql: str
    params: list
    db: str


def _compiled(rows):
    """``rows`` (a queryset from ``_rows`` or a ``JudgedSql``) as SQL and parameters."""
    if isinstance(rows, JudgedSql):
        return rows.sql, list(rows.params)
    sql, params = rows.query.get_compiler(rows.db).as_sql()
    return sql, list(params)


def judged(rows):
    """The judged rows as tuples (s_object, s_unit, s_reason, s_params), for reading only."""
    sql, params = _compiled(rows)
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _json_object_sql(connection, columns):
    """SQL building a JSON object of ``{key: column}``, as Django's JSONObject does."""
    function = "JSONB_BUILD_OBJECT" if connection.vendor == "postgresql" else "JSON_OBJECT"
    pairs = ", ".join("'{}', {}".format(key, column) for key, column in columns.items())
    return "{}({})".format(function, pairs)


# The project rules over one row of per-project counts (``a``), so that each count is
# computed once: written in Django expressions, every reference to an aggregate repeats
# it in the SQL, and the database evaluated the node counts about twenty times per node.
# The reason codes are fixed words of the engine (supervision.reasons), not input.
_PROJECT_BEHIND = "a.n_counted > 0 AND (a.n_expected - a.n_done) * 100"
PROJECT_SQL = (
    "SELECT a.p_id AS s_object, a.p_unit AS s_unit, CASE "
    "WHEN a.n_red > 0 THEN 'red_nodes' "
    f"WHEN {_PROJECT_BEHIND} > a.n_counted * %s THEN 'far_behind_schedule' "
    "WHEN a.stage_due <= %s THEN 'stage_far_late' "
    f"WHEN {_PROJECT_BEHIND} > 0 AND (a.n_expected - a.n_done) * 100 >= a.n_counted * %s "
    "THEN 'behind_schedule' "
    "WHEN a.stage_due <= %s THEN 'stage_late' "
    "WHEN a.n_counted = 0 AND a.stage_due IS NULL THEN 'no_plan' "
    "ELSE 'on_schedule' END AS s_reason, {params} AS s_params "
    "FROM ({counts}) a"
)


def project_rows(campaign, rules):
    """The light of every project of the campaign (module docstring: schedule, stages)."""
    counted = Q(
        milestones__planned_date__isnull=False,
        milestones__state__in=[MilestoneState.PENDING, MilestoneState.DONE],
    )
    # values() first: grouped by the project's key and unit only (left to itself Django
    # groups by every column of the project on SQLite, and sorts by all of them).
    counts = (
        Project.objects.filter(campaign=campaign)
        .order_by()
        .values(p_id=F("pk"), p_unit=F("lead_unit_id"))
        .annotate(
            n_counted=Count("milestones", filter=counted),
            n_expected=Count(
                "milestones", filter=counted & Q(milestones__planned_date__lte=rules.today)
            ),
            n_done=Count("milestones", filter=counted & Q(milestones__state=MilestoneState.DONE)),
            n_red=Count(
                "milestones",
                filter=Q(
                    milestones__state=MilestoneState.PENDING,
                    milestones__planned_date__lt=rules.today,
                ),
            ),
            # Max of a value fixed per project: grouping stays on the project's key
            # instead of also sorting by these expressions.
            stage_due=Max(_stage_due()),
            stage_next=Max(_stage_next()),
        )
    )
    counts_sql, counts_params = counts.query.get_compiler(counts.db).as_sql()
    connection = connections[counts.db]
    params = _json_object_sql(
        connection,
        {
            "red_nodes": "a.n_red",
            "counted_nodes": "a.n_counted",
            "expected_nodes": "a.n_expected",
            "done_nodes": "a.n_done",
            "points_behind": "CASE WHEN a.n_counted > 0 "
            "THEN (a.n_expected - a.n_done) * 100 / a.n_counted ELSE 0 END",
            "stage": "a.stage_next",
            "stage_due": "a.stage_due",
        },
    )
    day = connection.ops.adapt_datefield_value
    return JudgedSql(
        sql=PROJECT_SQL.format(params=params, counts=counts_sql),
        params=[
            rules.red_points,
            day(rules.stage_red_before),
            rules.yellow_points,
            day(rules.stage_yellow_before),
            *counts_params,
        ],
        db=counts.db,
    )


def unit_rows(campaign, rules):
    """The light of every unit that leads a project, from its projects' stored lights.

    Reads the project lights, so it runs after they are written.
    """
    per_unit = (
        LightState.objects.filter(campaign=campaign, kind=SubjectKind.PROJECT, unit__isnull=False)
        .order_by()
        .values("unit")
        .annotate(
            n_red=Count("pk", filter=Q(light=Light.RED)),
            n_yellow=Count("pk", filter=Q(light=Light.YELLOW)),
            n_green=Count("pk", filter=Q(light=Light.GREEN)),
        )
        .annotate(
            n_judged=F("n_red") + F("n_yellow") + F("n_green"),
            n_lagging=F("n_red") + F("n_yellow"),
        )
    )
    reason = Case(
        When(n_judged=0, then=Value("no_data")),
        When(
            Q(red100__gte=F("n_judged") * rules.unit_red_percent),
            then=Value("red_share"),
        ),
        When(n_red__gt=0, then=Value("has_red")),
        When(
            Q(lagging100__gte=F("n_judged") * rules.unit_yellow_percent),
            then=Value("lagging_share"),
        ),
        default=Value("on_schedule"),
        output_field=CharField(),
    )
    return _rows(
        per_unit.annotate(red100=F("n_red") * 100, lagging100=F("n_lagging") * 100),
        object_id=F("unit"),
        unit=F("unit"),
        reason=reason,
        params=JSONObject(
            red=F("n_red"),
            yellow=F("n_yellow"),
            green=F("n_green"),
            judged=F("n_judged"),
            lagging=F("n_lagging"),
        ),
    )


# --- indicators (跟踪预警) -----------------------------------------------------------------

# The indicator rules from the worst down: the first that fires gives the light, and
# every one that fires is kept as a warning (module docstring).
INDICATOR_RULES = (
    "below_target_far",
    "below_comparator_far",
    "below_target",
    "below_comparator",
    "level_with_comparator",
    "falling",
    "data_missing",
)
MAIN_INDICATORS_MEASURE = "indicators.main.growth"


def _number(value):
    """A Decimal as a JSON number with at most two decimals."""
    return float(round(Decimal(value), 2))


def month_due_date(month, working_days, calendar=None):
    """When a month's statistics are due: the n-th working day after the month ends.

    Beyond the years whose holidays are known the calendar's provisional date stands in.
    """
    period = period_containing(PeriodKind.MONTH, month)
    return due(period, calendar or load_calendar(), working_days).day


def _judge_indicator(indicator, figures, growth_targets, comparators, areas, rules, due):
    """(reason, params) of one indicator from its figures in force.

    ``figures`` maps (area level, month) to (level, growth); ``due`` maps the months of
    the campaign year whose figures are due by today, oldest first, to their due dates.
    """
    sign = 1 if indicator.good_direction == GoodDirection.UP else -1
    home = {m: f for (level, m), f in figures.items() if level == AreaLevel.DISTRICT}
    growth = {m: f[1] for m, f in home.items() if f[1] is not None}
    warnings = []
    published_due = [m for m in due if indicator.published_in(m)]
    if published_due and published_due[-1] not in home:
        missing = published_due[-1]
        warnings.append(
            {
                "rule": "data_missing",
                "missing_period": period_containing(PeriodKind.MONTH, missing).label,
                "due": due[missing].isoformat(),
            }
        )
    facts, referenced = {}, False
    if growth:
        month = max(growth)
        value = growth[month]
        facts = {
            "period": period_containing(PeriodKind.MONTH, month).label,
            "growth": _number(value),
        }
        month_end = period_containing(PeriodKind.MONTH, month).end
        for target in growth_targets:
            if not (target.period_start <= month_end <= target.period_end):
                continue
            referenced = True
            gap = sign * (value - target.value)
            if gap < 0:
                far = -gap >= rules.indicator_red_gap
                warnings.append(
                    {
                        "rule": "below_target_far" if far else "below_target",
                        "gap": _number(gap),
                        "gap_abs": _number(-gap),
                        "target": _number(target.value),
                        "reference": _number(target.value),
                        "target_code": target.code,
                    }
                )
        for level, target_end in comparators:
            reference = figures.get((level, month), (None, None))[1]
            if reference is None or month_end > target_end:
                continue
            referenced = True
            gap = sign * (value - reference)
            # A relative target asks for growth above the comparator: level is not enough.
            if gap <= 0:
                far = -gap >= rules.indicator_red_gap
                rule = "below_comparator_far" if far else "below_comparator"
                warnings.append(
                    {
                        "rule": rule if gap < 0 else "level_with_comparator",
                        "gap": _number(gap),
                        "gap_abs": _number(-gap),
                        "comparator": str(level),
                        "comparator_name": areas.get(level, str(level)),
                        "reference": _number(reference),
                    }
                )
        # Cumulative growth compares within a year: January has no month before it.
        earlier = [m for m in growth if m < month and indicator.published_in(m)]
        if earlier:
            previous = max(earlier)
            drop = sign * (growth[previous] - value)
            if drop > rules.indicator_drop:
                warnings.append(
                    {
                        "rule": "falling",
                        "drop": _number(drop),
                        "previous_growth": _number(growth[previous]),
                        "previous_period": period_containing(PeriodKind.MONTH, previous).label,
                    }
                )
    warnings.sort(key=lambda w: (INDICATOR_RULES.index(w["rule"]), w.get("gap", 0)))
    if warnings:
        reason = warnings[0]["rule"]
    elif growth:
        reason = "on_track" if referenced else "no_reference"
    else:
        reason = "no_data"
    params = {**facts, **(warnings[0] if warnings else {}), "warnings": warnings}
    params.pop("rule", None)
    return reason, params


def indicator_figures(rows):
    """``{indicator id: {(area level, month): (level, growth)}}`` from rows of the same five."""
    figures = defaultdict(dict)
    for indicator_id, area_level, month, value, growth in rows:
        figures[indicator_id][(area_level, month)] = (value, growth)
    return figures


def judge_indicators(campaign, rules, figures, indicators=None, last_month=None):
    """``[(indicator, reason, params)]``: each indicator judged on ``figures`` alone.

    ``figures`` comes from ``indicator_figures``; with ``last_month`` only the months up
    to it are expected (a month's pack does not miss the months after it).
    """
    if indicators is None:
        indicators = list(Indicator.objects.filter(campaign=campaign))
    areas = dict(Area.objects.filter(campaign=campaign).values_list("level", "name"))
    targets = list(
        Target.objects.filter(campaign=campaign, battle=Battle.INDICATORS).exclude(
            kind=TargetKind.COUNT
        )
    )
    calendar = rules.calendar or load_calendar()
    due = {}
    for n in range(1, 13):
        month = datetime.date(campaign.year, n, 1)
        if last_month is not None and month > last_month:
            break
        day = month_due_date(month, rules.indicator_data_days, calendar)
        if day < rules.today:
            due[month] = day
    judged_list = []
    for indicator in indicators:
        growth_targets = [
            t
            for t in targets
            if t.kind == TargetKind.GROWTH
            and t.measure == indicator.measure
            and t.value is not None
        ]
        comparators = {}
        for t in targets:
            covers = t.measure == indicator.measure or (
                indicator.main and t.measure == MAIN_INDICATORS_MEASURE
            )
            if t.kind == TargetKind.RELATIVE and covers:
                for level in t.comparators:
                    comparators[level] = max(comparators.get(level, t.period_end), t.period_end)
        reason, params = _judge_indicator(
            indicator,
            figures.get(indicator.pk, {}),
            growth_targets,
            list(comparators.items()),
            areas,
            rules,
            due,
        )
        judged_list.append((indicator, reason, params))
    return judged_list


def indicator_rows(campaign, rules):
    """The light of every indicator of the campaign (module docstring: indicators).

    A campaign has tens of indicators, so they are judged in Python from one read of the
    year's figures in force and one of the targets that name them; the result is written
    like every other kind's, a fixed number of statements for all of them.
    """
    year_start = datetime.date(campaign.year, 1, 1)
    figures = indicator_figures(
        Observation.objects.current()
        .filter(indicator__campaign=campaign, month__gte=year_start, month__lte=rules.today)
        .values_list("indicator_id", "area__level", "month", "level", "growth_pct")
    )
    rows = [
        (indicator.pk, indicator.responsible_unit_id, reason, params)
        for indicator, reason, params in judge_indicators(campaign, rules, figures)
    ]
    return _listed_rows(rows, db=campaign._state.db or "default")


def _listed_rows(rows, *, db):
    """Rows judged in Python as SQL for ``_write``: (object, unit, reason, params) each."""
    connection = connections[db]
    as_json = "CAST(v.column4 AS jsonb)" if connection.vendor == "postgresql" else "v.column4"
    select = (
        "SELECT CAST(v.column1 AS bigint) AS s_object, CAST(v.column2 AS bigint) AS s_unit, "
        "CAST(v.column3 AS varchar(32)) AS s_reason, {} AS s_params FROM ({}) v"
    )
    if not rows:
        return JudgedSql(
            select.format(
                as_json,
                "SELECT NULL AS column1, NULL AS column2, NULL AS column3, "
                "NULL AS column4 WHERE 1 = 0",
            ),
            [],
            db,
        )
    values = "VALUES " + ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    params = [
        value
        for pk, unit, reason, facts in rows
        for value in (
            str(pk),
            None if unit is None else str(unit),
            reason,
            json.dumps(facts, ensure_ascii=False, sort_keys=True),
        )
    ]
    return JudgedSql(select.format(as_json, values), params, db)


@dataclass(frozen=True)
class IndicatorWarning:
    """One rule that fires on an indicator: which, how far, and the text that says so."""

    indicator: object
    rule: str
    light: str
    gap: float | None
    text: str
    facts: dict


def _warnings_of(indicator, params):
    """The ``IndicatorWarning`` of each rule that fired on ``indicator`` (its light's params)."""
    found = []
    for warning in params.get("warnings", []):
        facts = {**params, **warning}
        facts.pop("warnings", None)
        found.append(
            IndicatorWarning(
                indicator=indicator,
                rule=warning["rule"],
                light=REASONS[SubjectKind.INDICATOR][warning["rule"]].light,
                gap=warning.get("gap"),
                text=reason_text(SubjectKind.INDICATOR, warning["rule"], facts),
                facts=facts,
            )
        )
    return found


def indicator_warnings(campaign, indicators=None):
    """Every warning on the campaign's indicators, the worst first within each indicator.

    Read from the stored lights, so it shows what the last recompute found.
    """
    indicators = list(indicators if indicators is not None else campaign.indicators.all())
    states = lights_for(SubjectKind.INDICATOR, [i.pk for i in indicators], campaign=campaign)
    found = []
    for indicator in indicators:
        state = states.get(indicator.pk)
        if state is not None:
            found += _warnings_of(indicator, state.params)
    return found


def warnings_on_figures(campaign, indicators, observations, month, today=None):
    """The warnings the rules give on ``observations`` alone, for the months up to ``month``.

    A document that tabulates some figures derives its warnings from those same
    figures with this, so its table and its warnings never tell two moments apart.
    ``observations`` are ``Observation`` rows with their area loaded.
    """
    rules = Rules.of(policy_for(campaign), today or timezone.localdate())
    figures = indicator_figures(
        (o.indicator_id, o.area.level, o.month, o.level, o.growth_pct)
        for o in observations
        if o.month <= month
    )
    found = []
    for indicator, _reason, params in judge_indicators(
        campaign, rules, figures, list(indicators), last_month=month
    ):
        found += _warnings_of(indicator, params)
    return found


# Kinds in the order they are judged: a roll-up reads the lights written before it.
PIPELINE = [
    (SubjectKind.MILESTONE, milestone_rows),
    (SubjectKind.PROJECT, project_rows),
    (SubjectKind.UNIT, unit_rows),
    (SubjectKind.INDICATOR, indicator_rows),
]


# --- writing -------------------------------------------------------------------------------


# Scratch table: one kind's subjects as judged now, beside their stored state.
JUDGED = "supervision_judged"

_COLUMNS = (
    "id",
    "campaign_id",
    "kind",
    "object_id",
    "unit_id",
    "light",
    "from_light",
    "to_light",
    "reason",
    "params",
    "as_of",
    "at",
    "since",
    "since_date",
)

# Judge every subject once and set it beside its stored state (none for a new one):
# ``changed`` says the state must be written, ``old_light`` is the light it had.
JUDGE_SQL = (
    "CREATE TEMPORARY TABLE {judged} AS "
    "SELECT c.s_object, c.s_unit, c.s_reason, c.s_params, c.s_light, "
    "s.{id} AS old_id, s.{light} AS old_light, "
    "CASE WHEN s.{id} IS NULL OR s.{light} <> c.s_light OR s.{reason} <> c.s_reason "
    "OR s.{params} <> c.s_params OR COALESCE(s.{unit_id}, 0) <> COALESCE(c.s_unit, 0) "
    "THEN 1 ELSE 0 END AS changed "
    "FROM (SELECT c0.s_object, c0.s_unit, c0.s_reason, c0.s_params, {light_sql} AS s_light "
    "FROM ({rows_sql}) c0) c "
    "LEFT JOIN {state} s "
    "ON s.{kind} = %s AND s.{object_id} = c.s_object AND s.{campaign_id} = %s"
)

# An event for each subject whose light is new or changed.
EVENTS_SQL = (
    "INSERT INTO {event} ({campaign_id}, {kind}, {object_id}, {unit_id}, {from_light}, "
    "{to_light}, {reason}, {params}, {as_of}, {at}) "
    "SELECT %s, %s, c.s_object, c.s_unit, COALESCE(c.old_light, ''), c.s_light, "
    "c.s_reason, c.s_params, %s, %s FROM {judged} c "
    "WHERE c.old_id IS NULL OR c.old_light <> c.s_light"
)

# Only the subjects whose state differs reach the upsert, so a quiet day rewrites
# almost nothing; the since columns move only when the light does. (The WHERE also
# lets SQLite tell the upsert's ON from a join's.)
UPSERT_SQL = (
    "INSERT INTO {state} ({campaign_id}, {kind}, {object_id}, {unit_id}, {light}, "
    "{reason}, {params}, {since}, {since_date}) "
    "SELECT %s, %s, c.s_object, c.s_unit, c.s_light, c.s_reason, c.s_params, %s, %s "
    "FROM {judged} c WHERE c.changed = 1 "
    "ON CONFLICT ({kind}, {object_id}, {campaign_id}) DO UPDATE SET "
    "{since} = CASE WHEN {state}.{light} = excluded.{light} THEN {state}.{since} "
    "ELSE excluded.{since} END, "
    "{since_date} = CASE WHEN {state}.{light} = excluded.{light} "
    "THEN {state}.{since_date} ELSE excluded.{since_date} END, "
    "{light} = excluded.{light}, {unit_id} = excluded.{unit_id}, "
    "{reason} = excluded.{reason}, {params} = excluded.{params}"
)

# A subject deleted or moved out of the campaign has no light here any more. After the
# upsert every judged subject has a state, so states outnumber judged subjects exactly
# when some are gone: that comparison comes first, and the usual case (nothing gone,
# however many subjects are new) skips the scan. NOT IN lets both databases hash the
# judged subjects once rather than search the unindexed scratch table per state.
DELETE_GONE_SQL = (
    "DELETE FROM {state} WHERE {campaign_id} = %s AND {kind} = %s "
    "AND (SELECT COUNT(*) FROM {state} g WHERE g.{campaign_id} = %s AND g.{kind} = %s) "
    "> (SELECT COUNT(*) FROM {judged} c) "
    "AND {object_id} NOT IN (SELECT c.s_object FROM {judged} c)"
)


def _write(rows, *, kind, campaign, as_of, now):
    """Store the lights of ``rows``: an event for each change, the states that differ.

    The subjects are judged once into a temporary table beside their stored states;
    then one statement adds the events, one upserts the states that differ, one drops
    the states of subjects gone. The statement count does not depend on the number of
    subjects. Returns the number of events added.
    """
    connection = connections[rows.db]
    qn = connection.ops.quote_name
    names = {name: qn(name) for name in _COLUMNS}
    tables = {
        "state": qn(LightState._meta.db_table),
        "event": qn(LightEvent._meta.db_table),
        "judged": qn(JUDGED),
    }
    rows_sql, rows_params = _compiled(rows)
    light_sql, light_params = _light_sql(kind)
    day = connection.ops.adapt_datefield_value(as_of)
    moment = connection.ops.adapt_datetimefield_value(now)
    subject = [str(kind), campaign.pk]

    def sql(template, **parts):
        return template.format(**tables, **names, **parts)

    statements = [
        (
            sql(JUDGE_SQL, light_sql=light_sql, rows_sql=rows_sql),
            [*light_params, *rows_params, *subject],
        )
    ]
    events_at = len(statements)
    statements += [
        (sql(EVENTS_SQL), [campaign.pk, str(kind), day, moment]),
        (sql(UPSERT_SQL), [campaign.pk, str(kind), moment, day]),
        (sql(DELETE_GONE_SQL), [campaign.pk, str(kind), campaign.pk, str(kind)]),
        (sql("DROP TABLE {judged}"), []),
    ]
    events = 0
    with connection.cursor() as cursor:
        for i, (statement, params) in enumerate(statements):
            cursor.execute(statement, params)
            if i == events_at:
                events = max(cursor.rowcount, 0)
    return events


@dataclass
class RecomputeResult:
    """What a recompute left: subjects per kind and light, and how many lights changed."""

    campaign: str
    as_of: datetime.date
    events: int = 0
    counts: dict = field(default_factory=dict)

    def count(self, kind, light):
        """How many subjects of ``kind`` now have ``light``."""
        return self.counts.get(str(kind), {}).get(str(light), 0)


def recompute(campaign, today=None):
    """Judge every subject of ``campaign`` as of ``today`` and store what changed.

    Set-based: a fixed number of statements per kind. Runs in one transaction that holds
    the campaign row, so two recomputes of one campaign never write the same change twice.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    result = RecomputeResult(campaign=campaign.code, as_of=today)
    # A first recompute of a city writes most of a million states and events.
    with transaction.atomic(), sqlite_cache(using=campaign._state.db or "default"):
        # FOR NO KEY UPDATE: serialises recomputes without blocking inserts that
        # reference the campaign. SQLite serialises writers by itself.
        list(
            Campaign.objects.select_for_update(no_key=True)
            .filter(pk=campaign.pk)
            .values_list("pk", flat=True)
        )
        rules = Rules.of(policy_for(campaign), today)
        for kind, rows_of in PIPELINE:
            result.events += _write(
                rows_of(campaign, rules), kind=kind, campaign=campaign, as_of=today, now=now
            )
        counts = defaultdict(dict)
        for kind, light, n in (
            LightState.objects.filter(campaign=campaign)
            .order_by()
            .values_list("kind", "light")
            .annotate(n=Count("pk"))
        ):
            counts[kind][light] = n
        result.counts = dict(counts)
        # One statement: the pages' "lights as of" moves with every recompute.
        LightRecompute.objects.bulk_create(
            [LightRecompute(campaign=campaign, at=now, as_of=today, events=result.events)],
            update_conflicts=True,
            unique_fields=["campaign"],
            update_fields=["at", "as_of", "events"],
        )
    log.info(
        "lights of %s as of %s: %s changes, %s", campaign.code, today, result.events, result.counts
    )
    return result


# --- reading -------------------------------------------------------------------------------


def last_recompute(campaign):
    """The campaign's last ``LightRecompute`` (its ``at`` is the lights' as-of), or None."""
    return LightRecompute.objects.filter(campaign=campaign).first()


def lights_for(kind, ids, *, campaign=None):
    """``{object_id: LightState}`` for the given subjects, in one query.

    Units have a light per campaign: pass ``campaign`` for them.
    """
    states = LightState.objects.filter(kind=kind, object_id__in=list(ids))
    if campaign is not None:
        states = states.filter(campaign=campaign)
    return {state.object_id: state for state in states}


def annotate_light(queryset, kind, *, campaign=None, name="light"):
    """Add the subject's light (and its reason code as ``<name>_reason``) to each row.

    One query for a whole page; filter or order on ``name`` like on a column. The
    queryset should already be narrowed by ``org.access.restrict``.
    """
    states = LightState.objects.filter(kind=kind, object_id=OuterRef("pk"))
    if campaign is not None:
        states = states.filter(campaign=campaign)
    return queryset.annotate(
        **{
            name: Subquery(states.values("light")[:1]),
            name + "_reason": Subquery(states.values("reason")[:1]),
        }
    )


def light_counts(campaign, kind):
    """``{light: count}`` of the subjects of ``kind`` in the campaign."""
    rows = (
        LightState.objects.filter(campaign=campaign, kind=kind)
        .order_by()
        .values_list("light")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def history(kind, object_id, *, campaign=None):
    """The changes of one subject's light, oldest first."""
    events = LightEvent.objects.filter(kind=kind, object_id=object_id)
    if campaign is not None:
        events = events.filter(campaign=campaign)
    return events.order_by("as_of", "at", "pk")


def pace_light(actual, expected, policy, *, closed=False):
    """The light of a target against today's checkpoint (序时进度).

    Points behind = 100 × (expected − actual) ÷ expected, judged with the same
    thresholds as a project's schedule: below the yellow threshold green, up to the red
    threshold yellow, beyond it red. Grey when there is no checkpoint to judge against.
    Once the target's period is over (``closed``) there is no catching up: short of the
    value is red, however little.
    """
    if expected is None or expected <= 0:
        return Light.GREY, None
    points = round(100 * (float(expected) - float(actual)) / float(expected), 1)
    if closed:
        return (Light.RED, points) if points > 0 else (Light.GREEN, 0)
    if points > policy.project_red_points:
        return Light.RED, points
    if points >= policy.project_yellow_points:
        return Light.YELLOW, points
    return Light.GREEN, max(points, 0)
