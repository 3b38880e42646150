"""API of talks (约谈) and accountability referrals (问责移交).

Talks: list, read, propose, approve, notify, record, follow up, dismiss the proposed
referral. Referrals: list, read, refer (a talk or a matter), decide, and the case file
as a ZIP. Reads are
narrowed by ``org.access.talks`` (a talk the caller may not see is 404); writes are
refused (403) by the same rules the pages use. A change on an outdated version is 409.
"""

import datetime

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from vanguard.core.pagination import PageNumberPagination
from vanguard.core.preconditions import expected_version
from vanguard.org import access
from vanguard.org.models import Person, Unit
from vanguard.org.queries import current_campaign
from vanguard.supervision.kinds import kind_choices
from vanguard.supervision.models import Referral, Talk
from vanguard.supervision.models.talks import Measure, ReferralState, TalkState, TalkType
from vanguard.supervision.talks import actions
from vanguard.supervision.talks.casefile import case_file_zip
from vanguard.supervision.talks.views import content_disposition

router = Router(tags=["talks and referrals"])


class TalkOut(Schema):
    id: int
    kind: str
    object_id: int
    matter: str = Field(..., alias="subject_label")
    unit: str
    talk_type: TalkType
    reason: str
    proposal_id: int | None
    state: TalkState
    notice_number: str
    scheduled_on: datetime.date | None
    place: str
    held_on: datetime.date | None
    pledge_due: datetime.date | None
    outcome: str
    version: int

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.code


class TalkDetailOut(TalkOut):
    interviewers: list[str]
    interviewees: list[str]
    facts: str
    statement: str
    requirements: str
    pledge: str
    light_at_follow_up: str
    dismissal_reason: str

    @staticmethod
    def resolve_interviewers(obj):
        return [p.name for p in obj.interviewers.all()]

    @staticmethod
    def resolve_interviewees(obj):
        return [p.name for p in obj.interviewees.all()]


class ProposeIn(Schema):
    # The code of the unit talked with.
    unit: str
    # A kind of subject the light engine knows ("unit", "project", ...) and its id; for
    # kind "unit" the id may be left out.
    kind: str
    object_id: int | None = None
    # Or the code the pages show (a project's code); neither: the unit as a whole.
    subject: str | None = None
    talk_type: TalkType
    reason: str
    proposal_id: int | None = None


class VersionIn(Schema):
    version: int | None = None


class NotifyIn(VersionIn):
    scheduled_on: datetime.date
    place: str


class RecordIn(VersionIn):
    held_on: datetime.date
    place: str = ""
    # Person ids: who held the talk, and who was talked with.
    interviewers: list[int]
    interviewees: list[int]
    facts: str
    statement: str = ""
    requirements: str
    pledge: str
    # 15 days after the talk when left out.
    pledge_due: datetime.date | None = None


class ReasonIn(VersionIn):
    reason: str


class ReferralOut(Schema):
    id: int
    talk: int | None = Field(None, alias="talk_id")
    kind: str
    object_id: int
    matter: str = Field(..., alias="subject_label")
    unit: str
    reason: str
    state: ReferralState
    referred_at: datetime.datetime
    measures: list[Measure]
    decided_on: datetime.date | None
    decision: str
    version: int

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.code


class DecideIn(VersionIn):
    measures: list[Measure]
    decided_on: datetime.date
    decision: str


def _talks(request, campaign=None):
    talks = Talk.objects.filter(campaign=current_campaign(campaign)).select_related("unit")
    return access.talks_for(talks, request.user)


def _talk(request, talk_id):
    return get_object_or_404(_talks(request), pk=talk_id)


def _referrals(request, campaign=None):
    referrals = Referral.objects.filter(campaign=current_campaign(campaign))
    return access.referrals_for(referrals.select_related("unit"), request.user)


@router.get("/talks", response=list[TalkOut], summary="List talks")
@paginate(PageNumberPagination)
def list_talks(request, state: TalkState | None = None, campaign: str | None = None):
    """The talks the caller sees, newest first; filter by state."""
    talks = _talks(request, campaign)
    if state:
        talks = talks.filter(state=state)
    return talks.order_by("-proposed_at", "-pk")


@router.get("/talks/{talk_id}", response=TalkDetailOut, summary="Read a talk")
def read_talk(request, talk_id: int):
    """One talk with its record."""
    return get_object_or_404(
        _talks(request).prefetch_related("interviewers", "interviewees"), pk=talk_id
    )


@router.post("/talks", response={201: TalkDetailOut}, summary="Propose a talk")
def propose_talk(request, body: ProposeIn):
    """Propose a talk about a matter of a unit (the office or a task force)."""
    access.require_propose_talk(request.user)
    unit = get_object_or_404(Unit, code=body.unit)
    campaign = current_campaign(None)
    object_id = _matter(campaign, unit, body.kind, body.object_id, body.subject)
    talk = actions.do_propose_talk(
        campaign,
        kind=body.kind,
        object_id=object_id,
        unit=unit,
        talk_type=body.talk_type,
        reason=body.reason,
        proposal_id=body.proposal_id,
        actor=request.user,
    )
    return Status(201, talk)


def _matter(campaign, unit, kind, object_id, subject):
    """The id of the matter a body names: its id, the code the pages show, or the unit."""
    if object_id is None and subject:
        object_id = actions.subject_by_code(campaign, kind, subject, unit)
        if object_id is None:
            raise ValidationError(
                {
                    "subject": _(
                        "{unit} has no {kind} with the code {code} among the subjects with a light."
                    ).format(
                        unit=unit.name,
                        kind=dict(kind_choices()).get(kind, kind),
                        code=subject,
                    )
                }
            )
    return unit.pk if object_id is None else object_id


def _version(request, body):
    return expected_version(request, body.version, prefix="talk")


@router.post("/talks/{talk_id}/approve", response=TalkDetailOut, summary="Approve a talk")
def approve_talk(request, talk_id: int, body: VersionIn):
    """A leader approves a proposed talk."""
    access.require_approve_talk(request.user)
    talk = _talk(request, talk_id)
    return actions.do_approve_talk(talk, version=_version(request, body), actor=request.user)


@router.post("/talks/{talk_id}/notify", response=TalkDetailOut, summary="Issue the notice")
def notify_talk(request, talk_id: int, body: NotifyIn):
    """Number the notice of an approved talk and set its date and place (the office)."""
    access.require_conduct_talk(request.user)
    talk = _talk(request, talk_id)
    return actions.do_notify_talk(
        talk,
        scheduled_on=body.scheduled_on,
        place=body.place,
        version=_version(request, body),
        actor=request.user,
    )


@router.post("/talks/{talk_id}/record", response=TalkDetailOut, summary="Record a held talk")
def record_talk(request, talk_id: int, body: RecordIn):
    """Record the talk: who, the facts, the defence, the requirements, the pledge."""
    access.require_conduct_talk(request.user)
    talk = _talk(request, talk_id)
    people = set(body.interviewers) | set(body.interviewees)
    known = set(Person.objects.filter(pk__in=people).values_list("pk", flat=True))
    if people - known:
        raise ValidationError(
            {
                "interviewers": _("Unknown person: {ids}.").format(
                    ids=", ".join(map(str, sorted(people - known)))
                )
            }
        )
    return actions.do_record_talk(
        talk,
        held_on=body.held_on,
        place=body.place,
        interviewers=body.interviewers,
        interviewees=body.interviewees,
        facts=body.facts,
        statement=body.statement,
        requirements=body.requirements,
        pledge=body.pledge,
        pledge_due=body.pledge_due,
        version=_version(request, body),
        actor=request.user,
    )


@router.post("/talks/{talk_id}/follow-up", response=TalkDetailOut, summary="Follow up a talk")
def follow_up_talk(request, talk_id: int, body: VersionIn):
    """After the pledge deadline: not red closes the talk, still red proposes a referral."""
    access.require_conduct_talk(request.user)
    talk = _talk(request, talk_id)
    return actions.do_follow_up_talk(talk, version=_version(request, body), actor=request.user)


@router.post(
    "/talks/{talk_id}/dismiss-referral", response=TalkDetailOut, summary="Dismiss a referral"
)
def dismiss_referral(request, talk_id: int, body: ReasonIn):
    """The office dismisses the proposed referral with a reason; the talk closes."""
    access.require_refer_case(request.user)
    talk = _talk(request, talk_id)
    return actions.do_dismiss_referral(
        talk, reason=body.reason, version=_version(request, body), actor=request.user
    )


@router.get("/referrals", response=list[ReferralOut], summary="List referred cases")
@paginate(PageNumberPagination)
def list_referrals(request, state: ReferralState | None = None, campaign: str | None = None):
    """The referred cases (office, leaders, discipline inspector), newest first."""
    referrals = _referrals(request, campaign)
    if state:
        referrals = referrals.filter(state=state)
    return referrals.order_by("-referred_at", "-pk")


@router.get("/referrals/{referral_id}", response=ReferralOut, summary="Read a referred case")
def read_referral(request, referral_id: int):
    """One referred case and its decision."""
    return get_object_or_404(_referrals(request), pk=referral_id)


class ReferIn(Schema):
    # A talk whose referral was proposed after its follow-up ...
    talk: int | None = None
    # ... or a matter the office refers directly: the unit's code, the kind of subject
    # and its id or code (neither: the unit as a whole).
    unit: str | None = None
    kind: str = "unit"
    object_id: int | None = None
    subject: str | None = None
    reason: str


@router.post("/referrals", response={201: ReferralOut}, summary="Refer a case")
def refer_case(request, body: ReferIn):
    """The office refers a case to the discipline commission: a talk still red after its
    follow-up, or a matter directly."""
    access.require_refer_case(request.user)
    if body.talk is not None:
        talk = _talk(request, body.talk)
        referral = actions.do_refer_case(talk=talk, reason=body.reason, actor=request.user)
        return Status(201, referral)
    if not body.unit:
        raise ValidationError({"unit": _("Name the talk, or the unit the case is about.")})
    unit = get_object_or_404(Unit, code=body.unit)
    campaign = current_campaign(None)
    referral = actions.do_refer_case(
        campaign=campaign,
        kind=body.kind,
        object_id=_matter(campaign, unit, body.kind, body.object_id, body.subject),
        unit=unit,
        reason=body.reason,
        actor=request.user,
    )
    return Status(201, referral)


@router.post("/referrals/{referral_id}/decide", response=ReferralOut, summary="Record the decision")
def decide_referral(request, referral_id: int, body: DecideIn):
    """The commission's decision (measures, date, text); the case closes."""
    access.require_decide_referral(request.user)
    referral = get_object_or_404(_referrals(request), pk=referral_id)
    return actions.do_decide_referral(
        referral,
        measures=[m.value for m in body.measures],
        decided_on=body.decided_on,
        decision=body.decision,
        version=expected_version(request, body.version, prefix="referral"),
        actor=request.user,
    )


@router.get(
    "/referrals/{referral_id}/case-file",
    response={200: bytes},
    summary="Download the case file (ZIP)",
    openapi_extra={
        "responses": {
            "200": {
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}
            }
        }
    },
)
def referral_case_file(request, referral_id: int):
    """The case file as one ZIP: DOCX documents, JSON data and a manifest of SHA-256 hashes
    and the change-log range (check with ``vanguard audit verify-bundle``)."""
    referral = get_object_or_404(_referrals(request), pk=referral_id)
    content, filename = case_file_zip(referral)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = content_disposition(filename)
    return response
