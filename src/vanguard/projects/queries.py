"""Reads of the projects battle, scoped by org.access and set-based."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q

from vanguard.calendar.periods import PeriodKind, parse_label, periods_between
from vanguard.org.access import access_for, restrict
from vanguard.org.models import Campaign, Unit
from vanguard.projects.choices import MilestoneState, ReportStatus, Stage
from vanguard.projects.lights import SubjectKind
from vanguard.projects.models import DekadReport, KeyNode, Milestone, Project, ReportedNode
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import annotate_light
from vanguard.supervision.models import LightState

FILTERS = ("unit", "stage", "size_class", "sector", "kind", "light", "q")

# How far the reports waiting for certification are counted: a province's deadline
# leaves hundreds of thousands, and counting them reads each one's project.
COUNT_LIMIT = 2000

# An upper bound only: a cached figure's key holds the campaign's project version,
# which changes with every project written.
CACHE_SECONDS = 600


@dataclass(frozen=True)
class ProjectsVersion:
    """How many projects a campaign holds, and a key that changes whenever one is
    created or changed: every project write stamps ``updated_at``, and projects are
    never deleted (the admin is read-only; a campaign's rows are protected)."""

    count: int
    key: str


def projects_version(user, campaign):
    """The campaign's ProjectsVersion when ``user`` sees every unit, else None.

    Figures over every project of the campaign (the count, stage counts, the filters'
    choices, the certified counts of the progress page) are cached under it. The key
    is one probe of the (campaign, updated_at) index; the count, a scan of every
    project (a province holds a million), is made once per key. Users who see only
    their units read a few hundred projects through the (campaign, lead unit) index,
    which needs no cache.
    """
    if not access_for(user).sees_all_units:
        return None
    projects = Project.objects.filter(campaign=campaign)
    last = projects.aggregate(last=Max("updated_at"))["last"]
    key = "{}.{}".format(campaign.pk, last.timestamp() if last else 0)
    count = cache.get_or_set("projects.count." + key, projects.count, CACHE_SECONDS)
    return ProjectsVersion(count, key)


def cached(name, version, compute):
    """``compute()``, kept in the cache under ``version`` (not cached when it is None).

    ``version`` comes from ``projects_version`` for the same user: only users who see
    every unit get one, and they all see the same figures.
    """
    if version is None:
        return compute()
    return cache.get_or_set("projects.{}.{}".format(name, version.key), compute, CACHE_SECONDS)


def project_queryset(user, campaign, params=None):
    """The projects ``user`` may see in ``campaign``, narrowed by the list's filters."""
    params = params or {}
    qs = restrict(Project.objects.filter(campaign=campaign), user).select_related("lead_unit")
    if params.get("unit"):
        qs = qs.filter(lead_unit__code=params["unit"])
    if params.get("stage"):
        qs = qs.filter(stage=params["stage"])
    if params.get("size_class"):
        qs = qs.filter(size_class=params["size_class"])
    if params.get("sector"):
        qs = qs.filter(sector=params["sector"])
    if params.get("kind"):
        qs = qs.filter(kind=params["kind"])
    if params.get("q"):
        qs = qs.filter(Q(code__icontains=params["q"]) | Q(name__icontains=params["q"]))
    qs = annotate_light(qs, SubjectKind.PROJECT, campaign=campaign)
    if params.get("light"):
        qs = qs.filter(light=params["light"])
    return qs.order_by("code")


def key_nodes(campaign):
    """The campaign's key nodes in map order."""
    return list(KeyNode.objects.filter(campaign=campaign).order_by("order"))


def with_milestones(projects):
    """Attach each project's milestones (one query for the whole page)."""
    return projects.prefetch_related(
        Prefetch(
            "milestones", queryset=Milestone.objects.select_related("node").order_by("node__order")
        )
    )


# How a node's light shows in the matrix and on the project map.
LIGHT_STATUS = {Light.RED: "overdue", Light.YELLOW: "due_soon"}


def milestone_statuses(milestones, today):
    """``{milestone id: status}``: the light engine's verdict where it has one."""
    lights = dict(
        LightState.objects.filter(
            kind=SubjectKind.MILESTONE, object_id__in=[m.pk for m in milestones]
        ).values_list("object_id", "light")
    )
    statuses = {}
    for m in milestones:
        light = lights.get(m.pk)
        status = milestone_status(m, today)
        if light in LIGHT_STATUS and status not in ("done", "not_needed"):
            status = LIGHT_STATUS[light]
        statuses[m.pk] = status
    return statuses


@dataclass(frozen=True, slots=True)
class NodeDates:
    """What the node matrix shows of a project's key node (a Milestone's fields, no model)."""

    pk: int
    node_id: int
    planned_date: object
    actual_date: object
    state: str


def node_dates(project_ids):
    """``{project id: {node id: NodeDates}}`` of the projects' key nodes, in one query.

    The matrix shows 350 cells a page: plain rows rather than models, whose making
    was most of the page's time.
    """
    found = {}
    rows = Milestone.objects.filter(project_id__in=list(project_ids)).values_list(
        "project_id", "pk", "node_id", "planned_date", "actual_date", "state"
    )
    for project_id, *fields in rows:
        found.setdefault(project_id, {})[fields[1]] = NodeDates(*fields)
    return found


def milestone_status(milestone, today):
    """How a node stands today: done, not needed, overdue, planned or unplanned."""
    if milestone.state == MilestoneState.DONE:
        return "done"
    if milestone.state == MilestoneState.NOT_NEEDED:
        return "not_needed"
    if milestone.planned_date is None:
        return "unplanned"
    return "overdue" if milestone.planned_date < today else "planned"


def _waiting_reports(user, params, in_campaign):
    qs = restrict(DekadReport.objects.filter(in_campaign, status=ReportStatus.SUBMITTED), user)
    if params.get("period"):
        qs = qs.filter(period=params["period"])
    if params.get("unit"):
        qs = qs.filter(unit__code=params["unit"])
    return qs


def _in_campaign(campaign):
    # Tested report by report: SQLite then walks the report index on (status, period,
    # unit, project) in order and stops after one page, or after one entry per dekad
    # for the list of dekads. A join would first read every project of the campaign.
    return Exists(Project.objects.filter(pk=OuterRef("project_id"), campaign=campaign))


def certification_queue(user, campaign, params=None):
    """Submitted reports waiting for certification, by dekad (oldest first), unit, project.

    Dekad labels sort as their dates do; units and projects come in the order of their
    ids, which the report index holds: ordering by their codes would sort every waiting
    report of the dekad for each page. Only the project and the unit are joined: each
    further table multiplies the join orders PostgreSQL weighs (with the submitter, the
    person and the corrected report, planning took 14 ms of a page's 18 in the database).
    """
    return (
        _waiting_reports(user, params or {}, _in_campaign(campaign))
        .select_related("project", "unit")
        .prefetch_related(
            Prefetch("nodes", ReportedNode.objects.select_related("node"), to_attr="node_list")
        )
        .order_by("period", "unit_id", "project_id")
    )


def count_waiting(user, campaign, params=None, *, limit=None):
    """How many reports ``certification_queue`` holds with the same ``params``; with
    ``limit``, counted no further than ``limit + 1`` (a province's dekad holds hundreds
    of thousands: counting them all reads each one's project)."""
    # Counting, the join is the cheaper form: it looks each report's project up in the
    # small (campaign, id) index instead of the project table.
    waiting = _waiting_reports(user, params or {}, Q(project__campaign=campaign))
    if limit is not None:
        waiting = waiting.order_by().values("pk")[: limit + 1]
    return waiting.count()


def waiting_periods(user, campaign, params=None):
    """The dekads that have reports waiting for certification, oldest first.

    One probe of the report index per dekad between the oldest and the newest waiting
    report, all in one query: a DISTINCT would read every waiting report (a province
    holds more than half a million at a deadline) to find a few dozen dekads.
    """
    params = {**(params or {}), "period": ""}
    submitted = DekadReport.objects.filter(status=ReportStatus.SUBMITTED)
    oldest = submitted.order_by("period").values_list("period", flat=True).first()
    if oldest is None:
        return []
    newest = submitted.order_by("-period").values_list("period", flat=True).first()
    start = max(parse_label(oldest).start, campaign.start_date)
    labels = [p.label for p in periods_between(PeriodKind.DEKAD, start, parse_label(newest).end)]
    if not labels:
        return []
    waiting = _waiting_reports(user, params, _in_campaign(campaign))
    found = (
        Campaign.objects.filter(pk=campaign.pk)
        .values(
            **{
                "p{}".format(i): Exists(waiting.filter(period=label))
                for i, label in enumerate(labels)
            }
        )
        .first()
    )
    return [label for i, label in enumerate(labels) if found["p{}".format(i)]]


def lead_unit_choices(user, campaign):
    """``(code, name)`` of the units leading projects the user may see, by code."""
    # One index probe per unit, instead of a DISTINCT over a join with every project.
    leads = Project.objects.filter(campaign=campaign, lead_unit=OuterRef("pk"))
    return list(
        restrict(Unit.objects.filter(Exists(leads)), user)
        .order_by("code")
        .values_list("code", "name")
    )


def sector_choices(user, campaign, version=None):
    """Sectors present among the projects the user may see."""

    def compute():
        return list(
            restrict(Project.objects.filter(campaign=campaign), user)
            .exclude(sector="")
            .values_list("sector", flat=True)
            .distinct()
            .order_by("sector")
        )

    return cached("sectors", version, compute)


def stage_counts(user, campaign, version=None):
    """How many visible projects stand at each stage."""

    def compute():
        rows = (
            restrict(Project.objects.filter(campaign=campaign), user)
            .values("stage")
            .annotate(n=Count("pk"))
        )
        return {row["stage"]: row["n"] for row in rows}

    return cached("stages", version, compute)


def completing_this_year(campaign, user):
    """(investment in yuan, planned completion) of the projects not yet completed that
    plan to complete in the campaign's year; the indicators' outlook reads it."""
    return list(
        restrict(Project.objects.filter(campaign=campaign), user)
        .exclude(stage=Stage.COMPLETED)
        .filter(completed_planned__year=campaign.year)
        .values_list("investment_yuan", "completed_planned")
    )
