"""API of the indicators battle: the catalogue, its areas, and observations (submit, revise).

Observations are listed as in force by default (``history=true`` adds superseded
versions). A submission of a figure that already exists must name the version it
revises (``revises``); a stale or missing version is refused with 409 Conflict, so two
clients never overwrite each other unseen.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from vanguard.core.pagination import PageNumberPagination
from vanguard.core.preconditions import expected_version
from vanguard.core.schemas import InputSchema
from vanguard.indicators.actions import StaleObservation, do_submit_observation, month_of
from vanguard.indicators.choices import ObservationSource
from vanguard.indicators.models import Area, Indicator, Observation
from vanguard.indicators.queries import areas_of, indicators_for
from vanguard.org import access
from vanguard.org.access import restrict
from vanguard.org.queries import current_campaign

router = Router(tags=["indicators"])


class AreaOut(Schema):
    level: str
    name: str


class IndicatorOut(Schema):
    campaign: str
    code: str
    name: str
    name_en: str
    aliases: list[str]
    measure: str
    unit_of_measure: str
    kind: str
    good_direction: str
    frequency: str
    sector: str
    responsible_unit: str | None
    responsible_unit_name: str
    main: bool
    comparators: list[str]

    @staticmethod
    def resolve_campaign(obj):
        return obj.campaign.code

    @staticmethod
    def resolve_responsible_unit(obj):
        return obj.responsible_unit.code if obj.responsible_unit else None


class ObservationOut(Schema):
    id: int
    indicator: str
    area: str
    month: str
    months: str
    level: Decimal | None
    growth_pct: Decimal | None
    unit_of_measure: str
    version: int
    is_current: bool
    supersedes: int | None
    source: str
    reason: str
    recorded_by: str | None
    recorded_at: datetime.datetime

    @staticmethod
    def resolve_indicator(obj):
        return obj.indicator.code

    @staticmethod
    def resolve_area(obj):
        return obj.area.level

    @staticmethod
    def resolve_month(obj):
        return obj.period_label

    @staticmethod
    def resolve_months(obj):
        return obj.cumulative_label

    @staticmethod
    def resolve_unit_of_measure(obj):
        return obj.indicator.unit_of_measure

    @staticmethod
    def resolve_supersedes(obj):
        return obj.supersedes_id

    @staticmethod
    def resolve_recorded_by(obj):
        return obj.recorded_by.get_username() if obj.recorded_by else None


class ObservationIn(InputSchema):
    campaign: str | None = None
    indicator: str
    area: str
    month: str
    level: Decimal | None = None
    growth_pct: Decimal | None = None
    revises: int | None = Field(
        None,
        description=(
            'The version of the figure in force this revises (or If-Match: "2"); required'
            " once a figure exists, and refused with 409 when no longer the one in force."
        ),
    )
    reason: str = ""


def _observations(user):
    return restrict(Observation.objects.all(), user).select_related(
        "indicator__campaign", "area", "recorded_by"
    )


def _month_filter(value):
    try:
        return month_of(value)
    except ValidationError as error:
        raise HttpError(422, "; ".join(error.messages)) from None


@router.get("/indicators", response=list[IndicatorOut])
@paginate(PageNumberPagination)
def list_indicators(request, campaign: str | None = None):
    """The campaign's indicator catalogue, in the plan's order."""
    return indicators_for(request.user, current_campaign(campaign)).select_related("campaign")


@router.get("/indicators/{code}", response=IndicatorOut)
def get_indicator(request, code: str, campaign: str | None = None):
    """One indicator of the catalogue."""
    qs = indicators_for(request.user, current_campaign(campaign)).select_related("campaign")
    return get_object_or_404(qs, code=code)


@router.get("/areas", response=list[AreaOut])
@paginate(PageNumberPagination)
def list_areas(request, campaign: str | None = None):
    """The campaign's own area (district) and its comparator areas (city, province)."""
    return list(areas_of(current_campaign(campaign), request.user).values())


@router.get("/observations", response=list[ObservationOut])
@paginate(PageNumberPagination)
def list_observations(
    request,
    campaign: str | None = None,
    indicator: str = "",
    area: str = "",
    month: str = "",
    history: bool = False,
):
    """Figures in force (with ``history=true``, every version), filtered by indicator, area, month."""
    qs = _observations(request.user).filter(indicator__campaign=current_campaign(campaign))
    if not history:
        qs = qs.filter(is_current=True)
    if indicator:
        qs = qs.filter(indicator__code=indicator)
    if area:
        qs = qs.filter(area__level=area)
    if month:
        qs = qs.filter(month=_month_filter(month))
    return qs.order_by("month", "indicator__sort_order", "area__level", "version")


@router.get("/observations/{observation_id}", response=ObservationOut)
def get_observation(request, observation_id: int):
    """One figure, in force or superseded."""
    return get_object_or_404(_observations(request.user), pk=observation_id)


@router.post("/observations", response={200: ObservationOut, 201: ObservationOut})
def submit_observation(request, payload: ObservationIn):
    """Record a figure, or revise the one in force by naming its version in ``revises``.

    201: a new version was recorded; 200: the figures equal those in force, nothing
    changed; 409: ``revises`` is missing or no longer the version in force. 403 before the
    names are looked up for whoever may enter no figure at all.
    """
    access.require(access.may_enter_some_figures(request.user))
    campaign = current_campaign(payload.campaign)
    indicator = (
        restrict(Indicator.objects.filter(campaign=campaign), request.user)
        .select_related("campaign")
        .filter(code=payload.indicator)
        .first()
    )
    area = restrict(Area.objects.filter(campaign=campaign), request.user).filter(level=payload.area)
    area = area.first()
    errors = {}
    if indicator is None:
        errors["indicator"] = [_("Unknown indicator {code}.").format(code=payload.indicator)]
    if area is None:
        errors["area"] = [_("Unknown area {code}.").format(code=payload.area)]
    if errors:
        raise ValidationError(errors)
    try:
        done = do_submit_observation(
            indicator,
            area,
            month_of(payload.month),
            actor=request.user,
            level=payload.level,
            growth_pct=payload.growth_pct,
            revises=expected_version(request, payload.revises),
            reason=payload.reason,
            source=ObservationSource.API,
        )
    except StaleObservation as error:
        raise HttpError(409, "; ".join(error.messages)) from None
    observation = _observations(request.user).get(pk=done.observation.pk)
    return Status(201 if done.created else 200, observation)


# --- early warnings and the forecast -------------------------------------------------------


class WarningOut(Schema):
    indicator: str
    rule: str
    light: str
    gap: float | None
    text: str
    facts: dict

    @staticmethod
    def resolve_indicator(obj):
        return obj.indicator.code

    @staticmethod
    def resolve_facts(obj):
        return {k: v for k, v in obj.facts.items() if k != "indicator"}


class ProjectionOut(Schema):
    month: int
    growth: float
    level: float | None
    base: float | None
    stock: float | None
    increment: float
    pace: float | None
    method: str
    recent: float | None
    base_effect: float
    relation: float


class TargetOutlookOut(Schema):
    target: str
    name: str
    month: int
    horizon: int
    projection: ProjectionOut
    threshold: float | None
    threshold_label: str
    gap_points: float | None
    gap_level: float | None
    probability: float | None
    odds_text: str
    spread: float | None
    band_low: float | None
    band_high: float | None
    caution: str

    @staticmethod
    def resolve_target(obj):
        return obj.target.code

    @staticmethod
    def resolve_name(obj):
        return obj.target.name


class ForecastOut(Schema):
    indicator: str
    unit_of_measure: str
    latest_month: int | None
    latest_growth: float | None
    quarter_end: ProjectionOut | None
    year_end: ProjectionOut | None
    year_end_band: float | None
    targets: list[TargetOutlookOut]
    basis_text: str

    @staticmethod
    def resolve_indicator(obj):
        return obj.indicator.code

    @staticmethod
    def resolve_unit_of_measure(obj):
        return obj.indicator.unit_of_measure

    @staticmethod
    def resolve_latest_month(obj):
        return obj.latest


@router.get("/warnings", response=list[WarningOut])
def list_warnings(request, campaign: str | None = None):
    """Early warnings on the indicators, as the last light recompute found them."""
    from vanguard.indicators.lights import indicator_warnings

    the_campaign = current_campaign(campaign)
    return indicator_warnings(the_campaign, list(indicators_for(request.user, the_campaign)))


@router.get("/forecasts", response=list[ForecastOut])
def list_forecasts(request, campaign: str | None = None):
    """Each indicator's quarter-end and year-end forecast, its open targets, gaps and odds."""
    from django.utils import timezone

    from vanguard.indicators.outlook import outlook

    return outlook(current_campaign(campaign), request.user, timezone.localdate()).indicators
