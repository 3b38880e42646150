"""Volunteer activities on the one map (一张网一张图): where each planned or held activity
meets, filtered by kind and organising unit, linked to its page.

Rows pass through ``org.access.restrict`` (the map's engine) and ``narrow_weekly``, as
the activity lists do; a cancelled activity is not drawn.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanguard.citywork.choices import ActivityKind, ActivityState
from vanguard.citywork.models import VolunteerActivity
from vanguard.maps.layers import POINTS, Layer, register
from vanguard.org.access import narrow_weekly


def _rows(campaign):
    return VolunteerActivity.objects.filter(campaign=campaign).exclude(
        state=ActivityState.CANCELLED
    )


def _properties(row):
    starts = timezone.localtime(row["starts_at"]).strftime("%Y-%m-%d %H:%M")
    return {
        "label": "{} {}".format(starts, row["title"]),
        "url": reverse("citywork:activity_detail", args=[row["id"]]),
        "category": str(ActivityKind(row["kind"]).label),
        "state": str(ActivityState(row["state"]).label),
        "unit": row["unit__name"],
    }


def register_activity_layer():
    register(
        Layer(
            name="volunteers",
            label=_("Volunteer activities"),
            kind=POINTS,
            rows=_rows,
            fields=("id", "title", "kind", "state", "starts_at", "unit__name"),
            properties=_properties,
            lon="lon",
            lat="lat",
            category="kind",
            categories=lambda campaign: ActivityKind.choices,
            unit="unit",
            narrow=lambda queryset, user: narrow_weekly(queryset, user, unit="unit"),
            colour="#e83e8c",
            cluster=True,
            order=70,
            description=_("Volunteer activities, planned and held, where they meet."),
        )
    )
