"""The escalation ladder: from the stored lights and the orders, propose orders and talks and
raise the colour of unanswered orders, for a whole campaign at once.

Set-based: each rule is one query over ``LightState`` and ``SupervisionOrder`` for the
campaign, whatever its size; the proposals go in with one insert (a matter with an open
proposal of the same kind is skipped, and the database's partial unique index stops a
second run that races this one), the colour rises with one update per colour. A matter
under an exemption valid today is left alone. The ladder only proposes; people decide.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import append_entries, snapshot_values
from vanguard.calendar.periods import period_containing
from vanguard.calendar.services import load_calendar
from vanguard.core.bulk import insert_rows, reserve_ids
from vanguard.org import access
from vanguard.org.models import Campaign
from vanguard.supervision.choices import Light
from vanguard.supervision.kinds import escalated_kinds
from vanguard.supervision.models import (
    Exemption,
    LightState,
    OrderStep,
    Proposal,
    SupervisionOrder,
)
from vanguard.supervision.models.orders import (
    NEXT_COLOUR,
    UNANSWERED,
    OrderColour,
    ProposalKind,
    StepKind,
)
from vanguard.supervision.orders.actions import current_rules
from vanguard.supervision.orders.proposals import tell_office_proposals
from vanguard.supervision.orders.subjects import subject_names

UNIT_KIND = "unit"


@dataclass
class LadderResult:
    """What one run of the ladder did."""

    as_of: datetime.date
    rules_version: int
    proposed: dict = field(default_factory=dict)
    escalated: int = 0

    @property
    def total_proposed(self):
        return sum(self.proposed.values())


def _exempt(campaign, today, kind_field="subject_kind", id_field="object_id"):
    """Exists: the outer row's matter has an exemption valid on ``today``."""
    return Exists(
        Exemption.objects.filter(
            campaign=campaign,
            subject_kind=OuterRef(kind_field),
            object_id=OuterRef(id_field),
            valid_from__lte=today,
            valid_until__gte=today,
        )
    )


def exempt_matters(campaign, today):
    """{(kind, object_id)} of the matters under an exemption valid on ``today`` (one query)."""
    return set(
        Exemption.objects.filter(
            campaign=campaign, valid_from__lte=today, valid_until__gte=today
        ).values_list("subject_kind", "object_id")
    )


def _latest_proposals(campaign, kind):
    """{(subject kind, object id): the day the latest proposal of ``kind`` was made} (one query)."""
    rows = (
        Proposal.objects.filter(campaign=campaign, kind=kind)
        .values("subject_kind", "object_id")
        .annotate(latest=Max("proposed_at"))
        .order_by()
        .values_list("subject_kind", "object_id", "latest")
    )
    return {(k, o): timezone.localtime(latest) for k, o, latest in rows}


def red_cutoff(today, periods, period_kind):
    """A subject red since this day or earlier has been red ``periods`` periods running."""
    period = period_containing(period_kind, today)
    for _step in range(periods - 1):
        period = period.previous()
    return period.start


def escalation_cutoff(today, grace, calendar=None):
    """An order whose clock started on or before this day has waited ``grace`` working days."""
    calendar = (calendar or load_calendar()).with_provisional()
    day, counted = today, 0
    while counted < grace:
        counted += calendar.is_working_day(day)
        day -= datetime.timedelta(days=1)
    return day


def _red_running(campaign, rules, today, exempt):
    """Proposals of red orders: subjects red for N periods running, not yet handled this spell.

    Handled: a proposal of an order made, or an order issued, since the subject turned red,
    or an order still open. Read as three sets, one query each, and matched in memory.
    """
    section = rules["propose_order"]
    periods = section["red_periods_running"]
    if not periods:
        return []
    cutoff = red_cutoff(today, periods, section["period"])
    proposed = _latest_proposals(campaign, ProposalKind.ORDER)
    ordered = {}
    still_open = set()
    for kind, object_id, latest, open_count in (
        SupervisionOrder.objects.filter(campaign=campaign)
        .values("subject_kind", "object_id")
        .annotate(latest=Max("issued_at"), open=Count("pk", filter=~Q(state="closed")))
        .order_by()
        .values_list("subject_kind", "object_id", "latest", "open")
    ):
        ordered[(kind, object_id)] = timezone.localtime(latest).date()
        if open_count:
            still_open.add((kind, object_id))
    rows = LightState.objects.filter(
        campaign=campaign, kind__in=escalated_kinds(), light=Light.RED, since_date__lte=cutoff
    ).values_list("kind", "object_id", "unit_id", "since_date", "reason")
    found = []
    for kind, object_id, unit_id, since, reason in rows:
        key = (kind, object_id)
        if key in exempt or key in still_open:
            continue
        if key in proposed and proposed[key].date() >= since:
            continue
        if key in ordered and ordered[key] >= since:
            continue
        found.append(
            {
                "kind": ProposalKind.ORDER,
                "subject_kind": kind,
                "object_id": object_id,
                "unit_id": unit_id,
                "colour": OrderColour.RED,
                "rule": "red_running",
                "facts": {"since": since.isoformat(), "periods": periods, "light_reason": reason},
            }
        )
    return found


def _quarter(today):
    return period_containing("quarter", today)


def _talks_for_red_orders(campaign, rules, today, exempt, talked):
    """Talks for units with N red orders in the quarter (about the unit itself)."""
    limit = rules["propose_talk"]["red_orders_in_quarter"]
    if not limit:
        return []
    quarter = _quarter(today)
    numbers = {}
    for unit_id, number in (
        SupervisionOrder.objects.filter(
            campaign=campaign,
            colour=OrderColour.RED,
            issued_at__date__gte=quarter.start,
            issued_at__date__lte=quarter.end,
        )
        .order_by("issued_at", "pk")
        .values_list("unit_id", "number")
    ):
        numbers.setdefault(unit_id, []).append(number)
    found = []
    for unit_id, listed in numbers.items():
        key = (UNIT_KIND, unit_id)
        if len(listed) < limit or key in exempt:
            continue
        if key in talked and talked[key].date() >= quarter.start:
            continue
        found.append(
            {
                "kind": ProposalKind.TALK,
                "subject_kind": UNIT_KIND,
                "object_id": unit_id,
                "unit_id": unit_id,
                "rule": "red_orders",
                "facts": {"quarter": quarter.label, "red_orders": len(listed), "orders": listed},
            }
        )
    return found


def _talks_for_still_red(campaign, rules, today, exempt, talked):
    """Talks for matters still red after their order's deadline (the latest such order)."""
    if not rules["propose_talk"]["still_red_after_deadline"]:
        return []
    red = LightState.objects.filter(
        campaign=campaign,
        kind=OuterRef("subject_kind"),
        object_id=OuterRef("object_id"),
        light=Light.RED,
    )
    rows = (
        SupervisionOrder.objects.filter(campaign=campaign, due_date__lt=today)
        .filter(Exists(red))
        .order_by("subject_kind", "object_id", "-issued_at")
        .values_list(
            "subject_kind",
            "object_id",
            "unit_id",
            "number",
            "due_date",
            "subject_label",
            "issued_at",
        )
    )
    seen, found = set(), []
    for kind, object_id, unit_id, number, due, label, issued_at in rows:
        key = (kind, object_id)
        if key in seen:
            continue
        seen.add(key)
        if key in exempt or (key in talked and talked[key] >= issued_at):
            continue
        found.append(
            {
                "kind": ProposalKind.TALK,
                "subject_kind": kind,
                "object_id": object_id,
                "unit_id": unit_id,
                "rule": "still_red",
                "facts": {"order": number, "due": due.isoformat(), "label": label},
            }
        )
    return found


def _propose(campaign, rows, version, now):
    """Insert the proposals by ids and log them; the campaign's lock keeps other proposers out.

    Written as rows, not objects: one prepared INSERT for the proposals, one for their
    change-log entries (each entry what ``snapshot`` gives of the saved proposal).
    """
    if not rows:
        return {}
    labels = _labels(campaign, rows)
    template = Proposal(campaign=campaign, rules_version=version, proposed_at=now)
    fields = [f for f in Proposal._meta.concrete_fields if not f.generated]
    base = {
        f.attname: str(value) if isinstance(value, str) else value
        for f in fields
        for value in [getattr(template, f.attname)]
    }
    made, counts = [], {}
    for pk, row in zip(reserve_ids(Proposal, len(rows)), rows, strict=True):
        kind = str(row["kind"])
        made.append(
            {
                **base,
                "id": pk,
                "kind": kind,
                "subject_kind": str(row["subject_kind"]),
                "object_id": row["object_id"],
                "unit_id": row["unit_id"],
                "colour": str(row.get("colour", "")),
                "rule": row["rule"],
                "facts": {
                    "label": labels.get((row["subject_kind"], row["object_id"]), ""),
                    **row["facts"],
                },
            }
        )
        counts[kind] = counts.get(kind, 0) + 1
    names = [f.attname for f in fields]
    insert_rows(Proposal, names, [tuple(p[name] for name in names) for p in made])
    append_entries(
        Proposal,
        (
            (
                p["id"],
                "{} {} {}".format(p["kind"], p["subject_kind"], p["object_id"]),
                ChangeAction.CREATE,
                None,
                snapshot_values(Proposal, p),
                "",
            )
            for p in made
        ),
        actor=access.SYSTEM,
    )
    # The office hears of the night's proposals in one notice; only the first's kind and
    # label and the lowest id are read, so the rows stand in for saved proposals.
    tell_office_proposals(
        campaign, [Proposal(pk=p["id"], kind=p["kind"], facts=p["facts"]) for p in made]
    )
    return counts


def _labels(campaign, rows):
    """The name of each subject as people name it (a unit's name, a project's code)."""
    return subject_names(
        campaign.pk,
        [(row["subject_kind"], row["object_id"]) for row in rows if not row["facts"].get("label")],
    )


def _escalate(campaign, rules, version, today, now):
    """Raise the colour of unanswered orders whose grace period ran out; one update per colour.

    The orders are read as values and their steps and change-log entries written as
    rows: one query, two updates, two prepared INSERTs, whatever their number.
    """
    cutoff = escalation_cutoff(today, rules["grace_working_days"])
    names = [f.attname for f in SupervisionOrder._meta.concrete_fields]
    orders = list(
        SupervisionOrder.objects.select_for_update()
        .filter(
            campaign=campaign,
            state__in=UNANSWERED,
            colour__in=list(NEXT_COLOUR),
            clock_from__lte=cutoff,
        )
        .exclude(_exempt(campaign, today))
        .order_by("pk")
        .values(*names)
    )
    if not orders:
        return 0
    for colour, risen in NEXT_COLOUR.items():
        ids = [order["id"] for order in orders if order["colour"] == colour]
        if ids:
            SupervisionOrder.objects.filter(pk__in=ids).update(colour=risen, clock_from=today)
    note = "grace_working_days={}".format(rules["grace_working_days"])
    steps, changes = [], []
    for order in orders:
        colour = order["colour"]
        risen = str(NEXT_COLOUR[colour])
        steps.append((order["id"], str(StepKind.ESCALATED), colour, risen, version, note, now))
        after = {**order, "colour": risen, "clock_from": today}
        changes.append(
            (
                order["id"],
                order["number"],
                ChangeAction.UPDATE,
                snapshot_values(SupervisionOrder, order),
                snapshot_values(SupervisionOrder, after),
                "ladder",
            )
        )
    insert_rows(
        OrderStep,
        ["order_id", "kind", "from_colour", "to_colour", "rules_version", "note", "at"],
        steps,
    )
    append_entries(SupervisionOrder, changes, actor=access.SYSTEM)
    return len(orders)


def run_ladder(campaign, *, today=None, now=None):
    """Run the ladder over a whole campaign: propose orders and talks, raise colours."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    with transaction.atomic():
        # One run of a campaign at a time: a second waits, then finds the work done.
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        version, rules = current_rules(campaign)
        result = LadderResult(as_of=today, rules_version=version)
        result.escalated = _escalate(campaign, rules, version, today, now)
        exempt = exempt_matters(campaign, today)
        talked = _latest_proposals(campaign, ProposalKind.TALK)
        rows = _red_running(campaign, rules, today, exempt)
        rows += _talks_for_red_orders(campaign, rules, today, exempt, talked)
        rows += _talks_for_still_red(campaign, rules, today, exempt, talked)
        result.proposed = _propose(campaign, rows, version, now)
    return result


def do_run_ladder(campaign, *, actor, today=None):
    """Run the ladder now (the office, the command line, the nightly job)."""
    access.require_keep_ladder(actor)
    return run_ladder(campaign, today=today)
