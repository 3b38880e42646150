"""A project's key nodes: their planned dates, and marking one not needed (无需办理)
or needed again.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.org import access
from vanguard.projects.actions.common import recompute_lights
from vanguard.projects.choices import MilestoneState
from vanguard.projects.models import Milestone


def do_set_milestone_plan(project, plans, *, actor, reason=""):
    """Set planned dates of key nodes (``{node_code: date}``)."""
    access.require_manage_projects(actor)
    with transaction.atomic():
        milestones = {
            m.node.code: m
            for m in Milestone.objects.select_for_update()
            .select_related("node")
            .filter(project=project)
        }
        changes = []
        for code, planned in plans.items():
            milestone = milestones.get(code)
            if milestone is None:
                raise ValidationError(_("Unknown key node: {code}.").format(code=code))
            if milestone.planned_date != planned:
                before = snapshot(milestone)
                milestone.planned_date = planned
                milestone.save(update_fields=["planned_date"])
                changes.append(
                    Change(milestone, ChangeAction.UPDATE, before, snapshot(milestone), reason)
                )
        record_changes(changes, actor=actor)
        if changes:
            recompute_lights([project.campaign_id])


def locked_milestone(milestone):
    return (
        Milestone.objects.select_for_update().select_related("node", "project").get(pk=milestone.pk)
    )


def do_set_milestone_not_needed(milestone, *, actor, reason):
    """Mark a project's key node not needed (无需办理), with a reason; it is no longer judged."""
    access.require_manage_projects(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the key node is not needed.")})
    limit = Milestone._meta.get_field("not_needed_reason").max_length
    if len(reason) > limit:
        raise ValidationError(
            {"reason": _("Keep the reason within {n} characters.").format(n=limit)}
        )
    with transaction.atomic():
        current = locked_milestone(milestone)
        names = {"node": current.node.name, "code": current.project.code}
        if current.state == MilestoneState.DONE:
            raise ValidationError(
                _(
                    "{node} of project {code} was done on {date}; "
                    "a done key node cannot be marked not needed."
                ).format(date=current.actual_date.isoformat(), **names)
            )
        if current.state == MilestoneState.NOT_NEEDED:
            raise ValidationError(
                _("{node} of project {code} is already marked not needed: {reason}").format(
                    reason=current.not_needed_reason, **names
                )
            )
        before = snapshot(current)
        current.state = MilestoneState.NOT_NEEDED
        current.not_needed_reason = reason
        current.save(update_fields=["state", "not_needed_reason"])
        record_changes(
            [Change(current, ChangeAction.UPDATE, before, snapshot(current), reason)], actor=actor
        )
        recompute_lights([current.project.campaign_id])
    return current


def do_clear_milestone_not_needed(milestone, *, actor, reason=""):
    """Undo “not needed”: the key node is to be done again and judged by its planned date."""
    access.require_manage_projects(actor)
    with transaction.atomic():
        current = locked_milestone(milestone)
        if current.state != MilestoneState.NOT_NEEDED:
            raise ValidationError(
                _("{node} of project {code} is not marked not needed; nothing to undo.").format(
                    node=current.node.name, code=current.project.code
                )
            )
        before = snapshot(current)
        current.state = MilestoneState.PENDING
        current.not_needed_reason = ""
        current.save(update_fields=["state", "not_needed_reason"])
        record_changes(
            [Change(current, ChangeAction.UPDATE, before, snapshot(current), reason.strip())],
            actor=actor,
        )
        recompute_lights([current.project.campaign_id])
    return current
