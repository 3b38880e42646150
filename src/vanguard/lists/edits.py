"""Editing one list item as a whole: its facts and its checkpoints, at the version read.

The item page's edit form and ``PATCH /api/v1/list-items/{code}`` both call
``do_edit_item``: one transaction that checks access (``org.access.may_edit_item``),
locks the item, refuses a change made on an outdated version (saying who changed it
since, and nothing is written), applies the facts and every checkpoint row, moves the
version on once, logs each change and asks for the lights' recompute.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.audit.models import ChangeEntry
from vanguard.core.preconditions import STALE
from vanguard.lists.actions import (
    ITEM_FIELDS,
    _item_snapshot,
    _recompute,
    check_item,
    check_plan,
)
from vanguard.lists.choices import Measure
from vanguard.lists.models import Checkpoint, ListItem
from vanguard.lists.periods import due_date, read_period
from vanguard.org import access

# What the edit changes of an item's facts (its unit, battle and measure stay).
EDITABLE = (
    "requirement",
    "responsible_person",
    "deadline",
    "cadence",
    "target_quantity",
    "measuring_unit",
)


@dataclass
class CheckpointRow:
    """One row of the plan as the editor sent it: a period and what is planned by then."""

    period: str
    planned_quantity: Decimal | None = None
    milestone: str = ""
    due: object = None  # a date, or None for the campaign's deadline rule
    remove: bool = False


def row_errors(rows):
    """A ValidationError of checkpoint rows: ``rows`` maps a row (from 0) to ``(period,
    {field: [message]})``; its messages name the row and period, its ``rows`` keep them."""
    messages = []
    for index, (label, found) in sorted(rows.items()):
        for texts in found.values():
            for text in texts:
                messages.append(
                    _("Checkpoint row {row} ({period}): {message}").format(
                        row=index + 1, period=label or "—", message=text
                    )
                )
    error = ValidationError(messages)
    error.rows = rows
    return error


def last_change_by(item):
    """Who made the item's latest change, and when, for telling a second editor."""
    entry = (
        ChangeEntry.objects.filter(
            content_type__app_label="lists", content_type__model="listitem", object_id=str(item.pk)
        )
        .select_related("actor__person")
        .order_by("-seq")
        .first()
    )
    if entry is None:
        return "", None
    person = getattr(entry.actor, "person", None) if entry.actor_id else None
    return (person.name if person else entry.actor_name), entry.created_at


def _stale(current):
    who, when = last_change_by(current)
    if who and when:
        text = _(
            "Item {code} was changed by {who} at {when} (now version {version}) after you"
            " opened it; nothing of yours was saved. Reload it, then make your change again."
        ).format(
            code=current.code,
            who=who,
            when=timezone.localtime(when).strftime("%Y-%m-%d %H:%M"),
            version=current.version,
        )
    else:
        text = _(
            "Item {code} was changed by someone else (now version {version}) after you opened"
            " it; nothing of yours was saved. Reload it, then make your change again."
        ).format(code=current.code, version=current.version)
    return ValidationError(text, code=STALE)


def _checkpoint(item, row):
    """The ``(period, wanted fields)`` of a row, or raise ``{field: [message]}``."""
    try:
        period = read_period(row.period, item.cadence)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from None
    quantity, milestone = check_plan(item, row.planned_quantity, row.milestone)
    return period, {"planned_quantity": quantity, "milestone": milestone}


def _plan(item, rows, changes):
    """Apply the checkpoint rows to the locked ``item``; collect errors by row.

    A row naming a checkpoint the item has (by its period's label) changes or removes
    it; another adds one. A checkpoint verified progress has reached stays.
    """
    existing = {c.period: c for c in Checkpoint.objects.select_for_update().filter(item=item)}
    errors, touched = {}, []
    for index, row in enumerate(rows):
        current = existing.get(row.period)
        if row.remove:
            if current is None:
                continue
            if current.reached_on is not None:
                errors[index] = (row.period, {"remove": [_("Verified progress reached it.")]})
                continue
            changes.append(Change(current, ChangeAction.DELETE, before=snapshot(current)))
            current.delete()
            touched.append(_("removed {period}").format(period=row.period))
            continue
        try:
            period, wanted = _checkpoint(item, row)
        except ValidationError as error:
            errors[index] = (row.period, error.message_dict)
            continue
        current = existing.get(period.label)
        wanted["due_date"] = row.due or due_date(item.campaign, period)
        if current is None:
            made = Checkpoint.objects.create(
                item=item, period=period.label, period_start=period.start, **wanted
            )
            existing[period.label] = made
            changes.append(Change(made, ChangeAction.CREATE, after=snapshot(made)))
            touched.append(_("added {period}").format(period=period.label))
            continue
        changed = [name for name, value in wanted.items() if getattr(current, name) != value]
        if changed:
            before = snapshot(current)
            for name in changed:
                setattr(current, name, wanted[name])
            current.save(update_fields=changed)
            changes.append(Change(current, ChangeAction.UPDATE, before, snapshot(current)))
            touched.append(_("changed {period}").format(period=period.label))
    if errors:
        raise row_errors(errors)
    return touched


def do_edit_item(item, *, actor, version, checkpoints=(), reason="", **changes):
    """Change an item's facts and plan at the ``version`` read (the office, or the task
    force of its battle); refused whole, naming who changed it since, when outdated."""
    access.require_edit_item(actor, item)
    if version is None:
        raise ValidationError(
            _("Name the version of item {code} you read; nothing was saved.").format(
                code=item.code
            ),
            code=STALE,
        )
    with transaction.atomic():
        current = ListItem.objects.select_for_update().select_related("campaign").get(pk=item.pk)
        if int(version) != current.version:
            raise _stale(current)
        fields = {name: getattr(current, name) for name in ITEM_FIELDS}
        fields.update({k: v for k, v in changes.items() if k in EDITABLE})
        if fields["measure"] == Measure.MILESTONE:
            fields["measuring_unit"], fields["target_quantity"] = "", None
        else:
            fields["measuring_unit"] = (fields["measuring_unit"] or "").strip()
        check_item(fields)
        before = _item_snapshot(current)
        altered = [name for name in ITEM_FIELDS if fields[name] != getattr(current, name)]
        for name in altered:
            setattr(current, name, fields[name])
        if "cadence" in altered and current.reports.exists():
            raise ValidationError(
                {"cadence": _("The item has progress reports; its cadence cannot change.")}
            )
        kept = set(current.checkpoints.values_list("period", flat=True))
        log = []
        touched = _plan(current, list(checkpoints), log)
        if "cadence" in altered and kept & set(
            current.checkpoints.values_list("period", flat=True)
        ):
            raise ValidationError(
                {
                    "cadence": _(
                        "Its checkpoints are periods of the old cadence: remove them in the"
                        " same edit, or keep the cadence."
                    )
                }
            )
        if not altered and not touched:
            return current
        current.version += 1
        current.save(update_fields=[*altered, "version", "updated_at"])
        note = "; ".join(part for part in (reason.strip(), "、".join(touched)) if part)
        for change in log:
            change.reason = reason
        log.insert(0, Change(current, ChangeAction.UPDATE, before, _item_snapshot(current), note))
        record_changes(log, actor=actor)
        _recompute([current.campaign_id])
    return current
