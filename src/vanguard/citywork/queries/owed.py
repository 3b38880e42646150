"""What a unit owes of the weekly work, for its page (``supervision.owed``, 一单位一清单).

Its renewal projects not yet completed, falling due with the next weekly report it has
not filed; its city-management campaigns, with the first week it has not reported; its
zones and roads not yet accepted, due on their planned acceptance. A fixed number of
queries per kind, however many rows. ``today`` reads the list as of another day (the
reminders' scan).
"""

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from vanguard.citywork.choices import PlaceState, RenewalStage, ReportState
from vanguard.citywork.lights import CAMPAIGN, PLACE, RENEWAL
from vanguard.citywork.models import CampaignReport, CampaignWeek, RenewalReport
from vanguard.citywork.queries.scope import campaigns_for, places_for, renewal_for
from vanguard.citywork.weeks import WeekDue, week_of
from vanguard.org.choices import Battle
from vanguard.supervision.lights import lights_for
from vanguard.supervision.owed import Owed


def _rows(kind, objects, campaign, label, url, due):
    states = lights_for(kind, [o.pk for o in objects], campaign=campaign)
    rows = []
    for obj in objects:
        state = states.get(obj.pk)
        rows.append(
            Owed(
                kind=kind,
                label=label(obj),
                url=url(obj) + "?campaign=" + campaign.code,
                light=state.light if state else None,
                reason=state.reason_text if state else "",
                due=due(obj),
                battle=Battle.CITYWORK,
            )
        )
    return rows


def _filed(week):
    return RenewalReport.objects.filter(project=OuterRef("pk"), period=week.label).exclude(
        state=ReportState.RETURNED
    )


def owed_renewal(campaign, unit, user, today=None):
    """The unit's renewal projects under way or due to start, with the report next due."""
    today = today or timezone.localdate()
    this_week = week_of(today)
    last_week = this_week.previous()
    projects = list(
        renewal_for(user, campaign)
        .filter(lead_unit=unit)
        .exclude(stage=RenewalStage.COMPLETED)
        .annotate(last_filed=Exists(_filed(last_week)), this_filed=Exists(_filed(this_week)))
        .only("pk", "code", "name", "planned_start", "actual_start")
        .order_by("code")
    )
    week_due = WeekDue(campaign)

    def due(project):
        begun = project.actual_start or project.planned_start
        if begun <= last_week.end and not project.last_filed:
            return week_due(last_week)
        if begun <= this_week.end and not project.this_filed:
            return week_due(this_week)
        return None

    return _rows(
        RENEWAL,
        projects,
        campaign,
        lambda p: "{} {}".format(p.code, p.name),
        lambda p: reverse("citywork:renewal_detail", args=[p.code]),
        due,
    )


def owed_campaigns(campaign, unit, user, today=None):
    """The unit's city-management campaigns, due with the first week begun and not reported."""
    today = today or timezone.localdate()
    unreported = (
        CampaignWeek.objects.filter(city_campaign=OuterRef("pk"), period_start__lte=today)
        .exclude(
            Exists(
                CampaignReport.objects.filter(
                    city_campaign=OuterRef("city_campaign"), period=OuterRef("period")
                ).exclude(state=ReportState.RETURNED)
            )
        )
        .order_by("period_start")
        .values("due_date")[:1]
    )
    rows = list(
        campaigns_for(user, campaign)
        .filter(lead_unit=unit)
        .annotate(next_due=Subquery(unreported))
        .filter(Q(end_date__gte=today) | Q(next_due__isnull=False))
        .only("pk", "code", "name")
        .order_by("code")
    )
    return _rows(
        CAMPAIGN,
        rows,
        campaign,
        lambda c: c.name,
        lambda c: reverse("citywork:campaign_detail", args=[c.code]),
        lambda c: c.next_due,
    )


def owed_places(campaign, unit, user, today=None):
    """The unit's zones and roads not yet accepted, due on their planned acceptance."""
    rows = list(
        places_for(user, campaign)
        .filter(lead_unit=unit)
        .exclude(state=PlaceState.ACCEPTED)
        .only("pk", "code", "name", "kind", "planned_acceptance")
        .order_by("code")
    )
    return _rows(
        PLACE,
        rows,
        campaign,
        lambda p: "{} {}".format(p.get_kind_display(), p.name),
        lambda p: reverse("citywork:place_detail", args=[p.code]),
        lambda p: p.planned_acceptance,
    )
