"""Major projects as a source of the one pool of problems (blockers.sources).

A project's problems are raised by its dekad reports (``do_submit_report``): each is about
the project, raised in the report that first named it, owned by the lead unit, and a
title the project already has open is that problem again, not a new one.
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanguard.blockers.sources import Source
from vanguard.calendar.periods import parse_label
from vanguard.org.choices import Battle


def describe(project, report):
    """The project, and the dekad of the report that raised the problem."""
    parts = [
        (
            "{} {}".format(project.code, project.name),
            reverse("projects:detail", args=[project.code]),
        )
    ]
    if report is not None:
        parts.append(
            (
                _("{dekad} report").format(dekad=parse_label(report.period).display_label),
                reverse("projects:report_detail", args=[report.pk]),
            )
        )
    return parts


def reference(project, report):
    """The API's fields: the project's code, and the report raising it with its dekad."""
    return {
        "project": project.code,
        "dekad": report.period if report is not None else None,
        "report": report.pk if report is not None else None,
    }


def details(blocker):
    """How many reports name the problem, and the first and latest of them."""
    reports = blocker.reports.order_by("period_start", "submitted_at", "pk")
    count = reports.count()
    if not count:
        return ""
    named = {"count": count, "first": reports.first(), "latest": reports.last()}
    return render_to_string("projects/_problem_reports.html", {"reports": named})


# Registered by ProjectsConfig.ready(); its key is Blocker.source_kind and the API's ``source``.
SOURCE = Source(
    key="project",
    model="projects.project",
    occasion="projects.dekadreport",
    battle=Battle.PROJECTS,
    label=gettext_lazy("Major project"),
    unit_field="lead_unit",
    merges_repeats=True,
    describe=describe,
    reference=reference,
    details=details,
)
