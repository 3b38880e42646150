"""Every write to indicators: observations entered, revised, and responsible units linked.

An observation enters through the page form, the API or the statistics bureau's Excel
table; all three call ``do_submit_observation``, which checks who may enter the figure,
validates it, writes it and records it in the change log in one transaction.

Revision rule: the first figure of an indicator, area and month is version 1. Any later
figure must name the version it revises (``revises``); if that is still the current
version, a new row with the next version supersedes it (the old row stays, no longer
current); if someone else revised it in between, the submission is refused
(``StaleObservation``) rather than silently overwriting their figure. Submitting the
same figures as the current version changes nothing.

Validation rules (each refusal names its field):
- the month must be over (a month's cumulative figures are published after it ends),
  inside the campaign's year or the year before (last year's figures give the
  forecast its base effect), and for a quarterly indicator a quarter's last month;
- a growth-only indicator takes no level; a level is a positive amount in the
  indicator's unit; a growth rate lies between -100 % and +1000 %;
- cumulative levels never fall within a year, so a level must not be below the
  previous month's or above the next month's: a growth rate typed into the level
  field (6.5 where 1-9月 was 3,650 亿元) is refused here.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.calendar.periods import PeriodKind, parse_label
from vanguard.core.figures import StaleVersion, revise_figure
from vanguard.indicators.choices import ObservationSource
from vanguard.indicators.models import Indicator, Observation
from vanguard.org import access
from vanguard.org.choices import Battle
from vanguard.org.models import Unit, name_of

GROWTH_MIN = Decimal(-100)
GROWTH_MAX = Decimal(1000)
LEVEL_MAX = Decimal("9999999999999999.99")
CENT = Decimal("0.01")


# A submission that would overwrite a figure its author has not seen.
StaleObservation = StaleVersion


def month_of(value):
    """The first day of the month ``value`` names: a date, or a label such as 2026-10."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    try:
        period = parse_label(str(value).strip())
    except ValueError:
        period = None
    if period is None or period.kind != PeriodKind.MONTH:
        raise ValidationError(
            {"month": _("{value} is not a month; write it as 2026-10.").format(value=value)}
        )
    return period.start


def last_complete_month(today):
    """The latest month whose figures can exist on ``today``: the month before it."""
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _quantize(value):
    return None if value is None else Decimal(value).quantize(CENT)


def check_figures(indicator, area, month, level, growth_pct, *, today):
    """Problems of a figure that need no database, as {field: [messages]}."""
    errors = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if area.campaign_id != indicator.campaign_id:
        add("area", _("{area} is not an area of this campaign.").format(area=area.name))
    year = indicator.campaign.year
    if month > last_complete_month(today):
        add(
            "month",
            _(
                "{year}年{month}月 is not over yet: a month's cumulative figures are entered"
                " after it ends."
            ).format(year=month.year, month=month.month),
        )
    elif month.year not in (year, year - 1):
        # Last year's figures are kept for the forecast's base effect (基数效应).
        add(
            "month",
            _(
                "{year}年{month}月 is outside the campaign year {campaign_year} and the year"
                " before it."
            ).format(year=month.year, month=month.month, campaign_year=year),
        )
    elif not indicator.published_in(month):
        add(
            "month",
            _(
                "{indicator} is published by quarter: enter it for March, June, September or"
                " December, not for month {month}."
            ).format(indicator=indicator.name, month=month.month),
        )
    if level is None and growth_pct is None:
        add(
            "growth_pct",
            _("Enter the cumulative growth (%) or the cumulative level."),
        )
    if level is not None:
        if not indicator.has_level:
            add(
                "level",
                _(
                    "{indicator} is published as a growth rate only: leave the cumulative"
                    " level empty and enter the growth (%)."
                ).format(indicator=indicator.name),
            )
        elif level <= 0:
            add(
                "level",
                _("The cumulative level must be a positive amount in {unit}.").format(
                    unit=indicator.unit_of_measure
                ),
            )
        elif level > LEVEL_MAX:
            add("level", _("The cumulative level is too large."))
    if growth_pct is not None and not (GROWTH_MIN <= growth_pct <= GROWTH_MAX):
        add(
            "growth_pct",
            _("A growth rate lies between -100% and 1000%, not {value}%.").format(value=growth_pct),
        )
    return errors


def check_cumulative(indicator, month, level, earlier, later):
    """Problems of a level against its neighbours: ``earlier``/``later`` are (month, level)."""
    if level is None:
        return {}
    unit = indicator.unit_of_measure
    if earlier is not None and level < earlier[1]:
        return {
            "level": [
                _(
                    "The cumulative level {level}{unit} of 1-{month}月 is below {earlier}{unit}"
                    " of 1-{earlier_month}月; cumulative figures do not fall within a year."
                    " Was a growth rate entered as the level?"
                ).format(
                    level=level,
                    unit=unit,
                    month=month.month,
                    earlier=earlier[1],
                    earlier_month=earlier[0].month,
                )
            ]
        }
    if later is not None and level > later[1]:
        return {
            "level": [
                _(
                    "The cumulative level {level}{unit} of 1-{month}月 is above {later}{unit}"
                    " of 1-{later_month}月; cumulative figures do not fall within a year."
                ).format(
                    level=level,
                    unit=unit,
                    month=month.month,
                    later=later[1],
                    later_month=later[0].month,
                )
            ]
        }
    return {}


def neighbours(indicator, area, month):
    """The current levels of the nearest earlier and later months of the same year."""
    same_year = Observation.objects.current().filter(
        indicator=indicator, area=area, month__year=month.year, level__isnull=False
    )
    earlier = same_year.filter(month__lt=month).order_by("-month").values_list("month", "level")
    later = same_year.filter(month__gt=month).order_by("month").values_list("month", "level")
    return earlier.first(), later.first()


def _where(indicator, area, month):
    return "{}·{}·{}年{}月".format(indicator.name, area.name, month.year, month.month)


@dataclass
class Submitted:
    """What a submission did: the figure now in force, and whether it was written."""

    observation: Observation
    created: bool
    revised: Observation | None = None


def do_submit_observation(
    indicator,
    area,
    month,
    *,
    actor,
    level=None,
    growth_pct=None,
    revises=None,
    reason="",
    source=ObservationSource.FORM,
    today=None,
    check_neighbours=True,
):
    """Record (or revise, naming the version revised) an indicator's figure for an area and month.

    ``check_neighbours=False`` is for an import that has checked the cumulative levels
    of the whole upload against each other already.
    """
    access.require_enter_figures(actor, indicator)
    today = today or timezone.localdate()
    month = month_of(month)
    level, growth_pct = _quantize(level), _quantize(growth_pct)
    errors = check_figures(indicator, area, month, level, growth_pct, today=today)
    if errors:
        raise ValidationError(errors)
    where = _where(indicator, area, month)

    def check_neighbours_of_level():
        if check_neighbours:
            errors = check_cumulative(indicator, month, level, *neighbours(indicator, area, month))
            if errors:
                raise ValidationError(errors)

    with transaction.atomic():
        # Submissions of one indicator queue on the indicator's row.
        done = revise_figure(
            Observation,
            {"indicator": indicator, "area": area, "month": month},
            {"level": level, "growth_pct": growth_pct},
            lock=Indicator.objects.filter(pk=indicator.pk),
            revises=revises,
            where=where,
            actor=actor,
            source=source,
            reason=reason,
            name_user=name_of,
            before_write=check_neighbours_of_level,
        )
        if not done.created:
            return Submitted(done.figure, created=False)
        current, observation = done.revised, done.figure
        changes = []
        if current is not None:
            changes.append(
                Change(current, ChangeAction.UPDATE, {"is_current": True}, {"is_current": False})
            )
        changes.append(
            Change(observation, ChangeAction.CREATE, after=snapshot(observation), reason=reason)
        )
        record_changes(changes, actor=actor)
        # The warnings judge the figures in force: the lights follow once this commits.
        _after_figures_changed([indicator.campaign_id])
    return Submitted(observation, created=True, revised=current)


def _after_figures_changed(campaign_ids):
    """Recompute the campaigns' lights once the figures commit (merged as certification's are)."""
    from vanguard.supervision.tasks import schedule_recompute

    schedule_recompute(campaign_ids, group=Battle.INDICATORS)


def do_link_responsible_units(campaign, *, actor):
    """Link indicators to the unit their plan names, for units created after the plan was loaded
    (the office, the indicators task force or the system)."""
    access.require(access.may_manage_indicators(actor))
    with transaction.atomic():
        waiting = list(
            Indicator.objects.select_for_update().filter(
                campaign=campaign, responsible_unit__isnull=True
            )
        )
        units = {
            u.name: u
            for u in Unit.objects.filter(name__in={i.responsible_unit_name for i in waiting})
        }
        changes = []
        for indicator in waiting:
            unit = units.get(indicator.responsible_unit_name)
            if unit is None:
                continue
            indicator.responsible_unit = unit
            indicator.save(update_fields=["responsible_unit"])
            changes.append(
                Change(
                    indicator,
                    ChangeAction.UPDATE,
                    {"responsible_unit": None},
                    {"responsible_unit": unit.pk},
                )
            )
        record_changes(changes, actor=actor)
        if changes:
            # An indicator's light belongs to its responsible unit.
            _after_figures_changed([campaign.pk])
    return len(changes)
