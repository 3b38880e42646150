"""What supervision hands out to the work queue (supervision.queue): orders to sign for
and answer (a unit's reporters), answers to check (the office and the order's battle's
task force), the ladder's proposals to decide and the bulletins to issue (the office).
Each kind reads in a fixed number of queries."""

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanguard.org import access
from vanguard.org.choices import Role
from vanguard.supervision.bulletins.workspace import bulletin_rows
from vanguard.supervision.choices import UNANSWERED, OrderState, StepKind
from vanguard.supervision.models import OrderStep, SupervisionOrder
from vanguard.supervision.orders import queries
from vanguard.supervision.queue import (
    OFFICE,
    REPORTER,
    TASK_FORCE,
    QueueItem,
    Section,
    register_queue,
)


def _reports_for_some_unit(user):
    return bool(access.access_for(user).unit_ids)


def _is_office(user):
    return access.access_for(user).has(Role.OFFICE)


def _checks_answers(user):
    held = access.access_for(user)
    return held.has(Role.OFFICE) or bool(held.battles)


def orders_to_answer(campaign, user, today, limit):
    """The orders sent to the user's units still waiting for their answer, soonest due
    first; a returned one says why it came back."""
    held = access.access_for(user)
    last_return = (
        OrderStep.objects.filter(order=OuterRef("pk"), kind=StepKind.RETURNED)
        .order_by("-at", "-pk")
        .values("note")[:1]
    )
    waiting = SupervisionOrder.objects.filter(
        campaign=campaign, unit_id__in=held.unit_ids, state__in=UNANSWERED
    )
    rows = waiting.select_related("unit").annotate(return_note=Subquery(last_return))
    items = []
    for order in rows.order_by("due_date", "pk")[:limit]:
        if order.state == OrderState.RETURNED:
            reason = _("Answer returned: {reason}").format(reason=order.return_note or "")
        elif order.state == OrderState.ISSUED:
            reason = _("To sign for, then answer: {requirement}").format(
                requirement=order.requirement
            )
        else:
            reason = _("To answer: {requirement}").format(requirement=order.requirement)
        items.append(
            QueueItem(
                label="{} {}".format(order.number, order.subject_label),
                url=reverse("orders:detail", args=[order.pk]),
                due=order.due_date,
                late=order.due_date < today,
                reason=reason,
                unit=order.unit.name,
            )
        )
    return Section(waiting.count(), items, waiting.filter(due_date__lt=today).count())


def answers_to_check(campaign, user, today, limit):
    """Answered orders the user verifies: every one for the office, its battle's for a
    task force (never an order to a unit the member reports for)."""
    held = access.access_for(user)
    answered = SupervisionOrder.objects.filter(campaign=campaign, state=OrderState.ANSWERED)
    if not held.has(Role.OFFICE):
        answered = answered.filter(battle__in=held.battles).exclude(unit_id__in=held.unit_ids)
    items = [
        QueueItem(
            label="{} {}".format(order.number, order.subject_label),
            url=reverse("orders:detail", args=[order.pk]),
            reason=order.answer,
            unit=order.unit.name,
        )
        for order in answered.select_related("unit").order_by("answered_at", "pk")[:limit]
    ]
    return Section(answered.count(), items)


def proposals_to_decide(campaign, user, today, limit):
    """The ladder's proposals waiting for the office, oldest first."""
    waiting = queries.open_proposals(user, campaign)
    items = [
        QueueItem(
            label=_("{kind}: {subject}").format(
                kind=proposal.get_kind_display(), subject=proposal.subject_label
            ),
            url=reverse("orders:workspace"),
            unit=proposal.unit.name if proposal.unit_id else "",
        )
        for proposal in queries.decorate_proposals(waiting.select_related("unit")[:limit])
    ]
    return Section(waiting.count(), items)


def bulletins_to_issue(campaign, user, today, limit):
    """The bulletins the office's workspace names: drafts to issue, a month not drafted."""
    rows = bulletin_rows(user, campaign, today)
    return Section(len(rows), [QueueItem(label=label, url=url) for label, url in rows[:limit]])


def register():
    register_queue(
        "orders_to_answer",
        gettext_lazy("Supervision orders to sign for and answer"),
        orders_to_answer,
        role=REPORTER,
        applies=_reports_for_some_unit,
        more_url=lambda campaign: reverse("orders:list") + "?state=open",
    )
    register_queue(
        "answers_to_check",
        gettext_lazy("Order answers to check"),
        answers_to_check,
        role=TASK_FORCE,
        applies=_checks_answers,
        more_url=lambda campaign: reverse("orders:list") + "?state=answered",
    )
    register_queue(
        "proposals_to_confirm",
        gettext_lazy("Ladder proposals to confirm"),
        proposals_to_decide,
        role=OFFICE,
        applies=_is_office,
        more_url=lambda campaign: reverse("orders:proposals") + "?state=proposed",
    )
    register_queue(
        "bulletins_to_issue",
        gettext_lazy("Bulletins to issue"),
        bulletins_to_issue,
        role=OFFICE,
        applies=access.may_manage_bulletins,
        more_url="bulletins:list",
    )
