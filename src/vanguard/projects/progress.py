"""Counting certified facts against the projects battle's targets, and the progress charts.

Only certified facts count: a project counts as introduced, started or completed in
the period in which that stage was certified (``*_certified_on``), with the date it
actually happened kept beside it. Every figure is one aggregate query: all targets'
counts together, and the per-unit counts grouped in SQL.
"""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q
from django.utils import timezone

from vanguard.calendar.periods import PeriodKind, period_containing, periods_of_year
from vanguard.org.access import SYSTEM, access_for, restrict
from vanguard.org.choices import Battle
from vanguard.org.models import Unit
from vanguard.projects.choices import SizeClass
from vanguard.projects.models import Project, StageChange
from vanguard.projects.queries import (
    cached,
    projects_version,
    sector_choices,
    stage_counts,
)
from vanguard.targets.models import Target
from vanguard.targets.pace import expected_at

# measure -> (the certification-date field, the size classes that count; None = all)
MEASURES = {
    "projects.introduced.size_1e8": (
        "introduced_certified_on",
        (SizeClass.SIZE_1E8, SizeClass.SIZE_5E9),
    ),
    "projects.introduced.size_5e9": ("introduced_certified_on", (SizeClass.SIZE_5E9,)),
    "projects.started": ("started_certified_on", None),
    "projects.completed": ("completed_certified_on", None),
}


def counted(measure, start, end):
    """A Q matching the projects that count toward ``measure`` between two dates."""
    date_field, sizes = MEASURES[measure]
    q = Q(**{date_field + "__gte": start, date_field + "__lte": end})
    if sizes:
        q &= Q(size_class__in=sizes)
    return q


@dataclass
class TargetProgress:
    """A target's certified count to date beside where it should stand today."""

    target: Target
    actual: int
    expected: Decimal | None
    by_unit: list = field(default_factory=list)

    @property
    def value(self):
        return self.target.value

    @property
    def gap(self):
        """How many are missing against today's checkpoint (0 when on or ahead of pace)."""
        if self.expected is None:
            return None
        return max(Decimal(0), self.expected - self.actual).quantize(Decimal(1))

    @property
    def remaining(self):
        """How many are still to come to reach the target's whole value."""
        return max(Decimal(0), self.target.value - self.actual)

    @property
    def percent(self):
        """The actual count as a percentage of the whole target."""
        if not self.target.value:
            return None
        return round(Decimal(100) * self.actual / self.target.value, 1)

    @property
    def pace_percent(self):
        """The actual count as a percentage of today's checkpoint (序时进度)."""
        if not self.expected:
            return None
        return round(Decimal(100) * self.actual / self.expected, 1)


def _targets(campaign):
    return list(
        Target.objects.filter(campaign=campaign, battle=Battle.PROJECTS, measure__in=MEASURES)
        .prefetch_related("checkpoints")
        .order_by("sort_order", "code")
    )


def target_progress(campaign, user, today, *, per_unit=True):
    """Progress of every projects target, overall and (optionally) per lead unit."""
    targets = _targets(campaign)
    projects = restrict(Project.objects.filter(campaign=campaign), user)
    bounds = {t.code: (t.measure, t.period_start, min(today, t.period_end)) for t in targets}
    aggregates = {code: Count("pk", filter=counted(*bound)) for code, bound in bounds.items()}
    # The counts change only when a project is written (a stage certified, a lead unit
    # or an amount changed): kept under the projects' version for readers of every unit.
    version = projects_version(user, campaign)
    name = "progress." + hashlib.sha256(repr(sorted(bounds.items())).encode()).hexdigest()[:16]
    totals = {}
    if aggregates:
        totals = cached(name, version, lambda: projects.aggregate(**aggregates))
    rows = []
    unit_rows = []
    if per_unit and aggregates:
        unit_rows = cached(
            name + ".units",
            version,
            lambda: list(
                projects.values("lead_unit__code", "lead_unit__name")
                .annotate(**aggregates)
                .order_by("lead_unit__code")
            ),
        )
    for t in targets:
        progress = TargetProgress(t, totals.get(t.code) or 0, expected_at(t, today))
        progress.by_unit = sorted(
            (
                (r["lead_unit__code"], r["lead_unit__name"], r[t.code])
                for r in unit_rows
                if r[t.code]
            ),
            key=lambda row: (-row[2], row[0]),
        )
        rows.append(progress)
    return rows


def month_ends(year, upto):
    """The last day of every month of ``year`` up to the month containing ``upto``."""
    return [m.end for m in periods_of_year(PeriodKind.MONTH, year) if m.start <= upto]


def progress_chart(campaign, user, month, units=None):
    """Data of the monthly progress chart (进度图) for the month containing ``month``.

    For introductions (≥1亿) and starts: the cumulative certified count at each month
    end of the year against the target's monthly checkpoints; the ranking of lead units
    by count in the year to date; and the counts by size class.

    Every query reads only the year to date of a (campaign, certified-on) index, not
    every project of the campaign: counts per day for the monthly series, counts per
    lead unit and size class for the ranking and the sizes. ``units`` keeps the first
    so many units of the ranking (a province ranks ten thousand); ``units_ranked`` says
    how many there are.
    """
    chosen = period_containing(PeriodKind.MONTH, month)
    year = chosen.start.year
    ends = month_ends(year, chosen.end)
    targets = {t.measure: t for t in _targets(campaign) if t.period == str(year)}
    projects = restrict(Project.objects.filter(campaign=campaign), user)
    version = projects_version(user, campaign)
    counts = cached(
        "chart.{}".format(chosen.label),
        version,
        lambda: _chart_counts(projects, datetime.date(year, 1, 1), chosen.end),
    )
    series = {}
    for measure in ("projects.introduced.size_1e8", "projects.started"):
        per_day = counts[measure]
        target = targets.get(measure)
        checkpoints = {}
        if target is not None:
            checkpoints = {
                c.end_date: float(c.value)
                for c in target.checkpoints.all()
                if c.period_kind == "month"
            }
        series[measure] = {
            "actual": [sum(n for day, n in per_day if day <= end) for end in ends],
            "checkpoint": [checkpoints.get(end) for end in ends],
            "target": float(target.value) if target is not None else None,
        }
    by_unit = counts["by_unit"]
    ranking = []
    if by_unit:
        # Only the units that can reach the first ``units`` places are named: those
        # counting at least as many as the last place (ties rank by name).
        wanted = list(by_unit)
        if units is not None and len(wanted) > units:
            cut = sorted(((-s, -i) for i, s in by_unit.values()))[units - 1]
            wanted = [pk for pk, (i, s) in by_unit.items() if (-s, -i) <= cut]
        # Names sorted by the database first, so that ties rank as its ORDER BY would.
        names = Unit.objects.filter(pk__in=wanted).order_by("name").values_list("pk", "name")
        ranking = sorted(
            ((name, *by_unit[pk]) for pk, name in names), key=lambda row: (-row[2], -row[1])
        )[:units]
    return {
        "month": chosen.label,
        "month_display": chosen.display_label,
        "months": [end.strftime("%Y-%m") for end in ends],
        "introduced": series["projects.introduced.size_1e8"],
        "started": series["projects.started"],
        "units_ranked": len(by_unit),
        "units": [row[0] for row in ranking],
        "unit_introduced": [row[1] for row in ranking],
        "unit_started": [row[2] for row in ranking],
        "sizes": [str(label) for value, label in SizeClass.choices],
        "size_introduced": [counts["size_introduced"].get(v, 0) for v in SizeClass.values],
        "size_started": [counts["size_started"].get(v, 0) for v in SizeClass.values],
    }


def _chart_counts(projects, start, end):
    """The chart's counts from ``start`` to ``end``: per certification day for each
    series, and per (lead unit, size class) for the ranking and the sizes."""
    counts = {}
    for measure in ("projects.introduced.size_1e8", "projects.started"):
        counts[measure] = list(
            projects.filter(counted(measure, start, end))
            .values_list(MEASURES[measure][0])
            .annotate(n=Count("pk"))
            .order_by()
        )
    # Introductions of any size count by size class; of ≥1亿 toward the unit ranking.
    introduced = _by_unit_and_size(
        projects, Q(introduced_certified_on__gte=start, introduced_certified_on__lte=end)
    )
    started = _by_unit_and_size(projects, counted("projects.started", start, end))
    ranked_sizes = MEASURES["projects.introduced.size_1e8"][1]
    by_unit = defaultdict(lambda: [0, 0])  # unit id -> [introduced ≥1亿, started]
    sizes = {"size_introduced": defaultdict(int), "size_started": defaultdict(int)}
    for (unit_id, size), n in introduced.items():
        sizes["size_introduced"][size] += n
        if size in ranked_sizes:
            by_unit[unit_id][0] += n
    for (unit_id, size), n in started.items():
        sizes["size_started"][size] += n
        by_unit[unit_id][1] += n
    counts["by_unit"] = dict(by_unit)
    counts.update({name: dict(per_size) for name, per_size in sizes.items()})
    return counts


def _by_unit_and_size(projects, condition):
    """``{(lead unit id, size class): count}`` of the projects matching ``condition``."""
    rows = (
        projects.filter(condition)
        .values_list("lead_unit_id", "size_class")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(unit_id, size): n for unit_id, size, n in rows}


def projects_as_of(campaign, user):
    """When the newest change to a project the user sees was written (the list's 数据截至)."""
    projects = restrict(Project.objects.filter(campaign=campaign), user)
    return projects.aggregate(last=Max("updated_at"))["last"]


def certified_as_of(campaign, user):
    """When the newest stage change the user sees was recorded (the charts' 数据截至).

    A stage moves only when it is certified or set by the office, so the charts' counts,
    for whatever month, hold every fact recorded up to this moment.
    """
    changes = restrict(StageChange.objects.filter(project__campaign=campaign), user)
    if access_for(user).sees_all_units:
        # The newest first, along the (at) index: the first change found is the answer,
        # where the maximum joined every stage change of a province to its project.
        return changes.order_by("-at").values_list("at", flat=True).first()
    # A unit's reader: its few changes, found through its projects.
    return changes.aggregate(last=Max("at"))["last"]


def make_kept_figures(campaign):
    """Make what the project list and the progress page keep for readers of every unit
    under the projects' version (the count, the stage counts, the sectors, the lead-unit
    drop-down, this month's certified counts), as the first of them would."""
    from vanguard.projects.views.projects import unit_options

    version = projects_version(SYSTEM, campaign)
    stage_counts(SYSTEM, campaign, version)
    sector_choices(SYSTEM, campaign, version)
    unit_options(SYSTEM, campaign, version, "")
    # As the progress page asks: this month, at most the campaign's last day.
    on = min(timezone.localdate(), campaign.end_date)
    target_progress(campaign, SYSTEM, on, per_unit=False)
    progress_chart(campaign, SYSTEM, on, units=1)
