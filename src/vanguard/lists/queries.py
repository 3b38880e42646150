"""Reading the units' lists, always through ``org.access``: items, checkpoints, reports."""

from django.db.models import Count, OuterRef, Q, Subquery

from vanguard.lists.choices import ReportState
from vanguard.lists.lights import KIND
from vanguard.lists.models import Checkpoint, ListItem, ProgressReport
from vanguard.org import access
from vanguard.org.models import Unit
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import annotate_light

FILTERS = ("unit", "battle", "light", "state", "q")


def items_for(user, campaign):
    """The campaign's items ``user`` may see."""
    return access.restrict(ListItem.objects.filter(campaign=campaign), user)


def with_facts(items, campaign):
    """Items with their light, next unreached due date and waiting reports, one query."""
    next_due = (
        Checkpoint.objects.filter(item=OuterRef("pk"), reached_on__isnull=True)
        .order_by("due_date")
        .values("due_date")[:1]
    )
    waiting = (
        ProgressReport.objects.filter(item=OuterRef("pk"), state=ReportState.SUBMITTED)
        .order_by()
        .values("item")
        .annotate(n=Count("pk"))
        .values("n")
    )
    items = annotate_light(items, KIND, campaign=campaign)
    return items.annotate(next_due=Subquery(next_due), waiting=Subquery(waiting)).select_related(
        "unit", "responsible_person"
    )


def filtered_items(user, campaign, filters):
    """The items ``user`` sees, narrowed by the list's filters, worst light first."""
    items = with_facts(items_for(user, campaign), campaign)
    if filters.get("unit"):
        items = items.filter(unit__code=filters["unit"])
    if filters.get("battle"):
        items = items.filter(battle=filters["battle"])
    if filters.get("light") in Light.values:
        items = items.filter(light=filters["light"])
    if filters.get("state") == "waiting":
        items = items.filter(reports__state=ReportState.SUBMITTED).distinct()
    if filters.get("q"):
        items = items.filter(
            Q(code__icontains=filters["q"]) | Q(requirement__icontains=filters["q"])
        )
    return items.order_by("unit__code", "code")


def unit_choices(user, campaign):
    """(code, name) of the units whose items ``user`` sees, for the filter."""
    ids = items_for(user, campaign).order_by().values("unit_id").distinct()
    units = access.restrict(Unit.objects.filter(pk__in=ids), user)
    return list(units.order_by("code").values_list("code", "name"))


def checkpoints_of(item):
    return Checkpoint.objects.filter(item=item).order_by("period_start")


def reports_of(item):
    return (
        ProgressReport.objects.filter(item=item)
        .select_related("reported_by__person", "verified_by__person")
        .order_by("-period_start")
    )


def reports_for(user, campaign):
    """Every report of the items ``user`` sees."""
    return access.restrict(ProgressReport.objects.filter(item__campaign=campaign), user)
