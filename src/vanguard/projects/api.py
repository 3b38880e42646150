"""API of the projects battle: projects, key nodes, dekad reports and certification.

A change names the version it was made on, as the pages do: a project change its
``version``, a report the waiting report it revises (``replaces``), either of them in
``If-Match`` instead (``"project-7"``, ``"report-123"``). A stale or missing one is
refused with 409 Conflict and nothing is overwritten.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from vanguard.blockers.models import Blocker
from vanguard.core.pagination import PageNumberPagination
from vanguard.core.preconditions import expected_version, required_version
from vanguard.core.schemas import InputSchema
from vanguard.org.access import restrict
from vanguard.org.models import Unit
from vanguard.org.queries import current_campaign
from vanguard.projects import queries
from vanguard.projects.actions import (
    StaleReport,
    do_attach_milestone_evidence,
    do_clear_milestone_not_needed,
    do_correct_report,
    do_set_milestone_not_needed,
    do_submit_report,
    do_update_project,
    submitted_at,
)
from vanguard.projects.models import (
    DekadReport,
    EvidenceFile,
    Milestone,
    Project,
    ReportedNode,
)
from vanguard.projects.views.milestones import evidence_response, file_download

router = Router(tags=["projects"])


class MilestoneOut(Schema):
    node: str
    name: str
    planned_date: datetime.date | None
    actual_date: datetime.date | None
    state: str
    not_needed_reason: str
    # The evidence file as stored ("" for none); download it from .../evidence.
    evidence: str

    @staticmethod
    def resolve_node(obj):
        return obj.node.code

    @staticmethod
    def resolve_evidence(obj):
        return obj.evidence.name or ""

    @staticmethod
    def resolve_name(obj):
        return obj.node.name


class EvidenceFileOut(Schema):
    id: int
    file: str
    sha256: str
    size: int
    uploaded_by: str
    uploaded_at: datetime.datetime
    # When another file took its place (null for the current one).
    replaced_at: datetime.datetime | None

    @staticmethod
    def resolve_file(obj):
        return obj.file.name

    @staticmethod
    def resolve_uploaded_by(obj):
        return obj.uploaded_by.get_username() if obj.uploaded_by else ""


class ProjectOut(Schema):
    code: str
    name: str
    campaign: str
    lead_unit: str
    investment_yuan: int
    size_class: str
    sector: str
    kind: str
    stage: str
    introduced_planned: datetime.date | None
    started_planned: datetime.date | None
    completed_planned: datetime.date | None
    introduced_on: datetime.date | None
    started_on: datetime.date | None
    completed_on: datetime.date | None
    latitude: float | None
    longitude: float | None
    supporting_units: list[str]
    version: int

    @staticmethod
    def resolve_campaign(obj):
        return getattr(obj, "campaign_code", None) or obj.campaign.code

    @staticmethod
    def resolve_lead_unit(obj):
        return getattr(obj, "lead_unit_code", None) or obj.lead_unit.code

    @staticmethod
    def resolve_supporting_units(obj):
        return sorted(u.code for u in _prefetched(obj, "supporting_list", "supporting_units"))


class ProjectDetailOut(ProjectOut):
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_milestones(obj):
        return list(obj.milestones.all())


class SupportingUnitsIn(InputSchema):
    units: list[str]
    version: int | None = Field(
        None,
        description=(
            'The project\'s version the caller read (or send it as If-Match: "project-7");'
            " a project changed since is refused with 409, not overwritten."
        ),
    )
    reason: str = ""


class NotNeededIn(InputSchema):
    reason: str


class ReportIn(InputSchema):
    period: str | None = None
    progress: str
    investment_yuan: int = 0
    stage_reached: str = ""
    stage_date: datetime.date | None = None
    node_dates: dict[str, datetime.date] = {}
    blockers: list[str] = []


REPLACES_HELP = (
    "The id of the report waiting for certification that this one revises (or send it as"
    ' If-Match: "report-123"). Required while one waits; a report that names none, or one'
    " that no longer waits, is refused with 409 and the waiting report is kept."
)


class SubmissionIn(ReportIn):
    replaces: int | None = Field(None, description=REPLACES_HELP)


class CorrectionIn(ReportIn):
    reason: str
    replaces: int | None = Field(
        None,
        description=(
            "The id of the correction waiting for certification that this one revises (or"
            ' If-Match: "report-123"); required while one waits, else 409. The certified'
            " report corrected is the one in the path."
        ),
    )


class ReportProblemOut(Schema):
    # The problem in /problems/{id}: follow, dispatch and resolve it there.
    id: int
    title: str
    unit: str
    state: str

    @staticmethod
    def resolve_unit(obj):
        return getattr(obj, "unit_code", None) or obj.unit.code


class ReportOut(Schema):
    id: int
    project: str
    unit: str
    period: str
    status: str
    due_date: datetime.date
    # True while the due date is counted over a year whose holidays are not entered (暂定).
    due_provisional: bool
    late: bool
    progress: str
    investment_yuan: int
    stage_reached: str
    stage_date: datetime.date | None
    node_dates: dict[str, datetime.date]
    submitted_at: datetime.datetime
    reviewed_at: datetime.datetime | None
    return_reason: str
    supersedes: int | None
    # The problems the report names: those it raised and open ones it repeats.
    problems: list[ReportProblemOut]

    @staticmethod
    def resolve_problems(obj):
        return sorted(_prefetched(obj, "problem_list", "blockers"), key=lambda b: b.pk)

    @staticmethod
    def resolve_project(obj):
        return getattr(obj, "project_code", None) or obj.project.code

    @staticmethod
    def resolve_unit(obj):
        return getattr(obj, "unit_code", None) or obj.unit.code

    @staticmethod
    def resolve_node_dates(obj):
        return {
            getattr(n, "node_code", None) or n.node.code: n.actual_date
            for n in _prefetched(obj, "node_list", "nodes")
        }

    @staticmethod
    def resolve_supersedes(obj):
        return obj.supersedes_id


def _projects(user):
    return restrict(
        Project.objects.select_related("campaign", "lead_unit").prefetch_related(
            "supporting_units"
        ),
        user,
    )


def _project_detail(user, code):
    qs = _projects(user).prefetch_related(
        Prefetch(
            "milestones", queryset=Milestone.objects.select_related("node").order_by("node__order")
        )
    )
    return get_object_or_404(qs, code=code)


def visible_reports(user):
    """The dekad reports ``user`` may see, with what ReportOut shows.

    Their nodes and problems come as plain lists (``node_list``, ``problem_list``): a
    page of a hundred reports made two managers and two querysets for each otherwise.
    Of their project and unit, only the codes (``project_code``, ``unit_code``).
    """
    return restrict(
        DekadReport.objects.annotate(
            project_code=F("project__code"), unit_code=F("unit__code")
        ).prefetch_related(
            Prefetch(
                "nodes",
                queryset=ReportedNode.objects.annotate(node_code=F("node__code")),
                to_attr="node_list",
            ),
            Prefetch(
                "blockers",
                queryset=Blocker.objects.annotate(unit_code=F("unit__code")),
                to_attr="problem_list",
            ),
        ),
        user,
    )


def _prefetched(obj, name, relation):
    """``obj``'s ``relation`` as a list prefetched to ``name``, else read now."""
    found = getattr(obj, name, None)
    return found if found is not None else getattr(obj, relation).all()


@router.get("/projects", response=list[ProjectOut])
@paginate(PageNumberPagination)
def list_projects(
    request,
    campaign: str | None = None,
    unit: str = "",
    stage: str = "",
    size_class: str = "",
    sector: str = "",
    q: str = "",
):
    """Projects the caller may see, filtered like the list page."""
    params = {"unit": unit, "stage": stage, "size_class": size_class, "sector": sector, "q": q}
    # Of the campaign and the lead unit, the codes shown; supporting units as plain
    # lists: a manager and a queryset per project otherwise.
    return (
        queries.project_queryset(request.user, current_campaign(campaign), params)
        .select_related(None)
        .annotate(campaign_code=F("campaign__code"), lead_unit_code=F("lead_unit__code"))
        .prefetch_related(
            Prefetch(
                "supporting_units", queryset=Unit.objects.only("code"), to_attr="supporting_list"
            )
        )
    )


@router.get("/projects/{code}", response=ProjectDetailOut)
def get_project(request, code: str):
    """One project with its key-node milestones."""
    return _project_detail(request.user, code)


@router.put("/projects/{code}/supporting-units", response=ProjectDetailOut)
def set_supporting_units(request, code: str, payload: SupportingUnitsIn):
    """Replace a project's supporting units (unit codes); office or projects task force."""
    project = get_object_or_404(_projects(request.user), code=code)
    version = required_version(request, payload.version, current=project.version, prefix="project")
    codes = list(dict.fromkeys(payload.units))
    units = dict(Unit.objects.filter(code__in=codes).values_list("code", "pk"))
    unknown = [c for c in codes if c not in units]
    if unknown:
        raise ValidationError(
            {"supporting_units": _("Unknown unit(s): {units}.").format(units=", ".join(unknown))}
        )
    do_update_project(
        project,
        actor=request.user,
        expected_version=version,
        reason=payload.reason.strip(),
        supporting_units=list(units.values()),
    )
    return _project_detail(request.user, code)


def _milestone(user, code, node):
    project = get_object_or_404(_projects(user), code=code)
    return get_object_or_404(
        Milestone.objects.select_related("node"), project=project, node__code=node
    )


@router.post("/projects/{code}/milestones/{node}/not-needed", response=MilestoneOut)
def set_milestone_not_needed(request, code: str, node: str, payload: NotNeededIn):
    """Mark a key node not needed for the project, with a reason (office or task force)."""
    milestone = _milestone(request.user, code, node)
    return do_set_milestone_not_needed(milestone, actor=request.user, reason=payload.reason)


@router.delete("/projects/{code}/milestones/{node}/not-needed", response=MilestoneOut)
def clear_milestone_not_needed(request, code: str, node: str, reason: str = ""):
    """Undo “not needed”: the key node is to be done again (office or task force)."""
    milestone = _milestone(request.user, code, node)
    return do_clear_milestone_not_needed(milestone, actor=request.user, reason=reason)


@router.post("/projects/{code}/milestones/{node}/evidence", response=MilestoneOut)
def upload_milestone_evidence(
    request,
    code: str,
    node: str,
    file: File[UploadedFile],
    replaces: Form[str | None] = None,
):
    """Upload a key node's evidence (multipart ``file``; PDF/OFD, JPG/PNG/WebP, Word/Excel, ≤ 20 MB).

    ``replaces`` is the ``evidence`` the caller read: if another file was uploaded since,
    the upload is refused (422) instead of replacing it.
    """
    milestone = _milestone(request.user, code, node)
    return do_attach_milestone_evidence(milestone, file, actor=request.user, replaces=replaces)


@router.get("/projects/{code}/milestones/{node}/evidence")
def download_milestone_evidence(request, code: str, node: str):
    """A key node's evidence file, for anyone who may see the project."""
    return evidence_response(_milestone(request.user, code, node))


@router.get("/projects/{code}/milestones/{node}/evidence/files", response=list[EvidenceFileOut])
def list_milestone_evidence_files(request, code: str, node: str):
    """Every file uploaded as a key node's evidence, newest first; replaced ones are kept."""
    milestone = _milestone(request.user, code, node)
    return milestone.evidence_files.select_related("uploaded_by").order_by("-uploaded_at", "-pk")


@router.get("/projects/{code}/milestones/{node}/evidence/files/{file_id}")
def download_milestone_evidence_file(request, code: str, node: str, file_id: int):
    """One file of a key node's evidence history, for anyone who may see the project."""
    milestone = _milestone(request.user, code, node)
    return file_download(get_object_or_404(EvidenceFile, pk=file_id, milestone=milestone).file)


@router.get("/projects/{code}/reports", response=list[ReportOut])
@paginate(PageNumberPagination)
def list_project_reports(request, code: str):
    """A project's dekad reports, newest first (all states, superseded ones included)."""
    # Only which project: its supporting units and the rest are not shown here.
    visible = restrict(Project.objects.all(), request.user).values_list("pk", flat=True)
    project_id = get_object_or_404(visible, code=code)
    return (
        visible_reports(request.user)
        .filter(project_id=project_id)
        .order_by("-period_start", "-submitted_at")
    )


def _replaced(request, payload):
    return expected_version(request, payload.replaces, prefix="report")


def _conflict(error):
    """409 in words: which report waits, since when, and how to revise it."""
    waiting, named = error.waiting, error.replaces
    where = _("project {code}, {dekad}").format(
        code=error.project.code, dekad=error.dekad.display_label
    )
    if waiting is None:
        message = _(
            "Report {named} no longer waits for certification ({where}): nothing is waiting"
            " now. Read it again (GET /api/v1/reports/{named}) and submit without"
            ' "replaces".'
        ).format(named=named, where=where)
    else:
        message = _(
            "Report {id} of {where} has been waiting for certification since {at}. To revise"
            " it, read it (GET /api/v1/reports/{id}) and submit again naming it:"
            ' "replaces": {id}, or the header If-Match: "report-{id}".'
        ).format(id=waiting.pk, where=where, at=submitted_at(waiting))
        if named is not None:
            message = _("Report {named} is no longer the one waiting. {rest}").format(
                named=named, rest=message
            )
    return HttpError(409, message)


@router.post(
    "/projects/{code}/reports",
    response={201: ReportOut},
    openapi_extra={"responses": {409: {"description": "A report waits and is not named."}}},
)
def submit_report(request, code: str, payload: SubmissionIn):
    """File the lead unit's report for a dekad (default: the current one).

    While a report of the dekad waits for certification, a new one revises it only by
    naming it (``replaces`` or ``If-Match: "report-ID"``); otherwise 409 Conflict, and the
    waiting report stays as it is.
    """
    # Only which project (and its lead unit's code): the filing reads it again under its lock.
    project = get_object_or_404(
        restrict(Project.objects.select_related("lead_unit"), request.user), code=code
    )
    data = payload.dict()
    data["replaces"] = _replaced(request, payload)
    try:
        report = do_submit_report(project, actor=request.user, **data)
    except StaleReport as error:
        raise _conflict(error) from None
    return Status(201, _filed(report, project.lead_unit))


@router.get("/reports", response=list[ReportOut])
@paginate(PageNumberPagination)
def list_reports(request, status: str = "", period: str = "", unit: str = ""):
    """Dekad reports the caller may see; ``status=submitted`` is the certification queue."""
    qs = visible_reports(request.user)
    if status:
        qs = qs.filter(status=status)
    if period:
        qs = qs.filter(period=period)
    if unit:
        qs = qs.filter(unit__code=unit)
    return qs.order_by("period_start", "unit__code", "project__code")


@router.get("/reports/{report_id}", response=ReportOut)
def get_report(request, report_id: int):
    """One report."""
    return get_object_or_404(visible_reports(request.user), pk=report_id)


@router.post(
    "/reports/{report_id}/correction",
    response={201: ReportOut},
    openapi_extra={"responses": {409: {"description": "A correction waits and is not named."}}},
)
def correct_report(request, report_id: int, payload: CorrectionIn):
    """File a correction of the certified report ``report_id``.

    While a correction waits for certification, a new one must name it (``replaces`` or
    ``If-Match: "report-ID"``), else 409 Conflict.
    """
    # Only which report, and its project: the correction reads the rest under its locks.
    report = get_object_or_404(
        restrict(DekadReport.objects.select_related("project__lead_unit"), request.user),
        pk=report_id,
    )
    data = payload.dict()
    data.pop("period", None)
    data.pop("blockers", None)
    data["replaces"] = _replaced(request, payload)
    try:
        correction = do_correct_report(report, actor=request.user, **data)
    except StaleReport as error:
        raise _conflict(error) from None
    return Status(201, _filed(correction, report.project.lead_unit))


def _filed(report, lead_unit):
    """A report this request filed, as ReportOut shows it, from what the filing holds:
    its project, the nodes and problems it named (reading it again took three
    statements). Units other than ``lead_unit`` are read for their codes."""
    codes = {lead_unit.pk: lead_unit.code}
    wanted = {report.unit_id, *(problem.unit_id for problem in report.problem_list)}
    if wanted - codes.keys():
        codes.update(Unit.objects.filter(pk__in=wanted - codes.keys()).values_list("pk", "code"))
    report.project_code = report.project.code
    report.unit_code = codes[report.unit_id]
    for problem in report.problem_list:
        problem.unit_code = codes.get(problem.unit_id)
    return report


# --- counting against the targets ----------------------------------------------------------


class UnitCountOut(Schema):
    unit: str
    name: str
    count: int


class TargetProgressOut(Schema):
    target: str
    name: str
    period: str
    measure: str
    value: Decimal | None
    actual: int
    expected: Decimal | None
    gap: Decimal | None
    percent: Decimal | None
    light: str
    points_behind: float | None
    by_unit: list[UnitCountOut]


@router.get("/progress/projects", response=list[TargetProgressOut])
def projects_progress(request, campaign: str | None = None, date: datetime.date | None = None):
    """Certified counts of the projects battle's targets to date, against today's checkpoint.

    Overall and per lead unit, as the user may see them; ``date`` counts as of that day.
    """
    from django.utils import timezone

    from vanguard.projects.progress import target_progress
    from vanguard.supervision.lights import pace_light, policy_for

    the_campaign = current_campaign(campaign)
    today = date or timezone.localdate()
    policy = policy_for(the_campaign)
    rows = []
    for progress in target_progress(the_campaign, request.user, today):
        closed = today > progress.target.period_end
        light, points = pace_light(progress.actual, progress.expected, policy, closed=closed)
        rows.append(
            {
                "target": progress.target.code,
                "name": progress.target.name,
                "period": progress.target.period,
                "measure": progress.target.measure,
                "value": progress.target.value,
                "actual": progress.actual,
                "expected": progress.expected,
                "gap": progress.gap,
                "percent": progress.percent,
                "light": str(light),
                "points_behind": points,
                "by_unit": [
                    {"unit": code, "name": name, "count": count}
                    for code, name, count in progress.by_unit
                ],
            }
        )
    return rows
