"""Editing one list item: its requirement, responsible person, deadline, cadence, target and
checkpoints, in one form at the version read (``lists.edits.do_edit_item``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vanguard.audit.log import history_of
from vanguard.core.forms import add_action_errors
from vanguard.core.preconditions import is_stale
from vanguard.lists import queries
from vanguard.lists.edits import EDITABLE, CheckpointRow, do_edit_item
from vanguard.lists.forms import CheckpointFormSet, ItemEditForm
from vanguard.lists.views.items import _detail_url, get_item_for_view
from vanguard.org import access


def _initial(item):
    return {
        "requirement": item.requirement,
        "responsible_person": item.responsible_person_id,
        "deadline": item.deadline,
        "cadence": item.cadence,
        "target_quantity": item.target_quantity,
        "measuring_unit": item.measuring_unit,
        "version": item.version,
    }


def _checkpoint_initial(item):
    return [
        {
            "period": point.period,
            "due": point.due_date,
            "planned_quantity": point.planned_quantity,
            "milestone": point.milestone,
        }
        for point in queries.checkpoints_of(item)
    ]


def _rows(formset):
    """The filled rows, as the action takes them, and the form each came from."""
    rows, forms = [], []
    for form in formset.forms:
        data = form.cleaned_data
        if not (data.get("period") or "").strip():
            continue
        rows.append(
            CheckpointRow(
                period=data["period"].strip(),
                planned_quantity=data.get("planned_quantity"),
                milestone=data.get("milestone") or "",
                due=data.get("due"),
                remove=bool(data.get("remove")),
            )
        )
        forms.append(form)
    return rows, forms


@login_required
def item_edit(request, code):
    """The office (or the task force of the item's battle) edits one item."""
    access.require_participant(request.user)
    item = get_item_for_view(request, code)
    access.require_edit_item(request.user, item)
    status = 200
    if request.method == "POST":
        form = ItemEditForm(request.POST, item=item)
        formset = CheckpointFormSet(request.POST, prefix="checkpoints")
        if form.is_valid() and formset.is_valid():
            rows, row_forms = _rows(formset)
            data = form.cleaned_data
            try:
                do_edit_item(
                    item,
                    actor=request.user,
                    version=data["version"],
                    checkpoints=rows,
                    reason=data.get("reason") or "",
                    **{name: data[name] for name in EDITABLE if name in data},
                )
            except ValidationError as error:
                status = 409 if is_stale(error) else 400
                for index, (_label, found) in getattr(error, "rows", {}).items():
                    for field, texts in found.items():
                        for text in texts:
                            target = row_forms[index]
                            target.add_error(field if field in target.fields else None, text)
                if not hasattr(error, "rows"):
                    add_action_errors(form, error)
            else:
                messages.success(request, _("Item {code} is saved.").format(code=item.code))
                return redirect(_detail_url(item))
        else:
            status = 400
    else:
        form = ItemEditForm(initial=_initial(item), item=item)
        formset = CheckpointFormSet(initial=_checkpoint_initial(item), prefix="checkpoints")
    context = {
        "item": item,
        "campaign": item.campaign,
        "form": form,
        "formset": formset,
        "history": history_of(item)[:20],
    }
    return render(request, "lists/item_edit.html", context, status=status)
