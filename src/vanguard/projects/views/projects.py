"""Pages of the projects battle: the list and its export, the node matrix, a project's map
and its supporting units.
"""

import hashlib
from html import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from vanguard.audit.log import history_of
from vanguard.blockers import queries as problem_queries
from vanguard.core.asof import as_of_line
from vanguard.core.links import path_of
from vanguard.exchange.xlsx import Sheet, xlsx_response
from vanguard.org import access
from vanguard.org.access import restrict
from vanguard.org.choices import Battle
from vanguard.org.queries import current_campaign
from vanguard.projects import queries
from vanguard.projects.actions import dekad_of, do_update_project
from vanguard.projects.choices import ProjectKind, SizeClass, Stage
from vanguard.projects.forms import SupportingUnitsForm, add_action_errors
from vanguard.projects.lights import SubjectKind
from vanguard.projects.models import DekadReport, Project
from vanguard.projects.progress import projects_as_of
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import history, last_recompute, lights_for
from vanguard.supervision.reasons import reason_text
from vanguard.supervision.templatetags.light_badges import light_badge

PAGE_SIZE = 50


def get_project_for_view(request, code):
    """The project named by ``code`` if the user may see it, else 404."""
    return get_object_or_404(
        restrict(
            Project.objects.select_related("lead_unit", "campaign", "responsible_person"),
            request.user,
        ),
        code=code,
    )


def get_project_for_change(request, code):
    """The project named by ``code`` if the user may see it and keeps the projects battle."""
    project = get_project_for_view(request, code)
    access.require(access.may_manage_projects(request.user))
    return project


def _filters(request):
    return {key: request.GET.get(key, "").strip() for key in queries.FILTERS}


def _filter_context(request, campaign, filters, version):
    return {
        "filters": filters,
        "unit_options": unit_options(request.user, campaign, version, filters["unit"]),
        "stages": Stage.choices,
        "size_classes": SizeClass.choices,
        "kinds": ProjectKind.choices,
        "lights": Light.choices,
        "sectors": queries.sector_choices(request.user, campaign, version),
        "querystring": request.GET.urlencode(),
        "pager_qs": _without_page(request),
    }


def unit_options(user, campaign, version, selected):
    """The lead-unit drop-down's options, rendered once per version of the projects.

    A city has about a thousand lead units; rendering their options on every request
    cost more than the rest of the list page.
    """

    def render_options():
        units = queries.lead_unit_choices(user, campaign)
        return render_to_string(
            "projects/_unit_options.html", {"units": units, "selected": selected}
        )

    chosen = hashlib.sha256(selected.encode()).hexdigest()[:16]
    return queries.cached("unit-options." + chosen, version, render_options)


def _project_page(request, projects, filters, version):
    """The requested page of ``projects``, counted only when the count is not known."""
    paginator = Paginator(projects, PAGE_SIZE)
    if version is not None and not any(filters.values()):
        # Unfiltered, a user who sees every unit sees every project of the campaign.
        paginator.count = version.count
    return paginator.get_page(request.GET.get("page"))


def _without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def project_list(request):
    """Projects the user may see, filterable by unit, stage, size class, sector and kind."""
    campaign = current_campaign(request.GET.get("campaign"))
    filters = _filters(request)
    version = queries.projects_version(request.user, campaign)
    projects = queries.project_queryset(request.user, campaign, filters)
    page = _project_page(request, projects, filters, version)
    context = {
        "campaign": campaign,
        "page": page,
        "rows": _list_rows(page),
        "stage_counts": [
            (label, counts.get(value, 0))
            for counts in [queries.stage_counts(request.user, campaign, version)]
            for value, label in Stage.choices
        ],
        **_filter_context(request, campaign, filters, version),
        "no_access": access.data_scope(request.user) == access.SCOPE_NONE,
        "data_at": projects_as_of(campaign, request.user),
        "with_lights": True,
        "lights_at": getattr(last_recompute(campaign, Battle.PROJECTS), "at", None),
    }
    return render(request, "projects/project_list.html", context)


def _list_rows(projects):
    """The HTML of the list's rows, one a project.

    Made here rather than in the template: a page has 50 rows, and their tags and
    filters took more than half of the page's time.
    """
    labels = {"lead": _("Lead unit"), "investment": _("Investment"), "stage": _("Stage")}
    labels = {key: escape(label) for key, label in labels.items()}
    link = path_of("projects:detail")
    return [
        mark_safe(
            "<tr>"
            '<td class="text-center vg-card-inline">{light}</td>'
            '<td class="text-nowrap text-muted vg-card-inline">{code}</td>'
            '<td class="vg-card-title"><a href="{url}">{name}</a></td>'
            '<td data-label="{lead_label}">{lead}</td>'
            '<td class="text-end text-nowrap" data-label="{investment_label}">{investment}</td>'
            '<td class="text-nowrap" data-label="{stage_label}"><span class="badge '
            'vg-stage-{stage}">{stage_name}</span></td>'
            '<td class="d-none d-lg-table-cell">{sector}</td>'
            "</tr>".format(
                light=light_badge(getattr(project, "light", "")),
                code=escape(project.code),
                url=escape(link(project.code)),
                name=escape(project.name),
                lead_label=labels["lead"],
                lead=escape(project.lead_unit.name),
                investment_label=labels["investment"],
                investment=escape(project.investment_display),
                stage_label=labels["stage"],
                stage=escape(project.stage),
                stage_name=escape(str(project.get_stage_display())),
                sector=escape(project.sector),
            )
        )
        for project in projects
    ]


# Lists longer than this are exported by a background job (exchange.jobs): a city's
# 100,000 projects take longer to write than a request may last.
EXPORT_IN_REQUEST = 5000


@login_required
def project_export(request):
    """The filtered project list as the office's Excel sheet (importable again).

    A long list is written by a background job, whose page offers the download.
    """
    from vanguard.exchange.jobs import start_export

    campaign = current_campaign(request.GET.get("campaign"))
    filters = _filters(request)
    projects = queries.project_queryset(request.user, campaign, filters)
    if projects.count() > EXPORT_IN_REQUEST:
        job = start_export(
            "projects_export",
            user=request.user,
            params={"campaign": campaign.code, "filters": filters},
        )
        return redirect("exchange:job", pk=job.pk)
    return xlsx_response(*_project_export(request.user, campaign, projects)[:2])


def build_project_export(owner, params):
    """The project sheet of a long export job, as its owner may see it (exchange.jobs)."""

    campaign = current_campaign(params.get("campaign"))
    projects = queries.project_queryset(owner, campaign, params.get("filters") or {})
    return _project_export(owner, campaign, projects)


def _project_export(user, campaign, projects):
    """The file name, sheets and row count of a project list export, with its 数据截至."""
    from vanguard.projects.sheets.project_export import project_rows

    headers, rows = project_rows(projects)
    sheet = Sheet(
        title=_("Projects"),
        headers=headers,
        rows=rows,
        caption=[as_of_line(projects_as_of(campaign, user))],
    )
    return _("Major projects") + ".xlsx", [sheet], projects.count()


@login_required
def node_matrix(request):
    """Projects as rows, key nodes as columns, each cell coloured by the node's state."""
    campaign = current_campaign(request.GET.get("campaign"))
    today = timezone.localdate()
    filters = _filters(request)
    version = queries.projects_version(request.user, campaign)
    projects = queries.project_queryset(request.user, campaign, filters)
    page = _project_page(request, projects, filters, version)
    nodes = queries.key_nodes(campaign)
    dates = queries.node_dates(project.pk for project in page)
    statuses = queries.milestone_statuses(
        [m for by_node in dates.values() for m in by_node.values()], today
    )
    words = {"not_needed": _("Not needed"), "planned": _("Planned"), "actual": _("Actual")}
    link = path_of("projects:detail")
    rows = []
    for project in page:
        by_node = dates.get(project.pk, {})
        cells = [
            '<tr><td class="text-nowrap vg-card-title"><a href="{url}">{code}</a> '
            '<span class="small">{name}</span></td>'.format(
                url=escape(link(project.code)),
                code=escape(project.code),
                name=escape(Truncator(project.name).chars(18)),
            )
        ]
        for node in nodes:
            milestone = by_node.get(node.pk)
            status = statuses[milestone.pk] if milestone else "none"
            cells.append(_matrix_cell(node, milestone, status, campaign.year, words))
        cells.append("</tr>")
        rows.append((project, mark_safe("".join(cells))))
    context = {
        "campaign": campaign,
        "page": page,
        "nodes": nodes,
        "rows": rows,
        "today": today,
        **_filter_context(request, campaign, filters, version),
    }
    return render(request, "projects/node_matrix.html", context)


def _matrix_cell(node, milestone, status, year, words):
    """The HTML of one matrix cell: ``milestone`` (a ``queries.NodeDates``) of ``node``;
    ``words``: the translated labels it uses.

    Made here rather than in the template: a page has 350 cells, and their tags,
    filters and translations were most of the page's time.
    """
    if milestone is None:
        return '<td class="text-center small vg-node-{}">—</td>'.format(status)
    day = milestone.actual_date or milestone.planned_date
    if status == "not_needed":
        text = words["not_needed"]
    elif day is None:
        text = "—"
    elif day.year == year:
        text = day.strftime("%m-%d")
    else:
        text = day.isoformat()
    tooltip = "{node}: {planned} {planned_on} · {actual} {actual_on}".format(
        node=node.name,
        planned=words["planned"],
        planned_on=milestone.planned_date.isoformat() if milestone.planned_date else "—",
        actual=words["actual"],
        actual_on=milestone.actual_date.isoformat() if milestone.actual_date else "—",
    )
    return (
        '<td class="text-center small vg-node-{status}" title="{node}" data-label="{node}">'
        '<span title="{tooltip}">{text}</span></td>'
    ).format(status=status, node=escape(node.name), tooltip=escape(tooltip), text=escape(text))


@login_required
def node_matrix_export(request):
    """The node matrix as an Excel sheet."""
    from vanguard.projects.sheets.project_export import node_matrix_rows

    campaign = current_campaign(request.GET.get("campaign"))
    projects = queries.with_milestones(
        queries.project_queryset(request.user, campaign, _filters(request))
    )
    headers, rows = node_matrix_rows(projects, queries.key_nodes(campaign))
    sheet = Sheet(
        title=_("Key nodes"),
        headers=headers,
        rows=rows,
        caption=[as_of_line(projects_as_of(campaign, request.user))],
    )
    return xlsx_response(_("Key node matrix") + ".xlsx", [sheet])


def _map_chart(milestones, statuses):
    """ECharts data for the project map: each node's planned and actual dates."""
    today = timezone.localdate()
    return {
        "nodes": [
            _("{node} (not needed)").format(node=m.node.name)
            if statuses[m.pk] == "not_needed"
            else m.node.name
            for m in milestones
        ],
        "planned": [m.planned_date.isoformat() if m.planned_date else None for m in milestones],
        "actual": [m.actual_date.isoformat() if m.actual_date else None for m in milestones],
        "status": [statuses[m.pk] for m in milestones],
        "today": today.isoformat(),
        "labels": {
            "planned": _("Planned"),
            "actual": _("Actual"),
            "today": _("Today"),
        },
    }


@login_required
def project_detail(request, code):
    """One project: its map of key nodes, reports, stage history, blockers and change log."""
    project = get_project_for_view(request, code)
    today = timezone.localdate()
    milestones = list(project.milestones.select_related("node").order_by("node__order"))
    statuses = queries.milestone_statuses(milestones, today)
    light = lights_for(SubjectKind.PROJECT, [project.pk]).get(project.pk)
    # What the table shows of the latest 36 reports, and no more.
    reports = project.reports.only(*REPORT_ROW_FIELDS).order_by("-period_start", "-submitted_at")
    context = {
        "project": project,
        "milestones": [(m, statuses[m.pk]) for m in milestones],
        "chart": _map_chart(milestones, statuses),
        "light": light,
        "light_reason": reason_text(SubjectKind.PROJECT, light.reason, light.params)
        if light
        else "",
        "light_history": history(SubjectKind.PROJECT, project.pk).reverse()[:12],
        "report_rows": _report_rows(reports[:36]),
        "stage_changes": project.stage_changes.order_by("-at")[:20],
        "blockers": _project_problems(request.user, project, today),
        "supporting_units": project.supporting_units.all(),
        "history": history_of(project, limit=30),
        "may_report": access.may_report(request.user, project),
        "may_manage": access.may_manage_projects(request.user),
        "current_dekad": dekad_of(today),
    }
    return render(request, "projects/project_detail.html", context)


REPORT_ROW_FIELDS = (
    "project_id",
    "period",
    "period_start",
    "late",
    "status",
    "progress",
    "investment_yuan",
)


def _report_rows(reports):
    """The HTML of the project's table of reports, one row a report (up to 36): made
    here for the same reason as the list's rows (``_list_rows``)."""
    late = ' <span class="badge text-bg-warning">{}</span>'.format(escape(_("late")))
    link = path_of("projects:report_detail")
    return [
        mark_safe(
            '<tr><td class="text-nowrap"><a href="{url}" title="{period}">{dekad}</a>{late}</td>'
            '<td class="text-nowrap"><span class="badge vg-report-{status}">{status_name}</span>'
            '</td><td class="small">{progress}</td>'
            '<td class="text-end text-nowrap">{investment}</td></tr>'.format(
                url=escape(link(r.pk)),
                period=escape(r.period),
                dekad=escape(r.period_display),
                late=late if r.late else "",
                status=escape(r.status),
                status_name=escape(str(r.get_status_display())),
                progress=escape(Truncator(r.progress).chars(60)),
                investment=escape(r.investment_display),
            )
        )
        for r in reports
    ]


def _project_problems(user, project, today):
    """The project's problems, open ones first (oldest first), each with its days open, report
    and latest follow-up, and whether ``user`` may handle it."""
    problems = problem_queries.with_days_open(
        problem_queries.with_latest_step(
            problem_queries.blockers_for(user, project.campaign).about(project)
        )
        .select_related("unit")
        .order_by("state", "raised_on", "pk"),
        today,
    )
    reports = DekadReport.objects.in_bulk({b.occasion_id for b in problems if b.occasion_id})
    for blocker in problems:
        blocker.source_object = project
        blocker.occasion = reports.get(blocker.occasion_id)
        blocker.may_resolve = blocker.state == "open" and access.may_handle_blocker(user, blocker)
    return problems


@login_required
def supporting_units_form(request, code):
    """The office or the projects task force changes a project's supporting units."""
    project = get_project_for_change(request, code)
    form = SupportingUnitsForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_update_project(
                project,
                actor=request.user,
                expected_version=data["version"],
                reason=data["reason"].strip(),
                supporting_units=list(data["supporting_units"]),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Supporting units of {code} saved.").format(code=code))
            return redirect("projects:detail", code=project.code)
    context = {"project": project, "form": form}
    return render(request, "projects/project_supporting_units.html", context)
