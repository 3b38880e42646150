"""The third battle's targets, the weekly summary and the map layers through the API."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema

from vanguard.citywork import features
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


@router.get("/city/weekly", response=WeeklyOut, summary="The weekly summary")
def weekly(request, campaign: str | None = None, week: str = ""):
    """A week (``2026-W10``; by default the last one due) of every campaign and renewal kind."""
    access.require(access.data_scope(request.user) != access.SCOPE_NONE)
    found = current_campaign(campaign)
    period = read_week(week) if week else week_of(timezone.localdate()).previous()
    summary = weekly_summary(request.user, found, period)
    return {
        "week": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "campaigns": [vars(r) for r in summary["campaigns"]],
        "kinds": [vars(r) for r in summary["kinds"]],
    }


def _bbox(text):
    if not text:
        return None
    parts = [float(p) for p in text.split(",")]
    if len(parts) != 4:
        raise ValueError
    return parts


_LAYERS = {
    "renewal": features.renewal_features,
    "zones": features.zone_features,
    "roads": features.road_features,
}


@router.get("/city-layers/{layer}", summary="A layer of the map as GeoJSON")
def layer(request, layer: str, campaign: str | None = None, bbox: str = ""):
    """``renewal``, ``zones`` or ``roads`` as a GeoJSON FeatureCollection (WGS84), with
    ``bbox=west,south,east,north`` for the map's view."""
    from django.http import Http404
    from ninja.errors import HttpError

    access.require_participant(request.user)
    if layer not in _LAYERS:
        raise Http404
    try:
        box = _bbox(bbox)
    except ValueError:
        raise HttpError(
            400, _("Write bbox as west,south,east,north in degrees, e.g. 120.1,35.9,120.3,36.0.")
        ) from None
    return _LAYERS[layer](request.user, current_campaign(campaign), box)
