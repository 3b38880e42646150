"""Reads of patrols: the member's open patrol and recent ones, the patrols a user sees, a
patrol's findings, the cases awaiting a check, the open cases a new report may repeat, and
the photos of cases.

Cases pass through ``org.access.restrict`` and ``narrow_cases``, like every case list;
patrols through ``narrow_patrols``. Photos of many cases are read in one query, whatever
their number.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from vanguard.citywork import routing
from vanguard.citywork.models import Case, Patrol, PatrolFinding
from vanguard.citywork.models.cases import CaseState
from vanguard.citywork.photos import attachments
from vanguard.maps import district
from vanguard.org.access import access_for, narrow_cases, narrow_patrols, restrict

RECENT = 10


def cases_for(user):
    """The cases ``user`` sees."""
    return narrow_cases(restrict(Case.objects.all(), user), user)


def open_patrol(user):
    return Patrol.objects.filter(member=user, ended_at__isnull=True).select_related("grid").first()


def recent_patrols(user, limit=RECENT):
    """The member's latest patrols, each with how many problems it found."""
    return list(
        Patrol.objects.filter(member=user)
        .select_related("grid")
        .annotate(found=Count("findings"))
        .order_by("-started_at", "-pk")[:limit]
    )


def listed(user, campaign, *, member="", day=None):
    """The campaign's patrols ``user`` sees, of ``member`` (a username) and started on ``day``
    (in Beijing time) when given, the latest first, each with how many problems it found."""
    rows = narrow_patrols(Patrol.objects.filter(campaign=campaign), user)
    if member:
        rows = rows.filter(member__username=member)
    if day is not None:
        rows = rows.filter(started_at__date=day)
    return (
        rows.select_related("grid", "member__person")
        .annotate(found=Count("findings"))
        .order_by("-started_at", "-pk")
    )


def findings_of(patrol):
    """A patrol's findings with their cases (category, unit) and the cases' photos."""
    findings = list(
        PatrolFinding.objects.filter(patrol=patrol)
        .select_related("case__category__parent", "case__unit")
        .order_by("found_at", "pk")
    )
    photos = photos_of_cases([f.case_id for f in findings])
    for finding in findings:
        finding.case.photos = photos.get(finding.case_id, {})
    return findings


def photos_of_cases(case_ids):
    """case id -> role -> [attachment with its photo], in one query."""
    found = {}
    if not case_ids:
        return found
    rows = attachments().filter(
        content_type=ContentType.objects.get_for_model(Case), object_id__in=list(case_ids)
    )
    for attachment in rows:
        found.setdefault(attachment.object_id, {}).setdefault(attachment.role, []).append(
            attachment
        )
    return found


def checkable(queryset):
    """Cases with what a check reads of them: category, unit, who handled and who checks."""
    return queryset.select_related(
        "category__parent", "unit", "handled_by__person", "checker__person"
    ).order_by("handled_at", "pk")


def _awaiting(user):
    """(the handled cases whose checker is ``user``, the others ``user`` may check), as
    querysets. Neither holds a case ``user`` handled or one of a unit ``user`` reports
    for: those are checked by someone else."""
    access = access_for(user)
    handled = cases_for(user).filter(state=CaseState.HANDLED)
    theirs = Q(handled_by_id=access.user_id) | Q(unit_id__in=access.unit_ids)
    mine = handled.filter(checker_id=access.user_id).exclude(theirs)
    others = handled.exclude(theirs).filter(Q(checker__isnull=True) | ~Q(checker_id=access.user_id))
    return mine, others


def check_counts(user):
    """How many handled cases await ``user``'s check, and how many others they may check."""
    mine, others = _awaiting(user)
    return mine.count(), others.count()


def checks_for(user):
    """The cases of ``check_counts``, each with its category, unit, people and photos."""
    mine, others = (list(checkable(rows)) for rows in _awaiting(user))
    photos = photos_of_cases([c.pk for c in mine + others])
    for case in mine + others:
        case.photos = photos.get(case.pk, {})
    return mine, others


def nearby(category, lon, lat, coordinate_system="wgs84"):
    """Open cases of ``category`` near a point as entered: [(case, metres)], or [] when the
    point cannot be read (the report itself then says why)."""
    try:
        placement = district.locate(lon, lat, coordinate_system)
    except ValidationError:
        return []
    return routing.nearby_open(category, placement.lon, placement.lat)
