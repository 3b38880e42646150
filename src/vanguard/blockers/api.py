"""API of the one pool of problems (blockers): list, read, dispatch, follow up, resolve.

Problems come from dekad reports (``source: "project"``, with the project's code and
the report's dekad) and from key-enterprise visits (``source: "enterprise"``, with the
enterprise's credit code); each source names its own fields (``blockers.sources``).
Everything goes through ``org.access``: a problem the caller may not see is 404; one they
see but may not handle is 403.
"""

import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from vanguard.blockers import queries
from vanguard.blockers.actions import do_dispatch_blocker, do_follow_up_blocker, do_resolve_blocker
from vanguard.blockers.sources import attach_sources
from vanguard.core.pagination import PageNumberPagination
from vanguard.org.models import Unit
from vanguard.org.queries import current_campaign

router = Router(tags=["problems"])


class StepOut(Schema):
    kind: str
    note: str
    from_unit: str | None
    to_unit: str | None
    by: str | None
    at: datetime.datetime

    @staticmethod
    def resolve_from_unit(obj):
        return obj.from_unit.code if obj.from_unit_id else None

    @staticmethod
    def resolve_to_unit(obj):
        return obj.to_unit.code if obj.to_unit_id else None

    @staticmethod
    def resolve_by(obj):
        return obj.actor.get_username() if obj.actor_id else None


class ProblemOut(Schema):
    id: int
    title: str
    description: str
    source: str | None
    # For a dekad report's problem: the project code and the dekad of the report raising it.
    project: str | None
    dekad: str | None
    report: int | None
    # For a visit's problem: the enterprise's credit code and the visit.
    enterprise: str | None
    visit: int | None
    unit: str
    state: str
    raised_on: datetime.date
    resolved_on: datetime.date | None
    resolution: str
    days_open: int

    @staticmethod
    def resolve_source(obj):
        return obj.source_kind or None

    @staticmethod
    def resolve_project(obj):
        return obj.source_fields.get("project")

    @staticmethod
    def resolve_dekad(obj):
        return obj.source_fields.get("dekad")

    @staticmethod
    def resolve_report(obj):
        return obj.source_fields.get("report")

    @staticmethod
    def resolve_enterprise(obj):
        return obj.source_fields.get("enterprise")

    @staticmethod
    def resolve_visit(obj):
        return obj.source_fields.get("visit")

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.code

    @staticmethod
    def resolve_days_open(obj):
        return queries.days_open(obj, timezone.localdate())


class ProblemDetailOut(ProblemOut):
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(obj):
        return list(queries.steps_of(obj))


class DispatchIn(Schema):
    # The code of the unit the problem goes to.
    unit: str
    note: str = ""


class FollowUpIn(Schema):
    note: str


class ResolveIn(Schema):
    resolution: str


class ProblemPages(PageNumberPagination):
    """Pages of problems, each page's sources loaded at once (not a query per problem)."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = attach_sources(page[self.items_attribute])
        return page


def _problems(user, campaign=None):
    return queries.blockers_for(user, current_campaign(campaign)).select_related("unit")


def _problem(user, problem_id, campaign=None):
    return get_object_or_404(_problems(user, campaign), pk=problem_id)


@router.get("/problems", response=list[ProblemOut])
@paginate(ProblemPages)
def list_problems(
    request,
    campaign: str | None = None,
    source: str = "",
    unit: str = "",
    q: str = "",
    state: str = "open",
):
    """Problems the caller sees, oldest first: ``state=open`` (default), ``resolved`` or ``all``;
    ``source``: ``project`` or ``enterprise``; ``unit``: the owner unit's code."""
    filters = {"source": source, "unit": unit, "q": q}
    if state == "open":
        return queries.open_problems(request.user, current_campaign(campaign), filters)
    qs = queries.filtered(_problems(request.user, campaign), filters)
    if state != "all":
        qs = qs.filter(state=state)
    return qs.order_by("raised_on", "pk")


@router.get("/problems/{problem_id}", response=ProblemDetailOut)
def get_problem(request, problem_id: int, campaign: str | None = None):
    """One problem with its dispatches and follow-ups."""
    return _problem(request.user, problem_id, campaign)


@router.post("/problems/{problem_id}/dispatch", response=ProblemDetailOut)
def dispatch_problem(request, problem_id: int, payload: DispatchIn, campaign: str | None = None):
    """Give a problem to another unit (the office or the problem's task force)."""
    blocker = _problem(request.user, problem_id, campaign)
    unit = Unit.objects.filter(code=payload.unit).first()
    if unit is None:
        raise ValidationError({"unit": _("Unknown unit {code}.").format(code=payload.unit)})
    do_dispatch_blocker(blocker, unit=unit, note=payload.note, actor=request.user)
    return _problem(request.user, problem_id, campaign)


@router.post("/problems/{problem_id}/follow-up", response=ProblemDetailOut)
def follow_up_problem(request, problem_id: int, payload: FollowUpIn, campaign: str | None = None):
    """Add a follow-up note (owner unit, the problem's task force, the office)."""
    blocker = _problem(request.user, problem_id, campaign)
    do_follow_up_blocker(blocker, note=payload.note, actor=request.user)
    return _problem(request.user, problem_id, campaign)


@router.post("/problems/{problem_id}/resolve", response=ProblemDetailOut)
def resolve_problem(request, problem_id: int, payload: ResolveIn, campaign: str | None = None):
    """Close a problem with its resolution (owner unit, the problem's task force, the office)."""
    blocker = _problem(request.user, problem_id, campaign)
    do_resolve_blocker(blocker, resolution=payload.resolution, actor=request.user)
    return _problem(request.user, problem_id, campaign)
