"""Every write of the units' lists: items, checkpoints, progress reports, verification.

Each action runs in one transaction, checks its access through ``org.access``, records
its change in the change log and, when it changes a judged fact (an item's deadline or
target, a checkpoint, verified progress), asks for the lights' recompute once it
commits. A change made on an outdated version is refused (``core.preconditions.STALE``).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.core.actors import user_of
from vanguard.core.preconditions import STALE
from vanguard.lists.choices import Measure, ReportState
from vanguard.lists.models import Checkpoint, ListItem, ProgressReport
from vanguard.lists.periods import due_date, read_period
from vanguard.notices.choices import NoticeKind
from vanguard.notices.send import notify_unit
from vanguard.org import access
from vanguard.org.choices import Battle, Cadence
from vanguard.org.models import Campaign, Person

ITEM_FIELDS = (
    "unit",
    "battle",
    "requirement",
    "responsible_person",
    "deadline",
    "cadence",
    "measure",
    "target_quantity",
    "measuring_unit",
)


def _item_snapshot(item):
    data = snapshot(item)
    data.pop("created_at", None)
    data.pop("updated_at", None)
    return data


def _recompute(campaign_ids):
    """Ask for the list items' lights once the transaction commits."""
    from vanguard.lists.lights import GROUP
    from vanguard.supervision.tasks import schedule_recompute

    schedule_recompute(campaign_ids, group=GROUP)


def check_item(fields):
    """Refuse what cannot be true of an item, naming the field."""
    errors = {}
    if not (fields.get("requirement") or "").strip():
        errors["requirement"] = _("Write the requirement.")
    if fields.get("battle") not in Battle.values:
        errors["battle"] = _("Choose the battle whose task force verifies the item.")
    if fields.get("cadence") not in Cadence.values:
        errors["cadence"] = _("Choose a cadence: weekly, dekad or monthly.")
    person, unit = fields.get("responsible_person"), fields.get("unit")
    if person is None:
        errors["responsible_person"] = _("Name the responsible person.")
    elif unit is not None and person.unit_id != unit.pk:
        errors["responsible_person"] = _("{person} is not a person of {unit}.").format(
            person=person.name, unit=unit.name
        )
    if fields.get("deadline") is None:
        errors["deadline"] = _("Give the deadline.")
    measure, target = fields.get("measure"), fields.get("target_quantity")
    if measure == Measure.QUANTITY:
        if target is None or target <= 0:
            errors["target_quantity"] = _("A quantity item needs a target quantity above zero.")
        if not (fields.get("measuring_unit") or "").strip():
            errors["measuring_unit"] = _("Say what the quantity counts (个, 公里, 万元, ...).")
    elif measure == Measure.MILESTONE:
        if target is not None:
            errors["target_quantity"] = _("A milestone item has no target quantity.")
    else:
        errors["measure"] = _("Choose a measure: quantity or milestone.")
    if errors:
        raise ValidationError(errors)


def do_create_item(campaign, *, code, actor, reason="", **fields):
    """Add an item to a unit's list (the office)."""
    access.require_manage_lists(actor)
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": _("Give the item a code.")})
    fields = {name: fields.get(name) for name in ITEM_FIELDS}
    fields["measuring_unit"] = (fields["measuring_unit"] or "").strip()
    if fields["measure"] == Measure.MILESTONE:
        fields["measuring_unit"] = ""
    check_item(fields)
    taken = ValidationError({"code": _("Item code “{code}” is taken.").format(code=code)})
    with transaction.atomic():
        if ListItem.objects.filter(campaign=campaign, code=code).exists():
            raise taken
        try:
            with transaction.atomic():
                item = ListItem.objects.create(campaign=campaign, code=code, **fields)
        except IntegrityError:
            raise taken from None  # created by someone else since the check above
        record_changes(
            [Change(item, ChangeAction.CREATE, after=_item_snapshot(item), reason=reason)],
            actor=actor,
        )
        _recompute([campaign.pk])
    return item


def do_update_item(item, *, actor, version=None, reason="", **changes):
    """Change an item's facts (the office); refused on an outdated version."""
    access.require_manage_lists(actor)
    with transaction.atomic():
        current = ListItem.objects.select_for_update().get(pk=item.pk)
        if version is not None and int(version) != current.version:
            raise ValidationError(
                _("Item {code} was changed by someone else; reload it and try again.").format(
                    code=current.code
                ),
                code=STALE,
            )
        fields = {name: getattr(current, name) for name in ITEM_FIELDS}
        fields.update({k: v for k, v in changes.items() if k in ITEM_FIELDS})
        if fields["measure"] == Measure.MILESTONE:
            fields["measuring_unit"] = ""
        if fields["measure"] != current.measure and current.reports.exists():
            raise ValidationError(
                {"measure": _("The item has progress reports; its measure cannot change.")}
            )
        check_item(fields)
        changed = [name for name in ITEM_FIELDS if fields[name] != getattr(current, name)]
        if not changed:
            return current
        before = _item_snapshot(current)
        for name in changed:
            setattr(current, name, fields[name])
        current.version += 1
        current.save(update_fields=[*changed, "version", "updated_at"])
        record_changes(
            [Change(current, ChangeAction.UPDATE, before, _item_snapshot(current), reason)],
            actor=actor,
        )
        _recompute([current.campaign_id])
    return current


def check_plan(item, planned_quantity, milestone):
    """``(planned_quantity, milestone)`` of one period of ``item``'s plan, or refused by field:
    a quantity item plans a cumulative quantity up to its target, a milestone item a milestone."""
    milestone = (milestone or "").strip()
    if item.measure == Measure.QUANTITY:
        if planned_quantity is None or planned_quantity < 0:
            raise ValidationError(
                {"planned_quantity": _("Give the cumulative quantity planned by this period.")}
            )
        if planned_quantity > item.target_quantity:
            raise ValidationError(
                {
                    "planned_quantity": _(
                        "The planned {planned} is above the item's target {target}."
                    ).format(planned=planned_quantity, target=item.target_quantity)
                }
            )
        return planned_quantity, ""
    if not milestone:
        raise ValidationError({"milestone": _("Say what is to be reached in this period.")})
    return None, milestone


def do_set_checkpoint(
    item, *, period, actor, planned_quantity=None, milestone="", due=None, reason=""
):
    """Plan one period of an item (the office): a cumulative quantity or a milestone.

    ``period`` is a calendar period of the item's cadence (or its label); the due date
    is the campaign's deadline rule for that period unless given.
    """
    access.require_manage_lists(actor)
    if isinstance(period, str):
        try:
            period = read_period(period, item.cadence)
        except ValueError as exc:
            raise ValidationError({"period": str(exc)}) from None
    planned_quantity, milestone = check_plan(item, planned_quantity, milestone)
    day = due or due_date(item.campaign, period)
    with transaction.atomic():
        # The item first: two first plans of one period queue there instead of colliding.
        _lock_item(item.pk)
        current = Checkpoint.objects.select_for_update().filter(item=item, period=period.label)
        current = current.first()
        if current is None:
            checkpoint = Checkpoint.objects.create(
                item=item,
                period=period.label,
                period_start=period.start,
                due_date=day,
                planned_quantity=planned_quantity,
                milestone=milestone,
            )
            changes = [Change(checkpoint, ChangeAction.CREATE, after=snapshot(checkpoint))]
        else:
            wanted = {"due_date": day, "planned_quantity": planned_quantity, "milestone": milestone}
            changed = [k for k, v in wanted.items() if getattr(current, k) != v]
            if not changed:
                return current
            before = snapshot(current)
            for name in changed:
                setattr(current, name, wanted[name])
            current.save(update_fields=changed)
            checkpoint = current
            changes = [Change(checkpoint, ChangeAction.UPDATE, before, snapshot(checkpoint))]
        for change in changes:
            change.reason = reason
        record_changes(changes, actor=actor)
        _recompute([item.campaign_id])
    return checkpoint


def _stale(report):
    return ValidationError(
        _(
            "The report of {code} for {period} was changed meanwhile (it is now {state});"
            " reload it and try again."
        ).format(code=report.item.code, period=report.period, state=report.get_state_display()),
        code=STALE,
    )


def do_report_progress(
    item, *, period, actor, quantity=None, milestone_done=False, note="", version=None, today=None
):
    """File a unit's progress on an item for one period (or correct it before verification).

    A returned report is corrected and submitted again, naming the version it corrects
    (two reporters of a unit never overwrite each other unknowingly); a verified one is
    final. The quantity is cumulative: everything done on the item so far.
    """
    access.require_report_progress(actor, item)
    today = today or timezone.localdate()
    if isinstance(period, str):
        try:
            period = read_period(period, item.cadence)
        except ValueError as exc:
            raise ValidationError({"period": str(exc)}) from None
    if period.start > today:
        raise ValidationError(
            {
                "period": _("{period} has not begun; report it once it has.").format(
                    period=period.display_label
                )
            }
        )
    note = (note or "").strip()
    if item.measure == Measure.QUANTITY:
        if quantity is None:
            raise ValidationError(
                {
                    "quantity": _("Give the cumulative quantity done so far ({unit}).").format(
                        unit=item.measuring_unit
                    )
                }
            )
        quantity = Decimal(quantity)
        if quantity < 0:
            raise ValidationError({"quantity": _("The quantity must not be negative.")})
        milestone_done = False
    else:
        quantity = None
        milestone_done = bool(milestone_done)
    now = timezone.now()
    with transaction.atomic():
        # The item first, then its report (as verification does): two first reports of a
        # period queue on the item, and the second finds the first instead of colliding.
        _lock_item(item.pk)
        current = (
            ProgressReport.objects.select_for_update()
            .filter(item=item, period=period.label)
            .first()
        )
        if current is None:
            report = ProgressReport.objects.create(
                item=item,
                period=period.label,
                period_start=period.start,
                quantity=quantity,
                milestone_done=milestone_done,
                note=note,
                reported_by=user_of(actor),
                reported_at=now,
            )
            record_changes(
                [Change(report, ChangeAction.CREATE, after=snapshot(report))], actor=actor
            )
            return report
        current.item = item
        if current.state == ReportState.VERIFIED:
            raise ValidationError(
                _("The report of {code} for {period} is verified and can no longer change.").format(
                    code=item.code, period=period.display_label
                )
            )
        if version is None:
            raise ValidationError(
                _(
                    "A report of {code} for {period} is already filed ({state}, version"
                    " {version}); name that version to correct it."
                ).format(
                    code=item.code,
                    period=period.display_label,
                    state=current.get_state_display(),
                    version=current.version,
                ),
                code=STALE,
            )
        if int(version) != current.version:
            raise _stale(current)
        before = snapshot(current)
        current.quantity = quantity
        current.milestone_done = milestone_done
        current.note = note
        current.state = ReportState.SUBMITTED
        current.return_reason = ""
        current.reported_by = user_of(actor)
        current.reported_at = now
        current.version += 1
        current.save(
            update_fields=[
                "quantity",
                "milestone_done",
                "note",
                "state",
                "return_reason",
                "reported_by",
                "reported_at",
                "version",
            ]
        )
        record_changes(
            [Change(current, ChangeAction.UPDATE, before, snapshot(current))], actor=actor
        )
    return current


def _lock_item(item_id):
    """Lock an item: the gate of every write of its reports, taken before the report's lock."""
    return ListItem.objects.select_for_update().get(pk=item_id)


def _locked_report(report, actor, version):
    """The report, locked after its item, still waiting and on the version the verifier read."""
    _lock_item(ProgressReport.objects.values_list("item_id", flat=True).get(pk=report.pk))
    # Who verified it is read after the lock: a row joined in the locking query would be
    # the one seen before the lock was granted (PostgreSQL re-reads only the locked row).
    current = (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("item__unit")
        .get(pk=report.pk)
    )
    access.require_verify_progress(actor, current.item)
    if current.state != ReportState.SUBMITTED:
        who = ""
        if current.verified_by_id is not None:
            person = getattr(current.verified_by, "person", None)
            who = person.name if person is not None else current.verified_by.get_username()
        raise ValidationError(
            _(
                "The report of {code} for {period} is no longer awaiting verification: it was"
                " {state}{by}."
            ).format(
                code=current.item.code,
                period=current.period,
                state=current.get_state_display(),
                by=_(" by {who}").format(who=who) if who else "",
            ),
            code=STALE,
        )
    if version is not None and int(version) != current.version:
        raise _stale(current)
    return current


def do_verify_report(report, *, actor, version=None, today=None):
    """Verify (核验) a unit's report: from now on its progress counts.

    Two verifiers at once: the report is locked, the first verifies it, the second is
    told it was verified already. The item's verified quantity becomes the cumulative
    quantity of its latest verified period; the checkpoints reached are marked.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        current = _locked_report(report, actor, version)
        before = snapshot(current)
        current.state = ReportState.VERIFIED
        current.verified_by = user_of(actor)
        current.verified_at = timezone.now()
        current.version += 1
        current.save(update_fields=["state", "verified_by", "verified_at", "version"])
        changes = [Change(current, ChangeAction.UPDATE, before, snapshot(current))]
        item = _lock_item(current.item_id)  # locked already, by _locked_report: read afresh
        changes += _count_verified(item, current, today)
        record_changes(changes, actor=actor)
        _recompute([item.campaign_id])
    return current


def _count_verified(item, report, today):
    """Apply a verified report to its item and checkpoints; return the changes."""
    changes = []
    reached = Checkpoint.objects.filter(item=item, reached_on__isnull=True)
    if item.measure == Measure.QUANTITY:
        latest = ProgressReport.objects.filter(item=item, state=ReportState.VERIFIED).order_by(
            "-period_start"
        )
        latest = latest.values_list("period", "quantity").first()
        if latest is not None and (latest[0], latest[1]) != (
            item.verified_period,
            item.verified_quantity,
        ):
            before = _item_snapshot(item)
            item.verified_period, item.verified_quantity = latest
            item.save(update_fields=["verified_period", "verified_quantity", "updated_at"])
            changes.append(Change(item, ChangeAction.UPDATE, before, _item_snapshot(item)))
        reached = reached.filter(planned_quantity__lte=item.verified_quantity or 0)
    elif report.milestone_done:
        own = reached.filter(period=report.period)
        if not own.exists():
            own = reached.filter(period_start__lte=report.period_start).order_by("period_start")[:1]
        reached = reached.filter(pk__in=list(own.values_list("pk", flat=True)))
    else:
        reached = reached.none()
    for checkpoint in reached:
        before = snapshot(checkpoint)
        checkpoint.reached_on = today
        checkpoint.save(update_fields=["reached_on"])
        changes.append(Change(checkpoint, ChangeAction.UPDATE, before, snapshot(checkpoint)))
    return changes


def do_return_report(report, *, actor, reason, version=None):
    """Return a unit's report with a reason; the unit corrects and submits it again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the report is returned.")})
    with transaction.atomic():
        current = _locked_report(report, actor, version)
        before = snapshot(current)
        current.state = ReportState.RETURNED
        current.return_reason = reason
        current.verified_by = user_of(actor)
        current.verified_at = timezone.now()
        current.version += 1
        current.save(
            update_fields=["state", "return_reason", "verified_by", "verified_at", "version"]
        )
        record_changes(
            [Change(current, ChangeAction.UPDATE, before, snapshot(current), reason)],
            actor=actor,
        )
        _tell_returned(current, reason)
    return current


def _tell_returned(report, reason):
    """The unit's reporters, the item's responsible person and whoever reported hear at once."""
    item = report.item
    responsible = Person.objects.filter(pk=item.responsible_person_id).values_list(
        "user_id", flat=True
    )
    notify_unit(
        item.unit_id,
        also=[report.reported_by_id, *responsible],
        kind=NoticeKind.REPORT_RETURNED,
        subject=_("Progress report returned: {code} ({period})").format(
            code=item.code, period=report.period
        ),
        body=reason,
        url=reverse("lists:detail", args=[item.code])
        + "?campaign="
        + Campaign.objects.values_list("code", flat=True).get(pk=item.campaign_id),
        key="returned:list:{}:{}".format(report.pk, report.version),
        campaign=item.campaign_id,
        at_once=True,
    )
