"""API of supervision orders (督办单), the ladder's proposals, exemptions and rules.

Everything goes through ``org.access``: an order the caller may not see is 404; one they
see but may not act on is 403; a step its state does not allow (an answer to a closed
order) or one someone else took first is 422 with the reason in the caller's language.
"""

import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from vanguard.core.pagination import PageNumberPagination
from vanguard.org import access
from vanguard.org.models import Person, Unit
from vanguard.org.queries import current_campaign
from vanguard.supervision.models.orders import (
    ExemptionGround,
    OrderColour,
    OrderState,
    ProposalKind,
    ProposalState,
)
from vanguard.supervision.orders import queries
from vanguard.supervision.orders.actions import (
    current_rules,
    do_answer_order,
    do_close_order,
    do_grant_exemption,
    do_issue_order,
    do_return_order,
    do_sign_order,
)
from vanguard.supervision.orders.proposals import do_confirm_proposal, do_dismiss_proposal
from vanguard.supervision.orders.subjects import (
    find_subject,
    link_of,
    subject_names,
    with_subject_names,
)

router = Router(tags=["supervision orders"])


class OrderOut(Schema):
    id: int
    number: str
    subject_kind: str
    object_id: int
    subject: str
    subject_url: str
    unit: str
    unit_name: str
    responsible: str | None
    battle: str
    problem: str
    requirement: str
    colour: OrderColour
    state: OrderState
    issued_at: datetime.datetime
    answer_working_days: int
    due_date: datetime.date
    due_provisional: bool
    signed_at: datetime.datetime | None
    answered_at: datetime.datetime | None
    answer: str
    returned_count: int
    closed_at: datetime.datetime | None
    rules_version: int
    proposal: int | None
    url: str

    @staticmethod
    def resolve_subject(obj):
        return obj.subject_label

    @staticmethod
    def resolve_subject_url(obj):
        return link_of(obj.subject_kind, obj.object_id, obj.subject_label)

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.code

    @staticmethod
    def resolve_unit_name(obj):
        return obj.unit.name

    @staticmethod
    def resolve_responsible(obj):
        return obj.responsible.name if obj.responsible_id else None

    @staticmethod
    def resolve_proposal(obj):
        return obj.proposal_id

    @staticmethod
    def resolve_url(obj):
        return reverse("orders:detail", args=[obj.pk])


class StepOut(Schema):
    kind: str
    note: str
    from_colour: str
    to_colour: str
    rules_version: int | None
    by: str | None
    at: datetime.datetime
    files: list[dict]

    @staticmethod
    def resolve_by(obj):
        return obj.actor.get_username() if obj.actor_id else None

    @staticmethod
    def resolve_files(obj):
        return [
            {
                "name": f.name,
                "sha256": f.sha256,
                "size": f.size,
                "url": reverse("orders:evidence", args=[obj.order_id, f.pk]),
            }
            for f in obj.files.all()
        ]


class OrderDetailOut(OrderOut):
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(obj):
        return queries.steps_of(obj)


class IssueIn(Schema):
    # The kind of subject (project, milestone, unit, indicator, blocker) and either its id
    # or its name (a project's code).
    subject_kind: str
    object_id: int | None = None
    subject: str | None = None
    unit: str | None = None
    responsible: int | None = None
    problem: str
    requirement: str
    colour: OrderColour
    answer_working_days: int | None = None


class NoteIn(Schema):
    note: str = ""


class ReasonIn(Schema):
    reason: str


class ConfirmIn(Schema):
    reason: str
    problem: str | None = None
    requirement: str | None = None
    colour: OrderColour | None = None


class ProposalOut(Schema):
    id: int
    kind: ProposalKind
    subject_kind: str
    object_id: int
    subject: str
    unit: str | None
    colour: str
    rule: str
    facts: dict
    rules_version: int
    state: ProposalState
    proposed_at: datetime.datetime
    decided_by: str | None
    decided_at: datetime.datetime | None
    decision_reason: str
    order: int | None

    @staticmethod
    def resolve_subject(obj):
        name = getattr(obj, "subject_name", None)
        if name is None:  # one proposal, just decided: named on its own
            key = (obj.subject_kind, obj.object_id)
            name = subject_names(obj.campaign_id, [key]).get(key)
        return name or (obj.facts or {}).get("label", "")

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.code if obj.unit_id else None

    @staticmethod
    def resolve_decided_by(obj):
        return obj.decided_by.get_username() if obj.decided_by_id else None

    @staticmethod
    def resolve_order(obj):
        order = getattr(obj, "order", None)
        return order.pk if order is not None else None


class ExemptionOut(Schema):
    id: int
    subject_kind: str
    object_id: int
    subject: str
    unit: str | None
    ground: ExemptionGround
    explanation: str
    evidence: str
    evidence_sha256: str
    valid_from: datetime.date
    valid_until: datetime.date
    approved_by: str | None
    approved_at: datetime.datetime

    @staticmethod
    def resolve_subject(obj):
        return obj.subject_label

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.code if obj.unit_id else None

    @staticmethod
    def resolve_evidence(obj):
        return reverse("orders:exemption_evidence", args=[obj.pk])

    @staticmethod
    def resolve_approved_by(obj):
        return obj.approved_by.get_username() if obj.approved_by_id else None


class RulesOut(Schema):
    campaign: str
    version: int
    rules: dict


def _order(user, order_id, campaign=None):
    return get_object_or_404(queries.orders_for(user, current_campaign(campaign)), pk=order_id)


@router.get("/orders", response=list[OrderOut])
@paginate(PageNumberPagination)
def list_orders(
    request,
    campaign: str | None = None,
    colour: OrderColour | None = None,
    state: str = "",
    unit: str = "",
    due: str = "",
):
    """Orders the caller sees, red first then by due date; ``state``: a state or ``open``;
    ``due``: ``overdue`` or ``soon``; ``unit``: the unit's code."""
    the_campaign = current_campaign(campaign)
    today = timezone.localdate()
    found = queries.filtered(
        queries.orders_for(request.user, the_campaign),
        {"colour": colour, "state": state, "unit": unit, "due": due},
        today,
        queries.soon_date(the_campaign, today),
    )
    return found.annotate(rank=queries.COLOUR_RANK).order_by("rank", "due_date", "pk")


@router.get("/orders/{order_id}", response=OrderDetailOut)
def get_order(request, order_id: int, campaign: str | None = None):
    """One order with its history (each step, the answers and their files)."""
    return _order(request.user, order_id, campaign)


@router.post("/orders", response={201: OrderDetailOut})
def issue_order(request, payload: IssueIn, campaign: str | None = None):
    """Issue an order (the office): about a subject named by kind and id or name."""
    access.require_issue_orders(request.user)
    the_campaign = current_campaign(campaign)
    object_id = payload.object_id
    if object_id is None:
        object_id = find_subject(the_campaign, payload.subject_kind, payload.subject or "")
        if object_id is None:
            raise ValidationError(
                {
                    "subject": _("No subject named {name!r} of that kind.").format(
                        name=payload.subject
                    )
                }
            )
    unit = None
    if payload.unit:
        unit = Unit.objects.filter(code=payload.unit).first()
        if unit is None:
            raise ValidationError({"unit": _("Unknown unit {code}.").format(code=payload.unit)})
    responsible = None
    if payload.responsible is not None:
        responsible = Person.objects.filter(pk=payload.responsible).first()
        if responsible is None:
            raise ValidationError({"responsible": _("Unknown person.")})
    order = do_issue_order(
        the_campaign,
        subject_kind=payload.subject_kind,
        object_id=object_id,
        unit=unit,
        responsible=responsible,
        problem=payload.problem,
        requirement=payload.requirement,
        colour=payload.colour,
        answer_working_days=payload.answer_working_days,
        actor=request.user,
    )
    return Status(201, _order(request.user, order.pk, campaign))


@router.post("/orders/{order_id}/sign", response=OrderDetailOut)
def sign_order(request, order_id: int, campaign: str | None = None):
    """The unit signs for the order (its reporters)."""
    do_sign_order(_order(request.user, order_id, campaign), actor=request.user)
    return _order(request.user, order_id, campaign)


@router.post("/orders/{order_id}/answer", response=OrderDetailOut)
def answer_order(
    request,
    order_id: int,
    text: Form[str],
    files: File[list[UploadedFile]] = None,
    campaign: str | None = None,
):
    """The unit answers with what it did and evidence files (multipart: ``text``, ``files``)."""
    do_answer_order(
        _order(request.user, order_id, campaign), text=text, files=files or [], actor=request.user
    )
    return _order(request.user, order_id, campaign)


@router.post("/orders/{order_id}/close", response=OrderDetailOut)
def close_order(request, order_id: int, payload: NoteIn, campaign: str | None = None):
    """Verify the answer and close the order (销号): the office or the battle's task force."""
    do_close_order(_order(request.user, order_id, campaign), note=payload.note, actor=request.user)
    return _order(request.user, order_id, campaign)


@router.post("/orders/{order_id}/return", response=OrderDetailOut)
def return_order(request, order_id: int, payload: ReasonIn, campaign: str | None = None):
    """Send the answer back to the unit, with the reason (the office or the task force)."""
    do_return_order(
        _order(request.user, order_id, campaign), reason=payload.reason, actor=request.user
    )
    return _order(request.user, order_id, campaign)


@router.get("/proposals", response=list[ProposalOut])
@paginate(PageNumberPagination)
def list_proposals(
    request,
    campaign: str | None = None,
    state: ProposalState | None = None,
    kind: ProposalKind | None = None,
):
    """The ladder's proposals, newest first (the office, task forces and leaders)."""
    found = with_subject_names(queries.proposals_for(request.user, current_campaign(campaign)))
    if state:
        found = found.filter(state=state)
    if kind:
        found = found.filter(kind=kind)
    return found.order_by("-proposed_at", "-pk")


def _proposal(user, proposal_id, campaign):
    return get_object_or_404(
        queries.proposals_for(user, current_campaign(campaign)), pk=proposal_id
    )


@router.post("/proposals/{proposal_id}/confirm", response=ProposalOut)
def confirm_proposal(request, proposal_id: int, payload: ConfirmIn, campaign: str | None = None):
    """Confirm a proposal with a reason (the office); an order proposal issues its order."""
    access.require_decide_proposals(request.user)
    proposal = _proposal(request.user, proposal_id, campaign)
    details = {k: v for k, v in payload.dict().items() if k != "reason" and v}
    do_confirm_proposal(proposal, reason=payload.reason, actor=request.user, **details)
    return _proposal(request.user, proposal_id, campaign)


@router.post("/proposals/{proposal_id}/dismiss", response=ProposalOut)
def dismiss_proposal(request, proposal_id: int, payload: ReasonIn, campaign: str | None = None):
    """Dismiss a proposal with a reason (the office)."""
    access.require_decide_proposals(request.user)
    proposal = _proposal(request.user, proposal_id, campaign)
    do_dismiss_proposal(proposal, reason=payload.reason, actor=request.user)
    return _proposal(request.user, proposal_id, campaign)


@router.get("/exemptions", response=list[ExemptionOut])
@paginate(PageNumberPagination)
def list_exemptions(request, campaign: str | None = None, in_force: bool = False):
    """Exemptions from the ladder, latest ending first; ``in_force`` those valid today."""
    found = queries.exemptions_for(request.user, current_campaign(campaign))
    if in_force:
        found = queries.in_force(found, timezone.localdate())
    return found.order_by("-valid_until", "-pk")


@router.post("/exemptions", response={201: ExemptionOut})
def grant_exemption(
    request,
    subject_kind: Form[str],
    ground: Form[ExemptionGround],
    explanation: Form[str],
    valid_from: Form[datetime.date],
    valid_until: Form[datetime.date],
    evidence: File[UploadedFile],
    object_id: Form[int | None] = None,
    subject: Form[str | None] = None,
    campaign: str | None = None,
):
    """Exempt a matter from the ladder (the office), with its evidence file (multipart)."""
    access.require_keep_ladder(request.user)
    the_campaign = current_campaign(campaign)
    if object_id is None:
        object_id = find_subject(the_campaign, subject_kind, subject or "")
        if object_id is None:
            raise ValidationError(
                {"subject": _("No subject named {name!r} of that kind.").format(name=subject)}
            )
    exemption = do_grant_exemption(
        the_campaign,
        subject_kind=subject_kind,
        object_id=object_id,
        ground=ground,
        explanation=explanation,
        evidence=evidence,
        valid_from=valid_from,
        valid_until=valid_until,
        actor=request.user,
    )
    return Status(201, exemption)


@router.get("/ladder-rules", response=RulesOut)
def read_ladder_rules(request, campaign: str | None = None):
    """The campaign's ladder rules now in force (version 0: the defaults)."""
    access.require_see_workspace(request.user)
    the_campaign = current_campaign(campaign)
    version, rules = current_rules(the_campaign)
    return {"campaign": the_campaign.code, "version": version, "rules": rules}
