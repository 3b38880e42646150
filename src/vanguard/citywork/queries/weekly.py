"""The weekly summary (周落实) the task force reviews: each campaign's and renewal kind's week.

For a week: every city-management campaign's plan, reported and verified quantity for
the week, its sums through the week and its light by 序时进度 at the week's end; every
kind of renewal project's reports due, filed and verified for the week and its starts
planned, reported and verified through the week (the Q1 starts are the plan's figure),
with the light of starts by pace. Two aggregate queries, whatever the number of
campaigns, projects or reports; scoped by ``org.access`` like every read.

The lights here are those of the week: ``supervision.lights.pace_light`` over the sums
through the week, with the campaign's thresholds, as the stored lights judge today.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, DecimalField, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from vanguard.citywork.choices import ReportState
from vanguard.citywork.models import CampaignReport, CampaignWeek, RenewalKind, RenewalReport
from vanguard.citywork.queries.scope import campaigns_for, renewal_for
from vanguard.supervision.lights import pace_light, policy_for

_AMOUNT = DecimalField(max_digits=18, decimal_places=2)


@dataclass
class Row:
    """One line of the summary: what was planned, reported and verified, and its light."""

    name: str
    code: str
    unit: str
    measuring_unit: str
    planned: object
    reported: object
    verified: object
    planned_to_date: object
    verified_to_date: object
    state: str = ""
    light: str = ""
    points_behind: float | None = None
    due: int | None = None
    filed: int | None = None
    checked: int | None = None


def _week_value(field, week, **extra):
    rows = CampaignWeek.objects.filter(city_campaign=OuterRef("pk"), period=week.label, **extra)
    return Subquery(rows.values(field)[:1], output_field=_AMOUNT)


def _to_date(field, week):
    rows = (
        CampaignWeek.objects.filter(city_campaign=OuterRef("pk"), period_start__lte=week.start)
        .order_by()
        .values("city_campaign")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(rows), 0, output_field=_AMOUNT)


def campaign_rows(user, campaign, week, policy):
    """Each city-management campaign's week (one query)."""
    report = CampaignReport.objects.filter(city_campaign=OuterRef("pk"), period=week.label).exclude(
        state=ReportState.RETURNED
    )
    found = (
        campaigns_for(user, campaign)
        .annotate(
            week_planned=_week_value("planned", week),
            week_verified=_week_value("verified", week),
            week_reported=Subquery(report.values("quantity")[:1], output_field=_AMOUNT),
            week_state=Subquery(report.values("state")[:1]),
            planned_to_date=_to_date("planned", week),
            verified_to_date=_to_date("verified", week),
        )
        .values_list(
            "code",
            "name",
            "lead_unit__name",
            "measuring_unit",
            "week_planned",
            "week_reported",
            "week_verified",
            "planned_to_date",
            "verified_to_date",
            "week_state",
        )
        .order_by("code")
    )
    rows = []
    states = dict(ReportState.choices)
    for code, name, unit, measuring, planned, reported, verified, p_sum, v_sum, state in found:
        row = Row(name, code, unit, measuring, planned, reported, verified, p_sum, v_sum)
        row.state = str(states.get(state, "")) if state else ""
        row.light, row.points_behind = pace_light(v_sum, p_sum, policy)
        rows.append(row)
    return rows


def kind_rows(user, campaign, week, policy):
    """Each renewal kind's week: reports due, filed, verified; starts to date (one query)."""
    year_start = datetime.date(campaign.year, 1, 1)
    due = Q(planned_start__lte=week.end) | Q(actual_start__lte=week.end)
    due &= Q(actual_completion__isnull=True) | Q(actual_completion__gte=week.start)
    of_week = RenewalReport.objects.filter(project=OuterRef("pk"), period=week.label)
    filed = Exists(of_week.exclude(state=ReportState.RETURNED))
    checked = Exists(of_week.filter(state=ReportState.VERIFIED))
    start_reported = Exists(
        RenewalReport.objects.filter(
            project=OuterRef("pk"), started_on__gte=year_start, started_on__lte=week.end
        ).exclude(state=ReportState.RETURNED)
    )
    started = Q(actual_start__gte=year_start, actual_start__lte=week.end)
    found = (
        renewal_for(user, campaign)
        .order_by()
        .values("kind_id")
        .annotate(
            due=Count("pk", filter=due),
            filed=Count("pk", filter=due & Q(filed)),
            checked=Count("pk", filter=due & Q(checked)),
            planned=Count(
                "pk", filter=Q(planned_start__gte=year_start, planned_start__lte=week.end)
            ),
            reported=Count("pk", filter=started | Q(start_reported)),
            verified=Count("pk", filter=started),
        )
    )
    by_kind = {r["kind_id"]: r for r in found}
    rows = []
    for kind in RenewalKind.objects.order_by("sort_order", "code"):
        r = by_kind.get(kind.pk)
        if r is None and not kind.active:
            continue
        r = r or dict.fromkeys(("due", "filed", "checked", "planned", "reported", "verified"), 0)
        row = Row(
            kind.name,
            kind.code,
            "",
            "",
            r["planned"],
            r["reported"],
            r["verified"],
            r["planned"],
            r["verified"],
            due=r["due"],
            filed=r["filed"],
            checked=r["checked"],
        )
        row.light, row.points_behind = pace_light(r["verified"], r["planned"], policy)
        rows.append(row)
    return rows


def weekly_summary(user, campaign, week):
    """The week's summary: campaign rows and renewal kind rows, with their lights."""
    policy = policy_for(campaign)
    return {
        "campaigns": campaign_rows(user, campaign, week, policy),
        "kinds": kind_rows(user, campaign, week, policy),
    }
