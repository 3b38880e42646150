"""Every write to talks and referrals: one transaction each, the rule of ``org.access``
checked, the row locked (a second writer on a changed talk is told, not overwritten),
the change in the log.

The ladder plugs in through ``do_propose_talk(..., proposal_id=N)``: a talk it proposes
keeps the proposal's number. ``at`` (the moment of a step) is for the demo's history;
every door leaves it to the clock.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.core.actors import user_of
from vanguard.core.preconditions import STALE
from vanguard.org import access
from vanguard.org.models import Campaign, Person
from vanguard.supervision.choices import Light
from vanguard.supervision.kinds import KINDS, name_expression, rules_for
from vanguard.supervision.models import LightState, Referral, Talk
from vanguard.supervision.models.talks import (
    Measure,
    ReferralState,
    TalkOutcome,
    TalkState,
    TalkType,
)

TEXT_MAX = 5000


def _text(value, field, label, *, required=True, limit=TEXT_MAX):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Please fill in {label}.").format(label=label)})
    if len(value) > limit:
        raise ValidationError(
            {
                field: _("{label} is longer than {limit} characters.").format(
                    label=label, limit=limit
                )
            }
        )
    return value


def _locked_talk(talk, version):
    """The talk re-read under a lock; a form made on another version is refused."""
    locked = Talk.objects.select_for_update().get(pk=talk.pk)
    if version is not None and int(version) != locked.version:
        raise ValidationError(
            _("This talk was changed by someone else meanwhile; reload the page and try again."),
            code=STALE,
        )
    return locked


def _not_approved(talk):
    if talk.state == TalkState.PROPOSED:
        raise ValidationError(
            _("This talk has not been approved by a leader yet: it cannot be notified or held.")
        )


def _save(talk, before, fields, actor, reason="", extra=None):
    talk.version += 1
    talk.save(update_fields=[*fields, "version"])
    after = snapshot(talk)
    if extra:
        after.update(extra)
    record_changes([Change(talk, ChangeAction.UPDATE, before, after, reason)], actor=actor)
    return talk


# A problem of the one pool may be a matter too (orders are issued about problems); it
# has no light, so it counts as red while it is open.
BLOCKER = "blocker"


def _matter_kinds():
    return [*KINDS, BLOCKER]


def _still_red(talk):
    """The matter's light at follow-up: its stored light, or red for a problem still open."""
    if talk.kind == BLOCKER:
        from vanguard.blockers.choices import BlockerState
        from vanguard.blockers.models import Blocker

        state = Blocker.objects.filter(pk=talk.object_id).values_list("state", flat=True).first()
        return Light.RED if state == BlockerState.OPEN else Light.GREEN
    return (
        LightState.objects.filter(
            campaign_id=talk.campaign_id, kind=talk.kind, object_id=talk.object_id
        )
        .values_list("light", flat=True)
        .first()
    ) or ""


def subject_of(campaign, kind, object_id):
    """(label, unit id) of a subject as the lights know it, or (None, None) without a light."""
    if kind == BLOCKER:
        from vanguard.blockers.models import Blocker

        row = Blocker.objects.filter(pk=object_id).values("title", "unit_id").first()
        return (row["title"][:200], row["unit_id"]) if row else (None, None)
    rules = rules_for(kind)
    states = LightState.objects.filter(campaign=campaign, kind=kind, object_id=object_id)
    name = name_expression(kind)
    if name is not None:
        states = states.annotate(name=name)
    row = states.values(*(["name"] if name is not None else []), "unit_id").first()
    if row is None:
        return None, None
    name = row.get("name")
    label = "{} {}".format(rules.label, name) if name else "{} #{}".format(rules.label, object_id)
    return label, row["unit_id"]


def subject_by_code(campaign, kind, code, unit):
    """The id of the ``unit``'s subject of ``kind`` that the pages name ``code`` (a project's
    code, a unit's code), among the subjects with a light; None when there is none."""
    if kind == BLOCKER:
        return None
    rules = rules_for(kind)
    if rules.subject_code is None:
        return None
    states = LightState.objects.filter(campaign=campaign, kind=kind, unit=unit)
    return (
        states.annotate(code=rules.subject_code())
        .filter(code=code)
        .values_list("object_id", flat=True)
        .first()
    )


def do_propose_talk(
    campaign,
    *,
    kind,
    object_id,
    talk_type,
    reason,
    actor,
    unit=None,
    subject_label="",
    proposal_id=None,
    at=None,
):
    """Propose a talk about one matter (a subject of the light engine) of a unit."""
    access.require_propose_talk(actor)
    kind = str(kind)
    if kind not in _matter_kinds():
        raise ValidationError({"kind": _("Unknown kind of matter: {kind}.").format(kind=kind)})
    if talk_type not in TalkType.values:
        raise ValidationError({"talk_type": _("Choose a talk type.")})
    reason = _text(reason, "reason", _("the reason for the talk"))
    label, unit_id = subject_of(campaign, kind, object_id)
    unit_id = getattr(unit, "pk", unit) or unit_id
    if unit_id is None:
        raise ValidationError({"unit": _("Name the unit the talk is held with.")})
    if kind == "unit" and not label:
        label = str(rules_for(kind).label)
    with transaction.atomic():
        talk = Talk.objects.create(
            campaign=campaign,
            kind=kind,
            object_id=object_id,
            subject_label=(subject_label or label or "{} #{}".format(kind, object_id))[:200],
            unit_id=unit_id,
            talk_type=talk_type,
            reason=reason,
            proposal_id=proposal_id,
            proposed_by=user_of(actor),
            proposed_at=at or timezone.now(),
        )
        record_changes([Change(talk, ChangeAction.CREATE, None, snapshot(talk))], actor=actor)
    return talk


def do_approve_talk(talk, *, actor, version=None, at=None):
    """A leader approves a proposed talk."""
    access.require_approve_talk(actor)
    with transaction.atomic():
        talk = _locked_talk(talk, version)
        if talk.state != TalkState.PROPOSED:
            raise ValidationError(_("Only a proposed talk can be approved."))
        before = snapshot(talk)
        talk.state = TalkState.APPROVED
        talk.approved_by = user_of(actor)
        talk.approved_at = at or timezone.now()
        return _save(talk, before, ["state", "approved_by", "approved_at"], actor)


def do_notify_talk(talk, *, scheduled_on, place, actor, version=None, at=None):
    """Number the notice (约谈通知书) of an approved talk and set its date and place."""
    access.require_conduct_talk(actor)
    place = _text(place, "place", _("the place"), limit=200)
    if scheduled_on is None:
        raise ValidationError({"scheduled_on": _("Please fill in the talk date.")})
    with transaction.atomic():
        talk = _locked_talk(talk, version)
        _not_approved(talk)
        if talk.state != TalkState.APPROVED:
            raise ValidationError(_("This talk has already been notified."))
        # The campaign row serialises numbering: two notices never take one number.
        Campaign.objects.select_for_update().filter(pk=talk.campaign_id).first()
        year = scheduled_on.year
        last = Talk.objects.filter(campaign_id=talk.campaign_id, notice_year=year).aggregate(
            last=Max("notice_seq")
        )["last"]
        before = snapshot(talk)
        talk.state = TalkState.NOTIFIED
        talk.notice_year, talk.notice_seq = year, (last or 0) + 1
        talk.scheduled_on, talk.place = scheduled_on, place
        talk.notified_at = at or timezone.now()
        fields = ["state", "notice_year", "notice_seq", "scheduled_on", "place", "notified_at"]
        return _save(talk, before, fields, actor)


def do_record_talk(
    talk,
    *,
    held_on,
    interviewers,
    interviewees,
    facts,
    statement,
    requirements,
    pledge,
    actor,
    place="",
    pledge_due=None,
    version=None,
):
    """Record a held talk: who talked with whom, the facts, the unit's statement and
    defence (陈述申辩), the requirements and the written pledge with its deadline."""
    access.require_conduct_talk(actor)
    facts = _text(facts, "facts", _("the facts"))
    statement = _text(statement, "statement", _("the statement and defence"), required=False)
    requirements = _text(requirements, "requirements", _("the requirements"))
    pledge = _text(pledge, "pledge", _("the written pledge"))
    if held_on is None:
        raise ValidationError({"held_on": _("Please fill in the date the talk was held.")})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A talk cannot be recorded before it is held.")})
    pledge_due = pledge_due or Talk.default_pledge_due(held_on)
    if pledge_due <= held_on:
        raise ValidationError({"pledge_due": _("The pledge deadline must come after the talk.")})
    interviewers, interviewees = list(interviewers or []), list(interviewees or [])
    if not interviewers:
        raise ValidationError({"interviewers": _("Name who held the talk.")})
    if not interviewees:
        raise ValidationError({"interviewees": _("Name who was talked with.")})
    with transaction.atomic():
        talk = _locked_talk(talk, version)
        _not_approved(talk)
        if talk.state == TalkState.APPROVED:
            raise ValidationError(_("Send the notice before recording the talk."))
        if talk.state != TalkState.NOTIFIED:
            raise ValidationError(_("This talk has already been recorded."))
        if talk.scheduled_on and held_on < talk.scheduled_on - datetime.timedelta(days=30):
            raise ValidationError({"held_on": _("The date is long before the notified date.")})
        before = snapshot(talk)
        before.update(interviewers=[], interviewees=[])
        talk.state = TalkState.HELD
        talk.held_on, talk.pledge_due = held_on, pledge_due
        talk.recorded_at = timezone.now()
        talk.facts, talk.statement = facts, statement
        talk.requirements, talk.pledge = requirements, pledge
        if place:
            talk.place = _text(place, "place", _("the place"), limit=200)
        talk.interviewers.set(interviewers)
        talk.interviewees.set(interviewees)
        people = {
            "interviewers": sorted(p.pk if isinstance(p, Person) else p for p in interviewers),
            "interviewees": sorted(p.pk if isinstance(p, Person) else p for p in interviewees),
        }
        fields = ["state", "held_on", "recorded_at", "pledge_due", "facts", "statement"]
        return _save(
            talk, before, [*fields, "requirements", "pledge", "place"], actor, extra=people
        )


def do_follow_up_talk(talk, *, actor, today=None, version=None):
    """After the pledge deadline the matter's light decides: not red closes the talk,
    still red proposes a referral for the office to confirm or dismiss."""
    access.require_conduct_talk(actor)
    today = today or timezone.localdate()
    with transaction.atomic():
        talk = _locked_talk(talk, version)
        if talk.state != TalkState.HELD:
            raise ValidationError(_("Only a held talk is followed up."))
        if today < talk.pledge_due:
            raise ValidationError(
                _("The pledge is due on {date}: follow up after that day.").format(
                    date=talk.pledge_due.isoformat()
                )
            )
        light = _still_red(talk)
        before = snapshot(talk)
        talk.light_at_follow_up, talk.followed_up_on = light, today
        if light == Light.RED:
            talk.state, talk.outcome = TalkState.REFERRAL_PROPOSED, TalkOutcome.STILL_RED
        else:
            talk.state, talk.outcome = TalkState.CLOSED, TalkOutcome.IMPROVED
        fields = ["state", "outcome", "light_at_follow_up", "followed_up_on"]
        return _save(talk, before, fields, actor)


def do_dismiss_referral(talk, *, reason, actor, version=None):
    """The office dismisses a proposed referral, with its reason; the talk closes."""
    access.require_refer_case(actor)
    reason = _text(reason, "reason", _("the reason for dismissing"))
    with transaction.atomic():
        talk = _locked_talk(talk, version)
        if talk.state != TalkState.REFERRAL_PROPOSED:
            raise ValidationError(_("No referral is proposed for this talk."))
        before = snapshot(talk)
        talk.state, talk.outcome = TalkState.CLOSED, TalkOutcome.DISMISSED
        talk.dismissal_reason = reason
        return _save(talk, before, ["state", "outcome", "dismissal_reason"], actor, reason)


def do_refer_case(
    *, reason, actor, talk=None, campaign=None, kind="", object_id=None, unit=None, at=None
):
    """Refer a case to the discipline commission: a talk whose referral was proposed, or a
    matter the office refers directly (``campaign``, ``kind``, ``object_id``, ``unit``)."""
    access.require_refer_case(actor)
    reason = _text(reason, "reason", _("the grounds for referral"))
    with transaction.atomic():
        changes = []
        if talk is not None:
            talk = _locked_talk(talk, None)
            if talk.state != TalkState.REFERRAL_PROPOSED:
                raise ValidationError(
                    _("Only a talk whose referral was proposed after its follow-up is referred.")
                )
            before = snapshot(talk)
            talk.state = TalkState.REFERRED
            talk.version += 1
            talk.save(update_fields=["state", "version"])
            changes.append(Change(talk, ChangeAction.UPDATE, before, snapshot(talk), reason))
            campaign, kind, object_id = talk.campaign, talk.kind, talk.object_id
            unit_id, label = talk.unit_id, talk.subject_label
        else:
            if campaign is None or str(kind) not in _matter_kinds() or object_id is None:
                raise ValidationError(_("Name the matter to refer."))
            label, unit_id = subject_of(campaign, kind, object_id)
            unit_id = getattr(unit, "pk", unit) or unit_id
            if unit_id is None:
                raise ValidationError({"unit": _("Name the unit the case is about.")})
            label = label or "{} #{}".format(kind, object_id)
        referral = Referral.objects.create(
            campaign=campaign,
            talk=talk,
            kind=kind,
            object_id=object_id,
            subject_label=label[:200],
            unit_id=unit_id,
            reason=reason,
            referred_by=user_of(actor),
            referred_at=at or timezone.now(),
        )
        changes.append(Change(referral, ChangeAction.CREATE, None, snapshot(referral)))
        record_changes(changes, actor=actor)
    return referral


def do_decide_referral(referral, *, measures, decided_on, decision, actor, version=None):
    """The commission's decision: its measures (several may combine, or no action), date
    and text; the case closes."""
    access.require_decide_referral(actor)
    measures = list(dict.fromkeys(str(m) for m in measures or []))
    unknown = [m for m in measures if m not in Measure.values]
    if not measures or unknown:
        raise ValidationError({"measures": _("Choose the measures decided (or no action).")})
    if Measure.NONE in measures and len(measures) > 1:
        raise ValidationError({"measures": _("“No action” cannot be combined with a measure.")})
    decision = _text(decision, "decision", _("the decision"))
    if decided_on is None:
        raise ValidationError({"decided_on": _("Please fill in the date of the decision.")})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("The decision date cannot be in the future.")})
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if version is not None and int(version) != locked.version:
            raise ValidationError(
                _("This case was changed by someone else meanwhile; reload the page."),
                code=STALE,
            )
        if locked.state != ReferralState.REFERRED:
            raise ValidationError(_("This case is already decided and closed."))
        if decided_on < timezone.localtime(locked.referred_at).date():
            raise ValidationError({"decided_on": _("The decision cannot precede the referral.")})
        before = snapshot(locked)
        locked.state = ReferralState.DECIDED
        locked.measures, locked.decided_on, locked.decision = measures, decided_on, decision
        locked.decided_by = user_of(actor)
        locked.version += 1
        locked.save(
            update_fields=["state", "measures", "decided_on", "decision", "decided_by", "version"]
        )
        record_changes([Change(locked, ChangeAction.UPDATE, before, snapshot(locked))], actor=actor)
    return locked


def _proposal_label(proposal):
    facts = getattr(proposal, "facts", None) or {}
    return facts.get("label") or "{} #{}".format(proposal.subject_kind, proposal.object_id)


def propose_talk_from_proposal(proposal, *, actor, talk_type=TalkType.WORK, reason="", **details):
    """What confirming a ladder proposal of a talk does: the talk, proposed with the
    proposal's number (registered with the ladder's ``register_outcome("talk", ...)``)."""
    label = _proposal_label(proposal)
    return do_propose_talk(
        proposal.campaign,
        kind=proposal.subject_kind,
        object_id=proposal.object_id,
        unit=proposal.unit_id,
        talk_type=talk_type,
        reason=reason
        or _("Proposed by the ladder (proposal #{number}): {subject}.").format(
            number=proposal.pk, subject=label
        ),
        subject_label=label,
        proposal_id=proposal.pk,
        actor=actor,
    )


def refer_from_proposal(proposal, *, actor, reason="", **details):
    """What confirming a ladder proposal of a referral does: the case goes to the
    commission (registered with ``register_outcome("referral", ...)``)."""
    return do_refer_case(
        campaign=proposal.campaign,
        kind=proposal.subject_kind,
        object_id=proposal.object_id,
        unit=proposal.unit_id,
        reason=reason
        or _("Referred on the ladder's proposal #{number}: {subject}.").format(
            number=proposal.pk, subject=_proposal_label(proposal)
        ),
        actor=actor,
    )
