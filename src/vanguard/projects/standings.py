"""Where the projects battle's targets stand: certified counts against today's checkpoint.

Registered with ``targets.standings`` for the ``projects.`` measures. The counts are
those of ``progress.target_progress`` (only certified stages count, in the period they
were certified), summed from counts per day that read the certification-date indexes; the light is the engine's pace light (序时进度) with the campaign's thresholds.
"""

from decimal import Decimal

from django.db.models import Count, Max
from django.urls import reverse
from django.utils.translation import gettext as _

from vanguard.audit.log import newest_changes
from vanguard.calendar.periods import PeriodKind, periods_of_year
from vanguard.org.access import restrict
from vanguard.projects.models import Project
from vanguard.projects.progress import MEASURES, certified_as_of, counted
from vanguard.projects.queries import cached, projects_version
from vanguard.supervision.lights import pace_light, policy_for
from vanguard.supervision.models import LightPolicy
from vanguard.targets.pace import expected_at
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
    """Certified counts per day for each measure: one grouped query a measure, kept
    under the projects' version for readers of every unit (``queries.cached``)."""
    projects = restrict(Project.objects.filter(campaign=campaign), user)

    def compute():
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

    name = "per-day.{}.{}.{}".format(",".join(sorted(measures)), start, end)
    return cached(name, projects_version(user, campaign), compute)


def standings_version(campaign):
    """What the standings read moves with: the campaign's projects (every project write
    stamps ``updated_at``: a stage certified, its dates, the lead unit that scopes it)
    and the light policy as recorded changed. One probe of each index."""
    last = Project.objects.filter(campaign=campaign).aggregate(last=Max("updated_at"))["last"]
    return last, newest_changes(LightPolicy)


def project_standings(campaign, targets, user, today):
    """Each projects target's certified count to date, from counts per day (index scans)."""
    targets = [t for t in targets if t.measure in MEASURES]
    if not targets:
        return {}
    policy = policy_for(campaign)
    as_of = certified_as_of(campaign, user)
    start = min(t.period_start for t in targets)
    per_day = _per_day(campaign, user, {t.measure for t in targets}, start, today)
    sources = _sources()
    url = reverse("projects:progress")
    found = {}
    for target in targets:
        last = min(today, target.period_end)
        days = [
            (day, n) for day, n in per_day[target.measure] if target.period_start <= day <= last
        ]
        actual = sum(n for _day, n in days)
        expected = expected_at(target, today)
        light, _points = pace_light(actual, expected, policy, closed=today > target.period_end)
        trend = tuple(sum(n for day, n in days if day <= end) for end in _month_ends(target, today))
        found[target.pk] = Standing(
            actual=Decimal(actual),
            expected=expected,
            gap=None
            if expected is None
            else max(Decimal(0), expected - actual).quantize(Decimal(1)),
            light=str(light),
            as_of=as_of,
            source=sources[target.measure],
            url=url,
            trend=trend[-12:],
            actual_display="{}{}".format(actual, target.unit_of_measure),
        )
    return found
