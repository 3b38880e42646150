"""Where the third battle's targets stand: verified counts against today's checkpoint.

Registered with ``targets.standings`` for the ``citywork.`` measures; the counts and the
pace light are those of ``queries.targets`` (verified facts only, on the day they
happened), the as-of time the newest verification of weekly work.
"""

from decimal import Decimal

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from vanguard.audit.log import newest_changes
from vanguard.citywork.queries.scope import WEEKLY_WORK, renewal_for
from vanguard.citywork.queries.targets import (
    CAMPAIGNS,
    RENEWAL_IMPLEMENTED,
    RENEWAL_STARTED,
    ROADS,
    ZONES,
    target_progress,
)
from vanguard.supervision.models import LightPolicy
from vanguard.targets.standings import Standing


def _sources():
    return {
        RENEWAL_IMPLEMENTED: _("renewal projects under way, start verified"),
        RENEWAL_STARTED: _("renewal projects whose start is verified"),
        CAMPAIGNS: _("city-management campaigns with verified weekly progress"),
        ZONES: _("demonstration zones accepted"),
        ROADS: _("model roads accepted"),
    }


def standings_version(campaign):
    """What the standings read moves with: the weekly work's projects, campaigns, places
    and their reports as recorded changed, and the pace light's thresholds."""
    return newest_changes(*WEEKLY_WORK, LightPolicy)


def citywork_standings(campaign, targets, user, today):
    wanted = {t.pk for t in targets}
    rows = [
        r for r in target_progress(campaign, user, today, targets=targets) if r.target.pk in wanted
    ]
    if not rows:
        return {}
    as_of = renewal_for(user, campaign).aggregate(last=Max("reports__verified_at"))["last"]
    sources = _sources()
    url = reverse("citywork:battle")
    return {
        r.target.pk: Standing(
            actual=Decimal(r.actual),
            expected=r.expected,
            gap=r.gap,
            light=str(r.light),
            as_of=as_of,
            source=sources.get(r.target.measure, ""),
            url=url,
            actual_display="{}{}".format(r.actual, r.target.unit_of_measure),
        )
        for r in rows
    }
