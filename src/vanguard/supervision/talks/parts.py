"""The case-file parts supervision owns: the referral, the matter's light changes and
the talk (its record, the unit's defence, the notice and record as documents)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanguard.supervision.models import LightEvent, Referral, Talk
from vanguard.supervision.talks.casefile import CasePart, register_part
from vanguard.supervision.talks.documents import (
    full_notice_number,
    issuer_of,
    notice_docx,
    record_docx,
    referral_docx,
)


def _when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def referral_part(referral):
    """The case itself: the matter, the grounds, the decision once taken."""
    row = {
        "case": referral.pk,
        "unit": referral.unit.name,
        "matter": referral.subject_label,
        "kind": referral.kind,
        "object_id": referral.object_id,
        "reason": referral.reason,
        "referred_at": _when(referral.referred_at),
        "state": str(referral.get_state_display()),
        "measures": "、".join(referral.measure_labels()),
        "decided_on": referral.decided_on,
        "decision": referral.decision,
    }
    return CasePart(
        title=_("Referral"),
        columns=[
            ("unit", _("unit")),
            ("matter", _("matter")),
            ("reason", _("grounds for referral")),
            ("referred_at", _("referred at")),
            ("state", _("state")),
            ("measures", _("measures")),
            ("decided_on", _("decided on")),
            ("decision", _("decision")),
        ],
        rows=[row],
        documents={
            "问责移交函.docx": lambda: referral_docx(referral, issuer_of(referral.campaign))
        },
        logged=[(Referral, [referral.pk])],
    )


def lights_part(referral):
    """Every change of the matter's light, oldest first."""
    events = LightEvent.objects.filter(
        campaign_id=referral.campaign_id, kind=referral.kind, object_id=referral.object_id
    ).order_by("as_of", "at", "pk")
    rows = [
        {
            "as_of": event.as_of,
            "from": event.get_from_light_display() if event.from_light else "",
            "to": str(event.get_to_light_display()),
            "reason": str(event.reason_text),
            "at": _when(event.at),
        }
        for event in events
    ]
    return CasePart(
        title=_("Light changes"),
        columns=[
            ("as_of", _("as of")),
            ("from", _("light before")),
            ("to", _("light after")),
            ("reason", _("reason")),
            ("at", _("recorded at")),
        ],
        rows=rows,
    )


def talk_part(referral):
    """The talk before the referral: its record and the unit's statement and defence."""
    talk = referral.talk
    if talk is None:
        return None
    talk = (
        Talk.objects.select_related("unit", "campaign__headquarters__office")
        .prefetch_related("interviewers", "interviewees")
        .get(pk=talk.pk)
    )
    interviewers = [p.name for p in talk.interviewers.all()]
    interviewees = [p.name for p in talk.interviewees.all()]
    issuer = issuer_of(talk.campaign)
    row = {
        "number": full_notice_number(talk),
        "type": str(talk.get_talk_type_display()),
        "reason": talk.reason,
        "approved_at": _when(talk.approved_at),
        "held_on": talk.held_on,
        "place": talk.place,
        "interviewers": "、".join(interviewers),
        "interviewees": "、".join(interviewees),
        "facts": talk.facts,
        "statement": talk.statement,
        "requirements": talk.requirements,
        "pledge": talk.pledge,
        "pledge_due": talk.pledge_due,
        "followed_up_on": talk.followed_up_on,
        "outcome": str(talk.get_outcome_display()) if talk.outcome else "",
    }
    documents = {}
    if talk.notice_seq:
        documents["约谈通知书.docx"] = lambda: notice_docx(talk, issuer)
    if talk.held_on:
        documents["约谈记录.docx"] = lambda: record_docx(talk, issuer, interviewers, interviewees)
    return CasePart(
        title=_("Talk and defence"),
        columns=[
            ("number", _("notice number")),
            ("type", _("talk type")),
            ("held_on", _("held on")),
            ("interviewees", _("talked with")),
            ("facts", _("facts")),
            ("statement", _("statement and defence")),
            ("requirements", _("requirements")),
            ("pledge", _("written pledge")),
            ("pledge_due", _("pledge deadline")),
            ("outcome", _("outcome")),
        ],
        rows=[row],
        documents=documents,
        logged=[(Talk, [talk.pk])],
    )


def register_parts():
    register_part("referral", referral_part, order=10)
    register_part("lights", lights_part, order=20)
    register_part("talk", talk_part, order=90)
