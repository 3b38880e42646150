"""What the public may read of a case: its public steps, the unit's reply, its public photos.

Never the reporter's name or phone, never internal notes (why a return was refused, a
postponement's reason), never who on the staff did what: the tracking page, the "me
too" page and Open311 read a case only through here.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from vanguard.citywork.choices import PhotoRole
from vanguard.citywork.models import Case, CaseEvent, PhotoAttachment
from vanguard.citywork.models.cases import OPEN_STATES, CaseAction, CaseState

# The photos the public sees, in the order a case gathers them.
PUBLIC_ROLES = (PhotoRole.REPORT, PhotoRole.BEFORE, PhotoRole.AFTER)

# A case's state and steps in the public's words. A unit's return of a dispatch is the
# office's business: to the public the case is still being handled.
PUBLIC_STATES = {
    CaseState.REPORTED: _("Received, to be registered"),
    CaseState.REGISTERED: _("Registered, to be sent to a unit"),
    CaseState.DISPATCHED: _("Being dealt with"),
    CaseState.RETURNED: _("Being dealt with"),
    CaseState.HANDLED: _("Dealt with, to be checked on site"),
    CaseState.CLOSED: _("Dealt with and closed"),
    CaseState.DISCARDED: _("Not taken up as a case"),
    CaseState.MERGED: _("Joined with an earlier report"),
}
PUBLIC_STEPS = {
    CaseAction.REPORT: _("Problem reported"),
    CaseAction.REGISTER: _("Registered as a case"),
    CaseAction.DISCARD: _("Not taken up as a case"),
    CaseAction.DISPATCH: _("Sent to the unit responsible"),
    CaseAction.SIGN: _("Taken in by the unit"),
    CaseAction.HANDLE: _("Dealt with by the unit"),
    CaseAction.CHECK_PASSED: _("Checked on site and closed"),
    CaseAction.CHECK_FAILED: _("Not right on site: back to the unit"),
    CaseAction.MERGE: _("Joined with an earlier report"),
    CaseAction.SUPPORT: _("Someone else reported it too"),
    CaseAction.CONFIRM: _("The reporter confirmed it is fixed"),
    CaseAction.REOPEN: _("The reporter said it is not fixed: back to the unit"),
}


def public_state(case):
    """The case's state in the public's words."""
    return str(PUBLIC_STATES.get(case.state, case.get_state_display()))


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
    """The case's public steps (流转记录), oldest first, each with its ``label`` in the
    public's words and its unit."""
    steps = list(
        CaseEvent.objects.filter(case=case, public=True)
        .select_related("unit")
        .only("action", "at", "note", "unit__name", "case_id")
        .order_by("at", "id")
    )
    for step in steps:
        step.label = str(PUBLIC_STEPS.get(step.action, step.get_action_display()))
    return steps


def public_progress(case):
    """Everything the tracking page shows of ``case``, and of the case it was merged into."""
    merged_into = None
    if case.state == CaseState.MERGED and case.merged_into_id:
        target = Case.objects.select_related("category", "unit").get(pk=case.merged_into_id)
        merged_into = public_progress(target)
    return {
        "case": case,
        "state": public_state(case),
        "open": case.state in OPEN_STATES,
        "steps": public_steps(case),
        "photos": public_photos(case),
        "merged_into": merged_into,
        "may_give_feedback": case.state == CaseState.CLOSED and case.citizen_confirmed is not True,
    }
