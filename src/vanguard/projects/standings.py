"""Where the projects battle's targets stand: certified counts against today's checkpoint.

Registered with ``targets.standings`` for the ``projects.`` measures. The counts are
``progress.target_progress``'s (only certified stages count, in the period they were
certified); the light is the engine's pace light (序时进度) with the campaign's thresholds.
"""

from decimal import Decimal

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from vanguard.calendar.periods import PeriodKind, periods_of_year
from vanguard.org.access import restrict
from vanguard.projects.models import Project
from vanguard.projects.progress import MEASURES, certified_as_of, counted, target_progress
from vanguard.supervision.lights import pace_light, policy_for
from vanguard.targets.standings import Standing


def _sources():
    return {
        "projects.introduced.size_1e8": _(
            "projects of 100 million yuan or more, introduction certified"
        ),
        "projects.introduced.size_5e9": _(
            "projects of 5 billion yuan or more, introduction certified"
        ),
        "projects.started": _("projects whose start is certified"),
        "projects.completed": _("projects whose completion is certified"),
    }


def _month_ends(target, today):
    years = range(target.period_start.year, min(target.period_end, today).year + 1)
    return [
        month.end
        for year in years
        for month in periods_of_year(PeriodKind.MONTH, year)
        if target.period_start <= month.end and month.start <= min(target.period_end, today)
    ]


def _per_day(campaign, user, measures, start, end):
    """Certified counts per day for each measure: one grouped query a measure."""
    projects = restrict(Project.objects.filter(campaign=campaign), user)
    found = {}
    for measure in measures:
        date_field = MEASURES[measure][0]
        found[measure] = list(
            projects.filter(counted(measure, start, end))
            .values_list(date_field)
            .annotate(n=Count("pk"))
            .order_by()
        )
    return found


def project_standings(campaign, targets, user, today):
    wanted = {t.pk for t in targets if t.measure in MEASURES}
    if not wanted:
        return {}
    progress = [
        p for p in target_progress(campaign, user, today, per_unit=False) if p.target.pk in wanted
    ]
    policy = policy_for(campaign)
    as_of = certified_as_of(campaign, user)
    start = min(p.target.period_start for p in progress) if progress else today
    per_day = _per_day(campaign, user, {p.target.measure for p in progress}, start, today)
    sources = _sources()
    url = reverse("projects:progress")
    found = {}
    for p in progress:
        target = p.target
        light, _points = pace_light(p.actual, p.expected, policy, closed=today > target.period_end)
        days = [(day, n) for day, n in per_day[target.measure] if day >= target.period_start]
        trend = tuple(sum(n for day, n in days if day <= end) for end in _month_ends(target, today))
        found[target.pk] = Standing(
            actual=Decimal(p.actual),
            expected=p.expected,
            gap=p.gap,
            light=str(light),
            as_of=as_of,
            source=sources[target.measure],
            url=url,
            trend=trend[-12:],
            actual_display="{}{}".format(p.actual, target.unit_of_measure),
        )
    return found
