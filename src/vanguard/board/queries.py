"""Reads for the overview and the board, scoped by org.access."""

from collections import OrderedDict

from django.db.models import Prefetch

from vanguard.org.access import restrict
from vanguard.org.choices import Battle
from vanguard.org.models import TaskForce
from vanguard.targets.choices import TargetKind
from vanguard.targets.models import Checkpoint, Target
from vanguard.targets.pace import expected_at


def overview(campaign, user, today):
    """Targets of ``campaign`` grouped by battle, each with today's checkpoint value."""
    task_forces = {
        tf.battle: tf for tf in restrict(TaskForce.objects.filter(campaign=campaign), user)
    }
    targets = (
        restrict(Target.objects.filter(campaign=campaign), user)
        .select_related("task_force")
        .prefetch_related(Prefetch("checkpoints", queryset=Checkpoint.objects.order_by("end_date")))
        .order_by("sort_order", "code")
    )
    groups = OrderedDict((value, []) for value, _label in Battle.choices)
    for target in targets:
        target.expected_today = expected_at(target, today)
        groups[target.battle].append(target)
    battles = [
        {
            "code": code,
            "label": Battle(code).label,
            "task_force": task_forces.get(code),
            "targets": items,
        }
        for code, items in groups.items()
    ]
    return {"battles": battles, "target_count": sum(len(b["targets"]) for b in battles)}


def trajectory_chart(target, checkpoints, today):
    """ECharts data for a target's month checkpoints, with today's expected value marked."""
    months = [c for c in checkpoints if c.period_kind == "month"]
    # Projects and roads come whole: a count's checkpoints read as whole numbers.
    whole = target.kind == TargetKind.COUNT
    return {
        "labels": [c.period for c in months],
        "values": [round(float(c.value)) if whole else float(c.value) for c in months],
        "target": float(target.value) if target.value is not None else None,
        "unit": target.unit_of_measure,
        "today": today.isoformat(),
        "today_value": float(v) if (v := expected_at(target, today)) is not None else None,
    }
