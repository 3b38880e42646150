"""Every write to supervision: one transaction each, access checked, change logged."""

from django.db import transaction

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.org import access
from vanguard.supervision.models import LightPolicy

POLICY_FIELDS = {
    "node_warning_working_days",
    "project_yellow_points",
    "project_red_points",
    "stage_yellow_days",
    "stage_red_days",
    "unit_yellow_share",
    "unit_red_share",
}


def do_set_light_policy(campaign, *, actor, reason="", **thresholds):
    """Set a campaign's light thresholds (office only); the lights are recomputed after commit."""
    from vanguard.supervision.tasks import schedule_recompute

    access.require(access.may_set_light_policy(actor))
    unknown = set(thresholds) - POLICY_FIELDS
    if unknown:
        raise TypeError("unknown light thresholds: {}".format(", ".join(sorted(unknown))))
    with transaction.atomic():
        policy = LightPolicy.objects.select_for_update().filter(campaign=campaign).first()
        created = policy is None
        if created:
            policy = LightPolicy(campaign=campaign)
        before = None if created else snapshot(policy)
        for name, value in thresholds.items():
            setattr(policy, name, value)
        policy.full_clean()
        if not created and snapshot(policy) == before:
            return policy
        policy.save()
        action = ChangeAction.CREATE if created else ChangeAction.UPDATE
        record_changes([Change(policy, action, before, snapshot(policy), reason)], actor=actor)
        schedule_recompute([campaign.pk])
    return policy
