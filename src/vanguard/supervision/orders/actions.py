"""Every write to supervision orders: issue, sign for, answer, close (销号), send back; the
ladder's rules and exemptions. One transaction each, access checked, change logged.

An order's row is locked (``select_for_update``) before its state is checked, so of two
people acting on it at once one wins and the other is told what happened.
"""

import datetime
import os

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.calendar.due import working_day_after
from vanguard.calendar.services import load_calendar
from vanguard.core.actors import user_of
from vanguard.exchange.files import check_upload, extension_of
from vanguard.notices.choices import NoticeKind
from vanguard.notices.send import notify_unit
from vanguard.org import access
from vanguard.supervision.models import (
    Exemption,
    LadderRules,
    OrderCounter,
    OrderEvidence,
    OrderStep,
    SupervisionOrder,
)
from vanguard.supervision.models.orders import OrderColour, OrderState, StepKind
from vanguard.supervision.orders.rules import DEFAULTS, merged, parse_rules
from vanguard.supervision.orders.subjects import describe

TEXT_MAX = 4000
FILE_MAX_BYTES = 20 * 1024 * 1024
FILE_EXTENSIONS = (
    "pdf",
    "ofd",
    "jpg",
    "jpeg",
    "png",
    "webp",
    "doc",
    "docx",
    "wps",
    "xls",
    "xlsx",
    "et",
)
FILES_MAX = 10

STATE_WORDS = {
    OrderState.ISSUED: gettext_lazy("issued and not yet signed for"),
    OrderState.SIGNED: gettext_lazy("signed for and waiting for its answer"),
    OrderState.ANSWERED: gettext_lazy("answered and waiting for verification"),
    OrderState.RETURNED: gettext_lazy("sent back to the unit to answer again"),
    OrderState.CLOSED: gettext_lazy("closed (verified)"),
}


# --- the ladder's rules ---------------------------------------------------------------------


def current_rules(campaign):
    """``(version, rules)`` of the campaign's ladder: its newest version, else the defaults (0)."""
    row = LadderRules.objects.filter(campaign=campaign).order_by("-version").first()
    if row is None:
        return 0, merged({})
    return row.version, merged(row.rules)


def do_set_ladder_rules(campaign, text, *, actor, note=""):
    """Load a rule file as the campaign's next ladder version (office only); old ones are kept."""
    access.require_keep_ladder(actor)
    rules = parse_rules(text)
    with transaction.atomic():
        # Lock the campaign's versions: two loads at once get two numbers, not one.
        latest = (
            LadderRules.objects.select_for_update()
            .filter(campaign=campaign)
            .order_by("-version")
            .first()
        )
        if latest is not None and merged(latest.rules) == rules:
            raise ValidationError(
                _("The rules are the same as version {version}; nothing was changed.").format(
                    version=latest.version
                )
            )
        try:
            with transaction.atomic():
                row = LadderRules.objects.create(
                    campaign=campaign,
                    version=(latest.version if latest else 0) + 1,
                    rules=rules,
                    source=text,
                    note=(note or "").strip()[:200],
                    created_by=user_of(actor),
                )
        except IntegrityError:
            raise ValidationError(
                _("Someone else loaded ladder rules at the same moment; reload and try again.")
            ) from None
        record_changes([Change(row, ChangeAction.CREATE, after=snapshot(row))], actor=actor)
    return row


# --- issuing ---------------------------------------------------------------------------------


def _text(value, field, label, *, required=True):
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("Write the {what}.").format(what=label)})
    if len(text) > TEXT_MAX:
        raise ValidationError(
            {
                field: _("The {what} is too long (at most {n} characters).").format(
                    what=label, n=TEXT_MAX
                )
            }
        )
    return text


def _next_number(campaign, year):
    """The next serial of ``campaign``'s orders in ``year``, its counter row locked till commit."""
    counter = OrderCounter.objects.select_for_update().filter(campaign=campaign, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                OrderCounter.objects.create(campaign=campaign, year=year)
        except IntegrityError:
            pass  # another issue created it first: lock theirs
        counter = OrderCounter.objects.select_for_update().get(campaign=campaign, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def order_number(year, serial):
    return "督办〔{}〕{}号".format(year, serial)


def answer_due(issued_on, working_days, calendar=None):
    """The answer deadline: ``working_days`` working days after the day of issue."""
    return working_day_after(issued_on, calendar or load_calendar(), working_days)


def do_issue_order(
    campaign,
    *,
    subject_kind,
    object_id,
    problem,
    requirement,
    colour,
    actor,
    unit=None,
    responsible=None,
    answer_working_days=None,
    proposal=None,
    rules_version=None,
    now=None,
):
    """Issue a supervision order about one matter (office only); the clock starts now."""
    access.require_issue_orders(actor)
    if colour not in OrderColour.values:
        raise ValidationError({"colour": _("Choose the colour: blue, yellow or red.")})
    problem = _text(problem, "problem", _("problem"))
    requirement = _text(requirement, "requirement", _("requirement"))
    subject = describe(campaign, subject_kind, object_id)
    unit_id = getattr(unit, "pk", unit) or subject.unit_id
    if unit_id is None:
        raise ValidationError({"unit": _("Choose the unit the order is sent to.")})
    if responsible is not None and responsible.unit_id != unit_id:
        raise ValidationError(
            {"responsible": _("The responsible person must work in the unit the order is sent to.")}
        )
    version, rules = current_rules(campaign)
    if answer_working_days is None:
        answer_working_days = rules["answer_working_days"][colour]
    if not 1 <= int(answer_working_days) <= 120:
        raise ValidationError(
            {"answer_working_days": _("The answer deadline is 1 to 120 working days.")}
        )
    now = now or timezone.now()
    due = answer_due(timezone.localdate(now), int(answer_working_days))
    with transaction.atomic():
        year = timezone.localdate(now).year
        serial = _next_number(campaign, year)
        order = SupervisionOrder.objects.create(
            campaign=campaign,
            year=year,
            serial=serial,
            number=order_number(year, serial),
            subject_kind=subject.kind,
            object_id=subject.object_id,
            subject_label=subject.label,
            unit_id=unit_id,
            responsible=responsible,
            battle=subject.battle,
            problem=problem,
            requirement=requirement,
            colour=colour,
            issued_at=now,
            issued_by=user_of(actor),
            answer_working_days=int(answer_working_days),
            due_date=due.day,
            due_provisional=due.provisional,
            clock_from=due.day,
            proposal=proposal,
            rules_version=version if rules_version is None else rules_version,
        )
        step = OrderStep.objects.create(
            order=order,
            kind=StepKind.ISSUED,
            to_colour=colour,
            rules_version=order.rules_version,
            actor=user_of(actor),
            at=now,
        )
        record_changes(
            [
                Change(order, ChangeAction.CREATE, after=snapshot(order)),
                Change(step, ChangeAction.CREATE, after=snapshot(step)),
            ],
            actor=actor,
        )
        _tell_issued(order, responsible)
    return order


def _tell_issued(order, responsible):
    """The unit's reporters and the named responsible person hear of the order at once."""
    notify_unit(
        order.unit_id,
        also=[responsible.user_id] if responsible is not None else [],
        kind=NoticeKind.ORDER_ISSUED,
        subject=_("Supervision order {number}: {subject}").format(
            number=order.number, subject=order.subject_label
        ),
        body=_("Answer by {due}: {requirement}").format(
            due=order.due_date.isoformat(), requirement=order.requirement
        ),
        url=reverse("orders:detail", args=[order.pk]),
        key="order:{}".format(order.pk),
        campaign=order.campaign_id,
        due=order.due_date,
        at_once=True,
    )


# --- the lifecycle ---------------------------------------------------------------------------


def _locked(order, allowed, doing):
    """The order's row, locked; refused in Chinese when its state does not allow ``doing``."""
    current = SupervisionOrder.objects.select_for_update().select_related("unit").get(pk=order.pk)
    if current.state not in allowed:
        raise ValidationError(
            _("Order {number} is {state}; it cannot be {doing} now.").format(
                number=current.number, state=STATE_WORDS[current.state], doing=doing
            )
        )
    return current


def _step(current, kind, *, actor, note="", now, **extra):
    return OrderStep.objects.create(
        order=current, kind=kind, note=note, actor=user_of(actor), at=now, **extra
    )


def _transition(
    order, *, allowed, doing, kind, state, actor, note="", fields=(), set_fields=None, now=None
):
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(order, allowed, doing)
        before = snapshot(current)
        current.state = state
        for name, value in (set_fields or {}).items():
            setattr(current, name, value(current, now) if callable(value) else value)
        current.save(update_fields=["state", *fields, *(set_fields or {})])
        step = _step(current, kind, actor=actor, note=note, now=now)
        record_changes(
            [
                Change(current, ChangeAction.UPDATE, before, snapshot(current), note),
                Change(step, ChangeAction.CREATE, after=snapshot(step)),
            ],
            actor=actor,
        )
    return current


def do_sign_order(order, *, actor, now=None):
    """The unit signs for an order (its reporters); the deadline still counts from issue."""
    access.require_answer_order(actor, order)
    return _transition(
        order,
        allowed=(OrderState.ISSUED,),
        doing=pgettext("order action", "signed for"),
        kind=StepKind.SIGNED,
        state=OrderState.SIGNED,
        actor=actor,
        set_fields={"signed_at": lambda current, now: now},
        now=now,
    )


def _checked_files(files):
    files = [f for f in (files or []) if f]
    if len(files) > FILES_MAX:
        raise ValidationError({"files": _("At most {n} files per answer.").format(n=FILES_MAX)})
    safe = []
    for upload in files:
        name = os.path.basename(getattr(upload, "name", "") or "")
        if extension_of(name) not in FILE_EXTENSIONS:
            raise ValidationError(
                {
                    "files": _(
                        "“{name}” is not an accepted file: upload a PDF or OFD document, a JPG, "
                        "PNG or WebP image, or a Word or Excel file."
                    ).format(name=name)
                }
            )
        try:
            safe.append(check_upload(upload, limit=FILE_MAX_BYTES, extensions=FILE_EXTENSIONS))
        except ValidationError as error:
            raise ValidationError({"files": error.messages}) from None
    return safe


def do_answer_order(order, *, text, actor, files=(), now=None):
    """The unit answers an order with what it did, and evidence files (its reporters)."""
    access.require_answer_order(actor, order)
    text = _text(text, "answer", _("answer"))
    safe = _checked_files(files)
    now = now or timezone.now()
    stored = []
    with transaction.atomic():
        current = _locked(
            order, (OrderState.SIGNED, OrderState.RETURNED), pgettext("order action", "answered")
        )
        before = snapshot(current)
        current.state = OrderState.ANSWERED
        current.answer = text
        current.answered_at = now
        current.save(update_fields=["state", "answer", "answered_at"])
        step = _step(current, StepKind.ANSWERED, actor=actor, note=text, now=now)
        changes = [
            Change(current, ChangeAction.UPDATE, before, snapshot(current)),
            Change(step, ChangeAction.CREATE, after=snapshot(step)),
        ]
        try:
            for item in safe:
                evidence = OrderEvidence(
                    order=current,
                    step=step,
                    sha256=item.sha256,
                    size=len(item.content),
                    uploaded_at=now,
                )
                evidence.file.save(
                    "{}-{}".format(current.pk, item.name), ContentFile(item.content), save=False
                )
                stored.append(evidence.file.name)
                evidence.save()
                changes.append(Change(evidence, ChangeAction.CREATE, after=snapshot(evidence)))
            record_changes(changes, actor=actor)
        except BaseException:
            for name in stored:
                OrderEvidence.file.field.storage.delete(name)
            raise
    return current


def do_close_order(order, *, actor, note="", now=None):
    """Verify an answer and close the order (销号): the office or the battle's task force."""
    access.require_verify_order(actor, order)
    note = _text(note, "note", _("note"), required=False)
    return _transition(
        order,
        allowed=(OrderState.ANSWERED,),
        doing=pgettext("order action", "closed"),
        kind=StepKind.CLOSED,
        state=OrderState.CLOSED,
        actor=actor,
        note=note,
        set_fields={"closed_at": lambda current, now: now},
        now=now,
    )


def do_return_order(order, *, reason, actor, now=None):
    """Send an answer back to the unit to answer again, saying why (office or task force)."""
    access.require_verify_order(actor, order)
    reason = _text(reason, "reason", _("reason"))
    return _transition(
        order,
        allowed=(OrderState.ANSWERED,),
        doing=pgettext("order action", "sent back"),
        kind=StepKind.RETURNED,
        state=OrderState.RETURNED,
        actor=actor,
        note=reason,
        set_fields={"returned_count": lambda current, now: current.returned_count + 1},
        now=now,
    )


# --- exemptions ------------------------------------------------------------------------------


def do_grant_exemption(
    campaign,
    *,
    subject_kind,
    object_id,
    ground,
    explanation,
    evidence,
    valid_from,
    valid_until,
    actor,
):
    """Exempt a matter from the ladder for a while, on a documented ground (office only)."""
    from vanguard.supervision.models.orders import ExemptionGround

    access.require_keep_ladder(actor)
    if ground not in ExemptionGround.values:
        raise ValidationError({"ground": _("Choose the ground of the exemption.")})
    explanation = _text(explanation, "explanation", _("explanation"))
    if not isinstance(valid_from, datetime.date) or not isinstance(valid_until, datetime.date):
        raise ValidationError(
            {"valid_until": _("Give the dates the exemption runs from and until.")}
        )
    if valid_until < valid_from:
        raise ValidationError(
            {"valid_until": _("The exemption must end on or after its first day.")}
        )
    if not evidence:
        raise ValidationError({"evidence": _("Attach the document the exemption rests on.")})
    safe = _checked_files([evidence])[0]
    subject = describe(campaign, subject_kind, object_id)
    with transaction.atomic():
        exemption = Exemption(
            campaign=campaign,
            subject_kind=subject.kind,
            object_id=subject.object_id,
            subject_label=subject.label,
            unit_id=subject.unit_id,
            ground=ground,
            explanation=explanation,
            evidence_sha256=safe.sha256,
            valid_from=valid_from,
            valid_until=valid_until,
            approved_by=user_of(actor),
        )
        exemption.evidence.save(safe.name, ContentFile(safe.content), save=False)
        try:
            exemption.save()
            record_changes(
                [Change(exemption, ChangeAction.CREATE, after=snapshot(exemption))], actor=actor
            )
        except BaseException:
            exemption.evidence.storage.delete(exemption.evidence.name)
            raise
    return exemption


__all__ = [
    "DEFAULTS",
    "answer_due",
    "current_rules",
    "do_answer_order",
    "do_close_order",
    "do_grant_exemption",
    "do_issue_order",
    "do_return_order",
    "do_set_ladder_rules",
    "do_sign_order",
]
