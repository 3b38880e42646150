"""What the public may read of a case: its public steps, the unit's reply, its public photos.

Never the reporter's name or phone, never internal notes (why a return was refused, a
postponement's reason), never who on the staff did what: the tracking page, the "me
too" page and Open311 read a case only through here.
"""

from django.contrib.contenttypes.models import ContentType

from vanguard.citywork.choices import PhotoRole
from vanguard.citywork.models import Case, CaseEvent, PhotoAttachment
from vanguard.citywork.models.cases import OPEN_STATES, CaseState

# The photos the public sees, in the order a case gathers them.
PUBLIC_ROLES = (PhotoRole.REPORT, PhotoRole.BEFORE, PhotoRole.AFTER)


def first_report_photos(case_ids):
    """The first photo reported with each case: {case id: Photo}, in one query."""
    found = {}
    rows = (
        PhotoAttachment.objects.filter(
            content_type=ContentType.objects.get_for_model(Case),
            object_id__in=list(case_ids),
            role=PhotoRole.REPORT,
        )
        .select_related("photo")
        .order_by("pk")
    )
    for attachment in rows:
        found.setdefault(attachment.object_id, attachment.photo)
    return found


def public_photos(case):
    """The case's photos the public sees, as [(role label, [Photo, ...])] in role order."""
    by_role = {}
    for attachment in (
        PhotoAttachment.objects.filter(
            content_type=ContentType.objects.get_for_model(Case),
            object_id=case.pk,
            role__in=PUBLIC_ROLES,
        )
        .select_related("photo")
        .order_by("pk")
    ):
        by_role.setdefault(attachment.role, []).append(attachment.photo)
    return [(PhotoRole(role).label, by_role[role]) for role in PUBLIC_ROLES if role in by_role]


def public_steps(case):
    """The case's public steps (流转记录), oldest first, with the unit of each."""
    return list(
        CaseEvent.objects.filter(case=case, public=True)
        .select_related("unit")
        .only("action", "at", "note", "unit__name", "case_id")
        .order_by("at", "id")
    )


def public_progress(case):
    """Everything the tracking page shows of ``case``, and of the case it was merged into."""
    merged_into = None
    if case.state == CaseState.MERGED and case.merged_into_id:
        target = Case.objects.select_related("category", "unit").get(pk=case.merged_into_id)
        merged_into = public_progress(target)
    return {
        "case": case,
        "open": case.state in OPEN_STATES,
        "steps": public_steps(case),
        "photos": public_photos(case),
        "merged_into": merged_into,
        "may_give_feedback": case.state == CaseState.CLOSED and case.citizen_confirmed is not True,
    }
