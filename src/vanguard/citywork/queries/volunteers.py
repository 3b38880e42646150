"""Reads of volunteer activities: the lists, the public list of upcoming ones, an activity's
signups and findings, and the weekly count per organising unit.

Staff reads pass through ``org.access.restrict`` and ``narrow_weekly`` (the city-work
battle's business: another battle's task force sees only its own units). The public list
reads only planned activities still to come, and never a signup's name or phone.
"""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from vanguard.citywork.choices import ActivityState
from vanguard.citywork.models import VolunteerActivity, VolunteerFinding, VolunteerSignup
from vanguard.citywork.photos import with_photos
from vanguard.citywork.queries.patrols import photos_of_cases
from vanguard.org.access import narrow_weekly, restrict


def activities_for(user, campaign):
    """The campaign's activities ``user`` sees."""
    rows = restrict(VolunteerActivity.objects.filter(campaign=campaign), user)
    return narrow_weekly(rows, user, unit="unit")


def _counted(queryset):
    """Each activity with its places taken and its problems found (subqueries, no join)."""
    signed = (
        VolunteerSignup.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    found = (
        VolunteerFinding.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        signed_up=Coalesce(Subquery(signed, output_field=IntegerField()), 0),
        found=Coalesce(Subquery(found, output_field=IntegerField()), 0),
    )


def listed(user, campaign, *, state="", unit="", week=None):
    """The activities ``user`` sees, filtered (``week``: a period, by their start), the
    latest first."""
    rows = activities_for(user, campaign).select_related("unit")
    if state:
        rows = rows.filter(state=state)
    if unit:
        rows = rows.filter(unit__code=unit)
    if week is not None:
        rows = rows.filter(starts_at__date__gte=week.start, starts_at__date__lte=week.end)
    return _counted(rows).order_by("-starts_at", "-pk")


def upcoming(campaign=None, now=None):
    """Planned activities still to come, the soonest first: what the public page shows."""
    rows = VolunteerActivity.objects.filter(
        state=ActivityState.PLANNED, starts_at__gt=now or timezone.now()
    )
    if campaign is not None:
        rows = rows.filter(campaign=campaign)
    return _counted(rows.select_related("unit")).order_by("starts_at", "pk")


def public_activities():
    """Every activity as the public page shows it (a cancelled one says so), places counted."""
    return _counted(VolunteerActivity.objects.select_related("unit"))


def activity_page(activity, *, with_signups):
    """What an activity's page lists: signups (for its organisers), findings, photos."""
    findings = list(
        VolunteerFinding.objects.filter(activity=activity)
        .select_related("case__category__parent", "case__unit")
        .order_by("found_at", "pk")
    )
    photos = photos_of_cases([f.case_id for f in findings])
    for finding in findings:
        finding.case.photos = photos.get(finding.case_id, {})
    return {
        "signups": list(activity.signups.order_by("created_at", "pk")) if with_signups else None,
        "findings": findings,
        "photos": list(
            VolunteerActivity.objects.filter(pk=activity.pk)
            .prefetch_related(with_photos())
            .get()
            .photo_attachments.all()
        ),
    }


@dataclass
class UnitWeek:
    """One organising unit's week: activities held, how many took part, problems found."""

    code: str
    name: str
    held: int
    participants: int
    problems: int


def weekly_count(user, campaign, week):
    """Per organising unit, the activities held in ``week`` (by their start), their
    participants and the problems they found; two grouped queries."""
    held = activities_for(user, campaign).filter(
        state=ActivityState.HELD,
        starts_at__date__gte=week.start,
        starts_at__date__lte=week.end,
    )
    rows = {
        row["unit__code"]: UnitWeek(
            row["unit__code"], row["unit__name"], row["held"], row["participants"] or 0, 0
        )
        for row in held.order_by()
        .values("unit__code", "unit__name")
        .annotate(held=Count("pk"), participants=Sum("participants"))
    }
    for row in (
        VolunteerFinding.objects.filter(activity__in=held.values("pk"))
        .order_by()
        .values("activity__unit__code")
        .annotate(n=Count("pk"))
    ):
        rows[row["activity__unit__code"]].problems = row["n"]
    ordered = sorted(rows.values(), key=lambda r: (-r.held, r.code))
    total = UnitWeek(
        "",
        "",
        sum(r.held for r in ordered),
        sum(r.participants for r in ordered),
        sum(r.problems for r in ordered),
    )
    return ordered, total
