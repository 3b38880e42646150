"""Reads of the one pool of blockers, scoped through ``org.access``.

A blocker is seen by whoever sees every unit (office, task forces, leaders), by the
reporters of the unit that owns it, and by the reporters of the unit answerable for its
source (a project's lead unit, an enterprise's serving unit: ``sources.unit_scope``), so
a problem dispatched elsewhere stays in sight of the unit that raised it. Where a page
names the sources, ``sources.attach_sources`` loads them for the page at once.
"""

from django.db.models import OuterRef, Subquery

from vanguard.blockers.choices import BlockerState
from vanguard.blockers.models import Blocker, BlockerStep
from vanguard.blockers.sources import SOURCES
from vanguard.org.access import restrict

FILTERS = ("source", "unit", "q")


def blockers_for(user, campaign):
    """The campaign's blockers ``user`` may see."""
    return restrict(Blocker.objects.filter(campaign=campaign), user)


def days_open(blocker, today):
    """Days a blocker has been open: to ``today``, or to the day it was resolved."""
    end = blocker.resolved_on if blocker.state == BlockerState.RESOLVED else today
    return max((end - blocker.raised_on).days, 0) if end else None


def open_problems(user, campaign, filters):
    """Open blockers the user sees, oldest first, narrowed by source, owner unit (code) and a
    search of the title; each carries its latest follow-up (a queryset to page)."""
    qs = filtered(blockers_for(user, campaign).filter(state=BlockerState.OPEN), filters)
    return with_latest_step(qs).select_related("unit").order_by("raised_on", "pk")


def filtered(qs, filters):
    """``qs`` narrowed by source, owner unit (code) and a search of the title."""
    source = filters.get("source", "")
    if source in SOURCES:
        qs = qs.filter(source_kind=source)
    if filters.get("unit"):
        qs = qs.filter(unit__code=filters["unit"])
    if filters.get("q"):
        qs = qs.filter(title__icontains=filters["q"].strip())
    return qs


def with_latest_step(qs):
    """``qs`` annotated with its latest step's note and time (one subquery, not a query each)."""
    latest = BlockerStep.objects.filter(blocker=OuterRef("pk")).order_by("-at", "-pk")
    return qs.annotate(
        latest_note=Subquery(latest.values("note")[:1]),
        latest_at=Subquery(latest.values("at")[:1]),
    )


def with_days_open(blockers, today):
    """``blockers`` as a list, each carrying its ``days_open``."""
    blockers = list(blockers)
    for blocker in blockers:
        blocker.days_open = days_open(blocker, today)
    return blockers


def steps_of(blocker):
    """The blocker's dispatches and follow-ups, oldest first."""
    return blocker.steps.select_related("from_unit", "to_unit", "actor__person").order_by(
        "at", "pk"
    )


def owner_choices(user, campaign):
    """(code, name) of the units owning the open problems the user sees, for the filter."""
    return list(
        blockers_for(user, campaign)
        .filter(state=BlockerState.OPEN)
        .order_by("unit__name")
        .values_list("unit__code", "unit__name")
        .distinct()
    )
