"""The third battle's targets, the weekly summary and the map layers through the API."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema

from vanguard.citywork.api import router
from vanguard.citywork.queries.targets import target_progress
from vanguard.citywork.queries.weekly import weekly_summary
from vanguard.citywork.weeks import read_week, week_of
from vanguard.org import access
from vanguard.org.queries import current_campaign


class TargetProgressOut(Schema):
    code: str
    name: str
    measure: str
    period: str
    value: Decimal
    expected: Decimal | None = Field(description="Where it should stand by the day judged.")
    verified: int = Field(description="Verified facts counted by the day judged.")
    gap: Decimal | None
    light: str | None = Field(description="Pace against the checkpoint; the whole district only.")


class SummaryRowOut(Schema):
    code: str
    name: str
    unit: str
    measuring_unit: str
    planned: Decimal | None
    reported: Decimal | None
    verified: Decimal | None
    planned_to_date: Decimal | None
    verified_to_date: Decimal | None
    state: str
    light: str
    points_behind: float | None
    due: int | None = Field(None, description="Renewal kinds: projects whose report is due.")
    filed: int | None = None
    checked: int | None = None


class WeeklyOut(Schema):
    week: str
    start: str
    end: str
    campaigns: list[SummaryRowOut]
    kinds: list[SummaryRowOut] = Field(
        description="Renewal kinds: planned, reported and verified are starts to date."
    )


@router.get("/city/targets", response=list[TargetProgressOut], summary="The third battle's targets")
def targets(request, campaign: str | None = None):
    """Each counted target's verified figure, checkpoint, gap and light (lights for a view of
    every unit only)."""
    found = current_campaign(campaign)
    scope = access.data_scope(request.user)
    access.require(scope != access.SCOPE_NONE)
    today = min(timezone.localdate(), found.end_date)
    rows = target_progress(found, request.user, today, judged=scope == access.SCOPE_ALL)
    return [
        {
            "code": r.target.code,
            "name": r.target.name,
            "measure": r.target.measure,
            "period": r.target.period,
            "value": r.target.value,
            "expected": r.expected,
            "verified": r.actual,
            "gap": r.gap,
            "light": r.light,
        }
        for r in rows
    ]


def week_asked(campaign, text):
    """The week asked for, within the campaign; by default the last week before today's.

    A week that names none, or lies outside the campaign, is refused with the field's name.
    """
    if not text:
        today = min(max(timezone.localdate(), campaign.start_date), campaign.end_date)
        return week_of(today).previous()
    try:
        period = read_week(text)
    except ValueError as error:
        raise ValidationError({"week": str(error)}) from None
    if period.end < campaign.start_date or period.start > campaign.end_date:
        raise ValidationError(
            {
                "week": _("{week} lies outside the campaign {campaign} ({start} to {end}).").format(
                    week=period.label,
                    campaign=campaign.name,
                    start=campaign.start_date.isoformat(),
                    end=campaign.end_date.isoformat(),
                )
            }
        )
    return period


@router.get("/city/weekly", response=WeeklyOut, summary="The weekly summary")
def weekly(request, campaign: str | None = None, week: str = ""):
    """A week (``2026-W10``; by default the last one due) of every campaign and renewal kind."""
    access.require(access.data_scope(request.user) != access.SCOPE_NONE)
    found = current_campaign(campaign)
    period = week_asked(found, week)
    summary = weekly_summary(request.user, found, period)
    return {
        "week": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "campaigns": [vars(r) for r in summary["campaigns"]],
        "kinds": [vars(r) for r in summary["kinds"]],
    }
