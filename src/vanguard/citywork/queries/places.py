"""Reading demonstration zones and model roads: lights, latest inspections, checklists."""

from django.db.models import OuterRef, Subquery

from vanguard.citywork.lights import PLACE
from vanguard.citywork.models import Criterion, Inspection
from vanguard.citywork.photos import with_photos
from vanguard.citywork.queries.scope import places_for
from vanguard.supervision.lights import annotate_light


def listed(user, campaign, kind=""):
    """The places ``user`` sees with their light and their latest inspection's score."""
    latest = Inspection.objects.filter(place=OuterRef("pk")).order_by("-inspected_on", "-pk")
    places = places_for(user, campaign)
    if kind:
        places = places.filter(kind=kind)
    return (
        annotate_light(places, PLACE, campaign=campaign)
        .annotate(
            last_inspected=Subquery(latest.values("inspected_on")[:1]),
            last_met=Subquery(latest.values("met_count")[:1]),
            last_total=Subquery(latest.values("total_count")[:1]),
        )
        .select_related("lead_unit", "responsible_person")
        .order_by("kind", "code")
    )


def checklist(kind):
    """The criteria in use for a kind of place, in order."""
    return list(Criterion.objects.filter(kind=kind, active=True).order_by("sort_order", "code"))


def inspections_of(place):
    """The place's inspections, the latest first, with who recorded them and their photos."""
    return (
        Inspection.objects.filter(place=place)
        .select_related("recorded_by__person")
        .prefetch_related(with_photos())
    )
