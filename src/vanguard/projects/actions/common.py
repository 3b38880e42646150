"""Helpers every write of major projects shares: the editable fields, the day, amounts,
a project's log snapshot and the lights recompute.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.log import snapshot
from vanguard.org.choices import Battle

EDITABLE_FIELDS = {
    "name",
    "lead_unit",
    "responsible_person",
    "investment_yuan",
    "sector",
    "kind",
    "address",
    "latitude",
    "longitude",
    "introduced_planned",
    "started_planned",
    "completed_planned",
}


def local_today(today):
    return today or timezone.localdate()


def check_amount(value, field):
    if value is None or value < 0:
        raise ValidationError({field: _("The amount must be zero or more.")})


def check_location(project):
    """A project's coordinates (WGS84, as its sheet and the API take them) must lie in the
    district; just outside its drawn outline is accepted (``maps.district.locate``)."""
    from vanguard.maps.district import locate

    if project.longitude is not None and project.latitude is not None:
        locate(project.longitude, project.latitude, field="longitude")


def project_snapshot(project):
    data = snapshot(project)
    data.pop("updated_at", None)
    data.pop("created_at", None)
    return data


def recompute_lights(campaign_ids):
    """Recompute the campaigns' project lights once the transaction commits, merged in bursts."""
    from vanguard.supervision.tasks import schedule_recompute

    schedule_recompute(campaign_ids, group=Battle.PROJECTS)
