"""Reads of orders, proposals and exemptions, scoped by ``org.access``; a fixed number of
queries however many rows."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Count, IntegerField, Q, Value, When

from vanguard.calendar.due import working_day_after
from vanguard.calendar.services import load_calendar
from vanguard.org import access
from vanguard.supervision.models import Exemption, OrderStep, Proposal, SupervisionOrder
from vanguard.supervision.models.orders import (
    UNANSWERED,
    OrderColour,
    OrderState,
    ProposalState,
)
from vanguard.supervision.orders.actions import current_rules
from vanguard.supervision.orders.subjects import kind_label, link_of, subject_names

FILTERS = ("colour", "state", "unit", "due")
COLOUR_RANK = Case(
    When(colour=OrderColour.RED, then=Value(0)),
    When(colour=OrderColour.YELLOW, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def soon_date(campaign, today, rules=None):
    """An unanswered order due on or before this day is due soon (blue window of the rules)."""
    if rules is None:
        _version, rules = current_rules(campaign)
    return working_day_after(today, load_calendar(), rules["blue_within_working_days"]).day


def orders_for(user, campaign):
    """The campaign's orders ``user`` may see (a reporter: their units' orders)."""
    if not access.may_see_orders(user):
        return SupervisionOrder.objects.none()
    return access.restrict(SupervisionOrder.objects.filter(campaign=campaign), user).select_related(
        "unit", "responsible"
    )


def with_timing(queryset, today, soon):
    """Mark each order ``overdue`` (unanswered after its due date) and ``due_soon``."""
    waiting = Q(state__in=UNANSWERED)
    return queryset.annotate(
        overdue=Case(
            When(waiting & Q(due_date__lt=today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        due_soon=Case(
            When(waiting & Q(due_date__gte=today, due_date__lte=soon), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def filtered(queryset, filters, today=None, soon=None):
    """Narrow by colour, state, unit code and timing (``due``: overdue, soon or open)."""
    if filters.get("colour") in OrderColour.values:
        queryset = queryset.filter(colour=filters["colour"])
    if filters.get("state") in OrderState.values:
        queryset = queryset.filter(state=filters["state"])
    elif filters.get("state") == "open":
        queryset = queryset.exclude(state=OrderState.CLOSED)
    if filters.get("unit"):
        queryset = queryset.filter(unit__code=filters["unit"])
    due = filters.get("due")
    if due == "overdue" and today:
        queryset = queryset.filter(state__in=UNANSWERED, due_date__lt=today)
    elif due == "soon" and today and soon:
        queryset = queryset.filter(state__in=UNANSWERED, due_date__gte=today, due_date__lte=soon)
    return queryset


def decorate(orders):
    """Name and link each order's subject in the reader's language (no queries)."""
    for order in orders:
        order.kind_label = kind_label(order.subject_kind)
        order.subject_url = link_of(order.subject_kind, order.object_id, order.subject_label)
    return orders


def colour_counts(queryset):
    """{colour: {"open": n, "overdue": n}} of the orders in ``queryset`` (one query)."""
    return {
        row["colour"]: row
        for row in queryset.values("colour").annotate(
            open=Count("pk", filter=~Q(state=OrderState.CLOSED)),
            overdue=Count("pk", filter=Q(overdue=True)),
            total=Count("pk"),
        )
    }


def steps_of(order):
    """Every step of an order, oldest first, with who took it and the files of each answer."""
    return list(
        OrderStep.objects.filter(order=order)
        .select_related("actor__person")
        .prefetch_related("files")
        .order_by("at", "pk")
    )


def proposals_for(user, campaign):
    """The campaign's proposals (the office, task forces and leaders see them)."""
    if not access.may_see_workspace(user):
        raise PermissionDenied
    # A task force sees the proposals of its own battle's list items, not another's.
    return access.restrict(Proposal.objects.filter(campaign=campaign), user).select_related(
        "unit", "decided_by__person", "order"
    )


def open_proposals(user, campaign):
    return (
        proposals_for(user, campaign)
        .filter(state=ProposalState.PROPOSED)
        .order_by("proposed_at", "pk")
    )


def decorate_proposals(proposals):
    """Name (as people do, one query per kind of subject) and link each proposal's subject."""
    proposals = list(proposals)
    names = subject_names(
        proposals[0].campaign_id if proposals else None,
        [(p.subject_kind, p.object_id) for p in proposals],
    )
    for proposal in proposals:
        proposal.kind_label = kind_label(proposal.subject_kind)
        label = (proposal.facts or {}).get("label", "")
        proposal.subject_label = (
            names.get((proposal.subject_kind, proposal.object_id))
            or label
            or "{} {}".format(proposal.kind_label, proposal.object_id)
        )
        proposal.subject_url = link_of(proposal.subject_kind, proposal.object_id, label)
    return proposals


def exemptions_for(user, campaign):
    """The campaign's exemptions ``user`` may see (a reporter: their units')."""
    if not access.may_see_orders(user):
        return Exemption.objects.none()
    return access.restrict(Exemption.objects.filter(campaign=campaign), user).select_related(
        "unit", "approved_by__person"
    )


def in_force(queryset, today):
    return queryset.filter(valid_from__lte=today, valid_until__gte=today)


def first_of_month(day):
    return datetime.date(day.year, day.month, 1)
