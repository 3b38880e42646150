"""Synthetic monthly statistics: a plausible year of the indicators for the district and its comparators.

Deterministic for a seed. Each indicator has a yearly size and a path of cumulative
growth for the district, the city and the province; months follow a seasonal shape.
A few indicators lag on purpose, so warnings and gaps show something real:
financial value added misses the first quarter's +10 % target, fixed-asset investment
grows slower than the province and the city, and retail sales slip below the province
late in the year. Figures are those the statistics bureau's reporter would have
entered around the middle of the following month; two are revised a few days later.
Every row gets its change-log entry, written in bulk.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from vanguard.audit.choices import DEMO_REASON, ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.indicators.actions import do_link_responsible_units, last_complete_month
from vanguard.indicators.choices import AreaLevel, ObservationSource
from vanguard.indicators.models import Area, Indicator, Observation
from vanguard.org.access import SYSTEM

# code: (yearly level of the district in its unit or None, district growth in January,
#        change of the district's growth over the year, city growth, province growth)
PROFILES = {
    "gdp": (5200, 7.1, -0.8, 5.6, 5.8),
    "finance_value_added": (420, 8.6, 0.6, 7.5, 7.0),
    "industrial_value_added": (None, 8.6, -1.0, 7.2, 7.6),
    "fixed_asset_investment": (None, 1.6, 0.8, 2.6, 3.4),
    "retail_sales": (980, 5.6, -0.9, 5.0, 5.2),
    "budget_revenue": (310, 4.0, 0.3, 3.2, 2.8),
    "foreign_trade": (1900, 7.5, -1.5, 4.5, 3.8),
}
# An indicator the plan adds later gets a middling profile.
DEFAULT_PROFILE = (None, 5.0, 0.0, 4.8, 5.0)
# Share of each month in a year's total (January and February are light, December heavy).
SEASON = [6.5, 6.8, 8.4, 8.1, 8.3, 8.9, 8.0, 8.1, 8.6, 8.3, 8.6, 11.4]
REPORTER = "reporter_tjj"
CENT = Decimal("0.01")
TENTH = Decimal("0.1")


# The latest day of the next month a month's figures are entered on (the 20th, and four
# days more for a revision): a month is in the demo only once that day has passed.
LAST_ENTRY_DAY = 24


def _months(campaign, today):
    """The campaign's months whose figures the bureau has entered by ``today``."""
    last = min(last_complete_month(today), datetime.date(campaign.year, 12, 1))
    if last.year != campaign.year:
        return []
    months = [datetime.date(campaign.year, m, 1) for m in range(1, last.month + 1)]
    return [m for m in months if _entered_by(m) <= today]


def _entered_by(month):
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    return following.replace(day=LAST_ENTRY_DAY)


def _growth_path(rng, start, change, months):
    """Cumulative growth by month: a drift over the year, noise that cumulation smooths."""
    path, wobble = {}, 0.0
    for month in months:
        wobble = 0.6 * wobble + rng.uniform(-0.35, 0.35)
        value = start + change * (month.month - 1) / 11 + wobble
        path[month] = Decimal(str(value)).quantize(TENTH, rounding=ROUND_HALF_UP)
    return path


def _levels(rng, yearly, months):
    """Cumulative levels: the year's size spread over the months with a little noise."""
    weights = [w * rng.uniform(0.95, 1.05) for w in SEASON]
    total = sum(weights)
    levels = {}
    for month in months:
        running = yearly * sum(weights[: month.month]) / total
        levels[month] = Decimal(str(running)).quantize(CENT, rounding=ROUND_HALF_UP)
    return levels


def _published_at(rng, month, days_later=0):
    """When the figures of a month were entered: around the 16th to 20th of the next month."""
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    day = following.replace(day=rng.randint(16, 20)) + datetime.timedelta(days=days_later)
    moment = datetime.datetime.combine(day, datetime.time(9, rng.randint(0, 59)))
    return timezone.make_aware(moment)


def generate(rng, scale, campaign, today):
    """Create a year of observations (January to the last month over) for every area."""
    do_link_responsible_units(campaign, actor=SYSTEM)
    areas = {a.level: a for a in Area.objects.filter(campaign=campaign)}
    months = _months(campaign, today)
    if not months or AreaLevel.DISTRICT not in areas:
        return 0
    reporter = get_user_model().objects.filter(username=REPORTER).first()
    rows = []
    for indicator in Indicator.objects.filter(campaign=campaign).order_by("sort_order"):
        yearly, start, change, city, province = PROFILES.get(indicator.code, DEFAULT_PROFILE)
        published = [m for m in months if indicator.published_in(m)]
        paths = {
            AreaLevel.DISTRICT: _growth_path(rng, start, change, published),
            AreaLevel.CITY: _growth_path(rng, city, 0.0, published),
            AreaLevel.PROVINCE: _growth_path(rng, province, 0.0, published),
        }
        levels = _levels(rng, yearly, published) if yearly and indicator.has_level else {}
        for level, path in paths.items():
            area = areas.get(level)
            if area is None:
                continue
            for month in published:
                rows.append(
                    Observation(
                        indicator=indicator,
                        area=area,
                        month=month,
                        level=levels.get(month) if level == AreaLevel.DISTRICT else None,
                        growth_pct=path[month],
                        version=1,
                        is_current=True,
                        source=ObservationSource.DEMO,
                        recorded_by=reporter,
                        recorded_at=_published_at(rng, month),
                    )
                )
    revised = _revisions(rng, rows, reporter)
    created = Observation.objects.bulk_create(rows, batch_size=1000)
    for old, new in revised:
        new.supersedes = old
    created += Observation.objects.bulk_create([new for _old, new in revised])
    changes = [
        Change(o, ChangeAction.CREATE, after=snapshot(o), reason=DEMO_REASON) for o in created
    ]
    record_changes(changes, actor=None)
    return len(created)


def _revisions(rng, rows, reporter):
    """Revise two district figures of recent months, as the bureau does on final figures."""
    district = [o for o in rows if o.area.level == AreaLevel.DISTRICT and o.level is not None]
    latest = max((o.month for o in district), default=None)
    if latest is None:
        return []
    candidates = [o for o in district if o.month == latest and o.indicator.code != "gdp"]
    revised = []
    for old in rng.sample(candidates, min(2, len(candidates))):
        old.is_current = False
        delta = Decimal(str(rng.choice([-0.3, -0.2, 0.1, 0.2])))
        revised.append(
            (
                old,
                Observation(
                    indicator=old.indicator,
                    area=old.area,
                    month=old.month,
                    level=(old.level * (1 + delta / 100)).quantize(CENT, rounding=ROUND_HALF_UP),
                    growth_pct=old.growth_pct + delta,
                    version=2,
                    is_current=True,
                    source=ObservationSource.DEMO,
                    reason="统计局终审数据修订",
                    recorded_by=reporter,
                    recorded_at=old.recorded_at + datetime.timedelta(days=4),
                ),
            )
        )
    return revised
