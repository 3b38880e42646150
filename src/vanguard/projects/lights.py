"""The status-light rules of major projects: key nodes, projects, and the units that lead them.

Registered with the one light engine (``supervision.kinds.register``) when the app is
ready; the engine judges, stores and reads them like every kind. The rules, with the
thresholds of the campaign's ``LightPolicy`` (defaults in brackets):

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
"""

import datetime

from django.db import connections, models
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
from django.db.models.functions import Coalesce, Concat, JSONObject
from django.utils.translation import gettext_lazy as _

from vanguard.org.choices import Battle
from vanguard.org.models import Unit
from vanguard.projects.choices import MilestoneState, Stage
from vanguard.projects.models import Milestone, Project
from vanguard.supervision.choices import Light
from vanguard.supervision.kinds import LightRules, register
from vanguard.supervision.lights import JudgedSql, json_object_sql, subject_rows, warning_date
from vanguard.supervision.models import LightState
from vanguard.supervision.reasons import Reason


class SubjectKind(models.TextChoices):
    """The subjects the projects' rules light, as the engine stores their kind."""

    MILESTONE = "milestone", _("Key node")
    PROJECT = "project", _("Major project")
    UNIT = "unit", _("Unit")


def milestone_rows(campaign, judging):
    """The light of every key node of the campaign's projects."""
    policy = judging.policy
    warn_until = warning_date(judging.today, policy.node_warning_working_days, judging.calendar)
    reason = Case(
        When(state=MilestoneState.NOT_NEEDED, then=Value("not_needed")),
        When(state=MilestoneState.DONE, then=Value("done")),
        When(planned_date__isnull=True, then=Value("no_plan")),
        When(planned_date__lt=judging.today, then=Value("overdue")),
        When(planned_date__lte=warn_until, then=Value("due_soon")),
        default=Value("on_schedule"),
        output_field=CharField(),
    )
    return subject_rows(
        Milestone.objects.filter(project__campaign=campaign),
        object_id=F("pk"),
        unit=F("project__lead_unit_id"),
        reason=reason,
        params=JSONObject(
            planned=F("planned_date"),
            actual=F("actual_date"),
            warning_days=Value(policy.node_warning_working_days),
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


# The project rules over one row of per-project counts (``a``), so that each count is
# computed once: written in Django expressions, every reference to an aggregate repeats
# it in the SQL, and the database evaluated the node counts about twenty times per node.
# The reason codes are fixed words of these rules (REASONS below), not input.
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


def project_rows(campaign, judging):
    """The light of every project of the campaign (module docstring: schedule, stages)."""
    today, policy = judging.today, judging.policy
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
            n_expected=Count("milestones", filter=counted & Q(milestones__planned_date__lte=today)),
            n_done=Count("milestones", filter=counted & Q(milestones__state=MilestoneState.DONE)),
            n_red=Count(
                "milestones",
                filter=Q(
                    milestones__state=MilestoneState.PENDING,
                    milestones__planned_date__lt=today,
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
    params = json_object_sql(
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
            policy.project_red_points,
            day(today - datetime.timedelta(days=policy.stage_red_days)),
            policy.project_yellow_points,
            day(today - datetime.timedelta(days=policy.stage_yellow_days)),
            *counts_params,
        ],
        db=counts.db,
    )


def unit_rows(campaign, judging):
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
    red_percent = int(judging.policy.unit_red_share * 100)
    yellow_percent = int(judging.policy.unit_yellow_share * 100)
    reason = Case(
        When(n_judged=0, then=Value("no_data")),
        When(
            Q(red100__gte=F("n_judged") * red_percent),
            then=Value("red_share"),
        ),
        When(n_red__gt=0, then=Value("has_red")),
        When(
            Q(lagging100__gte=F("n_judged") * yellow_percent),
            then=Value("lagging_share"),
        ),
        default=Value("on_schedule"),
        output_field=CharField(),
    )
    return subject_rows(
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


# --- what each reason means, and how the engine names a subject ------------------------------

REASONS = {
    SubjectKind.MILESTONE: {
        "done": Reason(Light.GREEN, _("Done on {actual}.")),
        "not_needed": Reason(Light.GREEN, _("Not needed for this project.")),
        "no_plan": Reason(Light.GREY, _("No planned date.")),
        "overdue": Reason(Light.RED, _("Overdue: planned for {planned} and not done.")),
        "due_soon": Reason(
            Light.YELLOW,
            _("Due on {planned}, within {warning_days} working days, and not done."),
        ),
        "on_schedule": Reason(Light.GREEN, _("Planned for {planned}.")),
    },
    SubjectKind.PROJECT: {
        "red_nodes": Reason(Light.RED, _("{red_nodes} key node(s) overdue.")),
        "far_behind_schedule": Reason(
            Light.RED, _("{points_behind} percentage points behind the schedule to date.")
        ),
        "stage_far_late": Reason(
            Light.RED, _("{stage} was planned for {stage_due} and is not reached.")
        ),
        "behind_schedule": Reason(
            Light.YELLOW, _("{points_behind} percentage points behind the schedule to date.")
        ),
        "stage_late": Reason(
            Light.YELLOW, _("{stage} was planned for {stage_due} and is not reached.")
        ),
        "no_plan": Reason(Light.GREY, _("No planned dates to judge against.")),
        "on_schedule": Reason(Light.GREEN, _("On schedule.")),
    },
    SubjectKind.UNIT: {
        "red_share": Reason(Light.RED, _("{red} of {judged} projects are red.")),
        "has_red": Reason(Light.YELLOW, _("{red} of {judged} projects are red.")),
        "lagging_share": Reason(
            Light.YELLOW, _("{lagging} of {judged} projects are red or yellow.")
        ),
        "no_data": Reason(Light.GREY, _("None of its projects can be judged yet.")),
        "on_schedule": Reason(Light.GREEN, _("{green} of {judged} projects are green.")),
    },
}


def _stage_label(facts):
    """The stage a project's reason names, in the reader's words."""
    if facts.get("stage") in Stage.values:
        facts = {**facts, "stage": Stage(facts["stage"]).label}
    return facts


def _project_code():
    return Subquery(Project.objects.filter(pk=OuterRef("object_id")).values("code")[:1])


def _milestone_code():
    """``code/node``: the project's code and the key node's."""
    named = Milestone.objects.filter(pk=OuterRef("object_id")).annotate(
        label=Concat(F("project__code"), Value("/"), F("node__code"), output_field=CharField())
    )
    return Subquery(named.values("label")[:1])


def _milestone_name():
    """A key node as people name it: its project's code and name, and the node's name."""
    named = Milestone.objects.filter(pk=OuterRef("object_id")).annotate(
        label=Concat(
            F("project__code"),
            Value(" "),
            F("project__name"),
            Value(" "),
            F("node__name"),
            output_field=CharField(),
        )
    )
    return Subquery(named.values("label")[:1])


def _unit_code():
    return Subquery(Unit.objects.filter(pk=OuterRef("object_id")).values("code")[:1])


def _unit_name():
    """A unit as people name it: its Chinese name, not its code."""
    return Subquery(Unit.objects.filter(pk=OuterRef("object_id")).values("name")[:1])


def register_lights():
    """Register key nodes, projects and their lead units with the light engine.

    In this order: a project reads no stored light, a unit reads its projects' lights.
    """
    register(
        SubjectKind.MILESTONE,
        LightRules(
            label=SubjectKind.MILESTONE.label,
            group=Battle.PROJECTS,
            judge=milestone_rows,
            reasons=REASONS[SubjectKind.MILESTONE],
            subject_code=_milestone_code,
            subject_name=_milestone_name,
        ),
    )
    register(
        SubjectKind.PROJECT,
        LightRules(
            label=SubjectKind.PROJECT.label,
            group=Battle.PROJECTS,
            judge=project_rows,
            reasons=REASONS[SubjectKind.PROJECT],
            subject_code=_project_code,
            facts=_stage_label,
        ),
    )
    register(
        SubjectKind.UNIT,
        LightRules(
            label=SubjectKind.UNIT.label,
            group=Battle.PROJECTS,
            judge=unit_rows,
            reasons=REASONS[SubjectKind.UNIT],
            reads=(SubjectKind.PROJECT,),
            subject_code=_unit_code,
            subject_name=_unit_name,
        ),
    )


def subject_links():
    """kind -> (object_id, code) -> the subject's page, for supervision orders."""
    from django.urls import reverse

    def milestone(object_id, label):
        # By id: an order names a key node for people, not by its codes.
        return reverse("projects:milestone_by_id", args=[object_id])

    def unit(object_id, label):
        # By id: a unit is named by its name, its page is found by its code.
        code = Unit.objects.filter(pk=object_id).values_list("code", flat=True).first()
        return reverse("org:unit_detail", args=[code]) if code else ""

    return {
        SubjectKind.MILESTONE: milestone,
        SubjectKind.PROJECT: lambda object_id, code: reverse("projects:detail", args=[code]),
        SubjectKind.UNIT: unit,
    }
