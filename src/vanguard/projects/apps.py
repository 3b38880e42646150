from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "vanguard.projects"
    label = "projects"
    verbose_name = _("Major projects")

    def ready(self):
        from vanguard.projects.lights import register_lights

        # Key nodes, projects and their lead units get status lights from the one engine.
        register_lights()

        from vanguard.calendar.services import on_holidays_changed
        from vanguard.projects.actions import do_recount_due_dates

        # Dekad reports store their due date; a year's holidays entered later settle it.
        on_holidays_changed(do_recount_due_dates)

        from vanguard.blockers.sources import Source, register_source
        from vanguard.org.choices import Battle

        register_source(
            Source(
                key="project",
                battle=Battle.PROJECTS,
                label=_("Major project"),
                unit_path="project__lead_unit",
                related=("report",),
                describe=_describe_blocker,
            )
        )

        from django.urls import reverse

        from vanguard.exchange.jobs import register_export, register_import
        from vanguard.projects import views, views_exchange

        register_import(views_exchange.PROJECT_SHEET)
        register_export(
            "projects_export",
            title=_("Export projects"),
            build=views.build_project_export,
            retry_url=lambda params: reverse("projects:list"),
        )


def _describe_blocker(blocker):
    """The project, and the dekad of the report that raised the problem."""
    from django.urls import reverse

    from vanguard.calendar.periods import parse_label

    project = blocker.project
    parts = [
        (
            "{} {}".format(project.code, project.name),
            reverse("projects:detail", args=[project.code]),
        )
    ]
    if blocker.report_id is not None:
        parts.append(
            (
                _("{dekad} report").format(dekad=parse_label(blocker.report.period).display_label),
                reverse("projects:report_detail", args=[blocker.report_id]),
            )
        )
    return parts
