"""Proposals: the ladder (or the office) proposes an order, a talk or a referral; a person of
the office confirms or dismisses each one, with a reason.

Confirming an order proposal issues the order. What confirming a talk or a referral
does belongs to whoever builds talks and referrals: they register it with
``register_outcome(kind, fn)``, and ``fn(proposal, *, actor, **details)`` runs inside
the confirming transaction. With nothing registered, confirming records the decision.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.core.actors import user_of
from vanguard.notices.choices import NoticeKind
from vanguard.notices.recipients import office_users
from vanguard.notices.send import notify
from vanguard.org import access
from vanguard.org.models import Campaign
from vanguard.supervision.models import Proposal
from vanguard.supervision.models.orders import OrderColour, ProposalKind, ProposalState
from vanguard.supervision.orders.subjects import describe, kind_label, subject_names

REASON_MAX = 2000

# kind -> fn(proposal, *, actor, **details): what confirming a talk or referral starts.
OUTCOMES = {}


def register_outcome(kind, fn):
    """Say what confirming a proposal of ``kind`` (talk, referral) does; registered once."""
    kind = str(kind)
    if kind not in ProposalKind.values or kind == ProposalKind.ORDER:
        raise ValueError("outcomes are registered for talks and referrals, not {!r}".format(kind))
    if kind in OUTCOMES:
        raise ValueError("an outcome for {!r} is already registered".format(kind))
    OUTCOMES[kind] = fn


def _reason(reason):
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    if len(text) > REASON_MAX:
        raise ValidationError(
            {"reason": _("The reason is too long (at most {n} characters).").format(n=REASON_MAX)}
        )
    return text


def do_propose(
    campaign, *, kind, subject_kind, object_id, actor, colour="", rule="office", facts=None
):
    """Propose an order, a talk or a referral about a matter by hand (the office).

    Refused while a proposal of the same kind about the same matter is open.
    """
    from vanguard.supervision.orders.actions import current_rules

    access.require_decide_proposals(actor)
    if kind not in ProposalKind.values:
        raise ValidationError(
            {"kind": _("Choose what to propose: an order, a talk or a referral.")}
        )
    if kind == ProposalKind.ORDER and colour not in OrderColour.values:
        raise ValidationError({"colour": _("Choose the colour: blue, yellow or red.")})
    subject = describe(campaign, subject_kind, object_id)
    version, _rules = current_rules(campaign)
    try:
        with transaction.atomic():
            # The ladder holds the same lock while it proposes: one proposer at a time.
            Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
            proposal = Proposal.objects.create(
                campaign=campaign,
                kind=kind,
                subject_kind=subject.kind,
                object_id=subject.object_id,
                unit_id=subject.unit_id,
                colour=colour if kind == ProposalKind.ORDER else "",
                rule=rule,
                facts={"label": subject.label, **(facts or {})},
                rules_version=version,
            )
            record_changes(
                [Change(proposal, ChangeAction.CREATE, after=snapshot(proposal))], actor=actor
            )
            tell_office_proposals(campaign, [proposal])
    except IntegrityError:
        raise ValidationError(
            _("A proposal of this kind about {subject} is already waiting for a decision.").format(
                subject=subject.label
            )
        ) from None
    return proposal


def tell_office_proposals(campaign, proposals):
    """The office hears that proposals wait for its decision: one notice per batch, in the
    day's digest (the ladder proposes many at night)."""
    if not proposals:
        return
    first = proposals[0]
    count = len(proposals)
    if count == 1:
        subject = _("A proposal awaits your decision: {kind} about {subject}").format(
            kind=first.get_kind_display(), subject=first.facts.get("label", "")
        )
    else:
        subject = ngettext(
            "{n} proposal awaits your decision",
            "{n} proposals await your decision",
            count,
        ).format(n=count)
    notify(
        office_users(),
        kind=NoticeKind.PROPOSAL_WAITING,
        subject=subject,
        url=reverse("orders:proposals"),
        key="proposals:{}:{}".format(campaign.pk, min(p.pk for p in proposals)),
        campaign=campaign,
    )


def _decide(proposal, state, reason, actor, now):
    current = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if current.state != ProposalState.PROPOSED:
        raise ValidationError(
            _("This proposal was already {state} by someone else; reload to see it.").format(
                state=current.get_state_display()
            )
        )
    before = snapshot(current)
    current.state = state
    current.decided_by = user_of(actor)
    current.decided_at = now
    current.decision_reason = reason
    current.save(update_fields=["state", "decided_by", "decided_at", "decision_reason"])
    return current, Change(current, ChangeAction.UPDATE, before, snapshot(current), reason)


def do_dismiss_proposal(proposal, *, reason, actor, now=None):
    """Dismiss a proposal, saying why (office only)."""
    access.require_decide_proposals(actor)
    reason = _reason(reason)
    with transaction.atomic():
        current, change = _decide(
            proposal, ProposalState.DISMISSED, reason, actor, now or timezone.now()
        )
        record_changes([change], actor=actor)
    return current


def default_problem(proposal):
    """The problem an order confirmed from ``proposal`` names, unless the office writes one."""
    facts = proposal.facts or {}
    subject = (proposal.subject_kind, proposal.object_id)
    label = (
        subject_names(proposal.campaign_id, [subject]).get(subject)
        or facts.get("label")
        or "{} {}".format(kind_label(proposal.subject_kind), proposal.object_id)
    )
    if proposal.rule == "red_running":
        return _("{subject} has been red for {periods} periods running (since {since}).").format(
            subject=label, periods=facts.get("periods", "?"), since=facts.get("since", "?")
        )
    return _("{subject} needs supervision.").format(subject=label)


def do_confirm_proposal(proposal, *, reason, actor, now=None, **details):
    """Confirm a proposal (office only), with a reason; an order proposal issues its order.

    ``details`` go to the order (``problem``, ``requirement``, ``colour``, ``responsible``,
    ``answer_working_days``) or to the registered outcome of a talk or a referral.
    """
    from vanguard.supervision.orders.actions import do_issue_order

    access.require_decide_proposals(actor)
    reason = _reason(reason)
    now = now or timezone.now()
    with transaction.atomic():
        current, change = _decide(proposal, ProposalState.CONFIRMED, reason, actor, now)
        outcome = None
        if current.kind == ProposalKind.ORDER:
            outcome = do_issue_order(
                current.campaign,
                subject_kind=current.subject_kind,
                object_id=current.object_id,
                problem=details.get("problem") or default_problem(current),
                requirement=details.get("requirement")
                or _("Find the cause, set out the measures and a timetable, and report back."),
                colour=details.get("colour") or current.colour or OrderColour.RED,
                unit=current.unit_id,
                responsible=details.get("responsible"),
                answer_working_days=details.get("answer_working_days"),
                proposal=current,
                rules_version=current.rules_version,
                actor=actor,
                now=now,
            )
        elif current.kind in OUTCOMES:
            outcome = OUTCOMES[current.kind](current, actor=actor, **details)
        # Logged last: the change log's head is the last lock a write takes, after the
        # order counter the outcome locks (decision 0028), as every issue of an order does.
        record_changes([change], actor=actor)
    return current, outcome
