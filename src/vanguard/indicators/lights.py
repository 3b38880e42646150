"""The status-light rules of indicators (跟踪预警): early warning on the monthly figures.

Registered with the one light engine (``supervision.kinds.register``) when the app is
ready. An indicator is judged on its latest figure in force for the district, with the
thresholds of the campaign's ``LightPolicy`` (defaults in brackets), growth in
percentage points:

  below a target     its growth is below a growth target whose period holds that
                     month: red when by [1.0] points or more, yellow when by less;
  below a comparator its growth is below a comparator of a relative target that covers
                     it (above the province, above the city): red or yellow likewise,
                     and yellow when level with it, since the target asks for more;
  falling            yellow when its growth fell by more than [2.0] points from the
                     month before it was published;
  data missing       yellow when the figure of the last month due by today is missing,
                     [10] working days after the month ends;
  otherwise green when some target or comparator judged it, grey when none did or
  there is no figure yet.

The light is the worst rule's; every rule that fires is kept in the light's facts as a
warning naming the rule and the gap, read back by ``indicator_warnings``. A campaign
has tens of indicators, so they are judged in Python and written through the engine's
statements like every other kind.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanguard.calendar.due import due
from vanguard.calendar.periods import PeriodKind, period_containing
from vanguard.calendar.services import load_calendar
from vanguard.indicators.choices import AreaLevel, GoodDirection
from vanguard.indicators.models import Area, Indicator, Observation
from vanguard.org.choices import Battle
from vanguard.supervision.choices import Light
from vanguard.supervision.kinds import LightRules, register
from vanguard.supervision.lights import Judging, lights_for, listed_rows, policy_for
from vanguard.supervision.reasons import Reason, reason_text
from vanguard.targets.choices import TargetKind
from vanguard.targets.models import Target


class SubjectKind(models.TextChoices):
    """The subjects the indicators' rules light, as the engine stores their kind."""

    INDICATOR = "indicator", _("Indicator")


# What each rule's reason means; each rule that fires reads the same as a warning.
REASONS = {
    "below_target_far": Reason(
        Light.RED,
        _("{period}: growth {growth}%, {gap_abs} points below the target of {target}%."),
    ),
    "below_comparator_far": Reason(
        Light.RED,
        _("{period}: growth {growth}%, {gap_abs} points below {comparator_name} ({reference}%)."),
    ),
    "below_target": Reason(
        Light.YELLOW,
        _("{period}: growth {growth}%, {gap_abs} points below the target of {target}%."),
    ),
    "below_comparator": Reason(
        Light.YELLOW,
        _("{period}: growth {growth}%, {gap_abs} points below {comparator_name} ({reference}%)."),
    ),
    "level_with_comparator": Reason(
        Light.YELLOW,
        _("{period}: growth {growth}%, level with {comparator_name} ({reference}%): not above it."),
    ),
    "falling": Reason(
        Light.YELLOW,
        _(
            "{period}: growth {growth}%, down {drop} points from {previous_growth}% in {previous_period}."
        ),
    ),
    "data_missing": Reason(Light.YELLOW, _("No figure for {missing_period}, due on {due}.")),
    "on_track": Reason(
        Light.GREEN, _("{period}: growth {growth}%, at or above its targets and comparators.")
    ),
    "no_reference": Reason(
        Light.GREY, _("{period}: growth {growth}%; no target or comparator to judge against.")
    ),
    "no_data": Reason(Light.GREY, _("No figure yet.")),
}

# The indicator rules from the worst down: the first that fires gives the light, and
# every one that fires is kept as a warning.
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


def _judge_indicator(indicator, figures, growth_targets, comparators, areas, judging, due):
    """(reason, params) of one indicator from its figures in force.

    ``figures`` maps (area level, month) to (level, growth); ``due`` maps the months of
    the campaign year whose figures are due by today, oldest first, to their due dates.
    """
    sign = 1 if indicator.good_direction == GoodDirection.UP else -1
    red_gap = judging.policy.indicator_gap_red_points
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
                far = -gap >= red_gap
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
                far = -gap >= red_gap
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
            if drop > judging.policy.indicator_drop_points:
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


def judge_indicators(campaign, judging, figures, indicators=None, last_month=None):
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
    calendar = judging.calendar or load_calendar()
    due = {}
    for n in range(1, 13):
        month = datetime.date(campaign.year, n, 1)
        if last_month is not None and month > last_month:
            break
        day = month_due_date(month, judging.policy.indicator_data_working_days, calendar)
        if day < judging.today:
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
            judging,
            due,
        )
        judged_list.append((indicator, reason, params))
    return judged_list


def indicator_rows(campaign, judging):
    """The light of every indicator of the campaign (module docstring: indicators).

    A campaign has tens of indicators, so they are judged in Python from one read of the
    year's figures in force and one of the targets that name them; the result is written
    like every other kind's, a fixed number of statements for all of them.
    """
    year_start = datetime.date(campaign.year, 1, 1)
    figures = indicator_figures(
        Observation.objects.current()
        .filter(indicator__campaign=campaign, month__gte=year_start, month__lte=judging.today)
        .values_list("indicator_id", "area__level", "month", "level", "growth_pct")
    )
    rows = [
        (indicator.pk, indicator.responsible_unit_id, reason, params)
        for indicator, reason, params in judge_indicators(campaign, judging, figures)
    ]
    return listed_rows(rows, db=campaign._state.db or "default")


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
                light=REASONS[warning["rule"]].light,
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
    judging = Judging.of(policy_for(campaign), today or timezone.localdate())
    figures = indicator_figures(
        (o.indicator_id, o.area.level, o.month, o.level, o.growth_pct)
        for o in observations
        if o.month <= month
    )
    found = []
    for indicator, _reason, params in judge_indicators(
        campaign, judging, figures, list(indicators), last_month=month
    ):
        found += _warnings_of(indicator, params)
    return found


def _indicator_code():
    return Subquery(Indicator.objects.filter(pk=OuterRef("object_id")).values("code")[:1])


def register_lights():
    """Register indicators with the light engine; everyone taking part sees them all."""
    register(
        SubjectKind.INDICATOR,
        LightRules(
            label=SubjectKind.INDICATOR.label,
            group=Battle.INDICATORS,
            judge=indicator_rows,
            reasons=REASONS,
            subject_code=_indicator_code,
            by_unit=False,
        ),
    )
