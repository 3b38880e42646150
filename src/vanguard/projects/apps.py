from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "vanguard.projects"
    label = "projects"
    verbose_name = _("Major projects")

    def ready(self):
        from vanguard.org.access import register_unit_field

        # A project and what hangs on it belong to its lead unit; a report to the unit
        # that filed it. Key nodes are the campaign's, the same for every project.
        register_unit_field("projects.keynode", "")
        register_unit_field("projects.project", "lead_unit")
        register_unit_field("projects.milestone", "project__lead_unit")
        register_unit_field("projects.stagechange", "project__lead_unit")
        register_unit_field("projects.dekadreport", "unit")
        register_unit_field("projects.reportednode", "report__unit")

        from vanguard.calendar.services import on_holidays_changed
        from vanguard.projects.actions import do_recount_due_dates

        # Dekad reports store their due date; a year's holidays entered later settle it.
        on_holidays_changed(do_recount_due_dates)

        from vanguard.blockers.sources import register_source
        from vanguard.org.choices import Battle
        from vanguard.projects import problems

        register_source(
            problems.SOURCE,
            model="projects.project",
            occasion="projects.dekadreport",
            battle=Battle.PROJECTS,
            label=_("Major project"),
            unit_field="lead_unit",
            merges_repeats=True,
            describe=problems.describe,
            reference=problems.reference,
            details=problems.details,
        )

        from django.urls import reverse

        from vanguard.exchange.jobs import register_export, register_import
        from vanguard.projects import views, views_exchange

        register_import(
            views_exchange.PROJECTS_KIND,
            title=_("Import projects"),
            build=views_exchange.build_project_importer,
            done_url=lambda importer, params: reverse("projects:list"),
            retry_url=lambda params: reverse("projects:import"),
            check_title=_("Import projects: check before applying"),
            preview_template="projects/exchange/preview.html",
            apply_url=lambda params: reverse("projects:import_apply"),
        )
        register_export(
            "projects_export",
            title=_("Export projects"),
            build=views.build_project_export,
            retry_url=lambda params: reverse("projects:list"),
        )
