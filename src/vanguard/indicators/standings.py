"""Where the indicators battle's targets stand: the district's published growth against them.

Registered with ``targets.standings`` for the ``indicators.`` measures. A growth target
is met when the district's cumulative growth reaches it; a relative one (增速高于全省、
全市) when it is above the comparators'. The light is the one engine's light of the
indicator (its warnings and forecast included); a target over a group of indicators (the
main indicators) takes the worst of theirs and counts how many are on target.
"""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from vanguard.audit.log import newest_changes
from vanguard.indicators.choices import AreaLevel
from vanguard.indicators.lights import SubjectKind
from vanguard.indicators.models import Area, Indicator, Observation
from vanguard.indicators.queries import latest_month, newest_recorded, overview
from vanguard.org.access import restrict
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import last_recompute, lights_for
from vanguard.targets.choices import TargetKind
from vanguard.targets.standings import GREY, Standing

WORST_FIRST = [Light.RED, Light.YELLOW, Light.GREEN, Light.GREY]


def _worst(lights):
    known = [light for light in lights if light in WORST_FIRST]
    return min(known, key=WORST_FIRST.index) if known else GREY


def _trends(campaign, user, indicator_ids):
    """The district's cumulative growth by month, per indicator: one query."""
    rows = (
        restrict(Observation.objects.current(), user)
        .filter(
            indicator_id__in=indicator_ids,
            area__level=AreaLevel.DISTRICT,
            month__year=campaign.year,
        )
        .order_by("month")
        .values_list("indicator_id", "growth_pct")
    )
    found = {}
    for indicator_id, growth in rows:
        if growth is not None:
            found.setdefault(indicator_id, []).append(float(growth))
    return found


def standings_version(campaign):
    """What the standings read moves with: the figures, indicators and areas as recorded
    changed, and the lights' last recompute (the warnings and the forecast light them)."""
    recomputed = last_recompute(campaign)
    return newest_changes(Observation, Indicator, Area), recomputed and recomputed.latest


def indicator_standings(campaign, targets, user, today):
    wanted = {t.pk for t in targets if t.kind in (TargetKind.GROWTH, TargetKind.RELATIVE)}
    if not wanted:
        return {}
    # The targets come read with the cockpit's; the main indicators' group among them.
    rows = overview(campaign, user, latest_month(campaign, today), targets=targets)
    gaps = {}
    for row in rows:
        for gap in row.targets:
            if gap.target.pk in wanted:
                gaps.setdefault(gap.target.pk, []).append((row, gap))
    indicator_ids = [row.indicator.pk for row in rows]
    states = lights_for(SubjectKind.INDICATOR, indicator_ids, campaign=campaign)
    trends = _trends(campaign, user, indicator_ids)
    found = {}
    for pk, pairs in gaps.items():
        lights = [
            states[row.indicator.pk].light for row, _gap in pairs if row.indicator.pk in states
        ]
        as_of = newest_recorded(o for row, _gap in pairs for o in row.figures.values())
        if len(pairs) == 1:
            row, gap = pairs[0]
            district = row.district
            actual = district.growth_pct if district else None
            ahead = gap.gap
            found[pk] = Standing(
                actual=actual,
                expected=None if ahead is None or actual is None else actual - ahead,
                gap=None if ahead is None else max(Decimal(0), -ahead),
                light=_worst(lights) if actual is not None else GREY,
                as_of=as_of,
                source=_("%(indicator)s, the district's cumulative growth, %(months)s")
                % {"indicator": row.indicator.name, "months": row.months_label},
                url=reverse("indicators:detail", args=[row.indicator.code]),
                trend=tuple(trends.get(row.indicator.pk, ()))[-12:],
                actual_display=""
                if actual is None
                else "{}%".format(format(actual.normalize(), "f")),
            )
            continue
        met = sum(1 for _row, gap in pairs if gap.met)
        judged = sum(1 for _row, gap in pairs if gap.met is not None)
        found[pk] = Standing(
            actual=Decimal(met) if judged else None,
            expected=Decimal(len(pairs)),
            gap=Decimal(len(pairs) - met) if judged else None,
            light=_worst(lights) if judged else GREY,
            as_of=as_of,
            source=_("the main indicators' cumulative growth against the target"),
            url=reverse("indicators:overview"),
            actual_display=_("%(met)s of %(count)s on target") % {"met": met, "count": len(pairs)},
        )
    return found
