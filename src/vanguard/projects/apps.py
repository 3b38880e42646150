from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from vanguard.org.choices import Battle


class ProjectsConfig(AppConfig):
    name = "vanguard.projects"
    label = "projects"
    verbose_name = _("Major projects")

    def ready(self):
        from vanguard.projects.standings import project_standings, standings_version
        from vanguard.targets.standings import register_measures

        # The cockpit, the board and the API read where the count targets stand, kept
        # until a project or the light policy changes.
        register_measures("projects.", project_standings, version=standings_version)

        from vanguard.projects.progress import make_kept_figures
        from vanguard.supervision.tasks import register_after_recompute

        # The list's and the progress page's counts, made by the job after each write.
        register_after_recompute(make_kept_figures)

        from vanguard.org.access import register_unit_field

        # A project and what hangs on it belong to its lead unit; a report to the unit
        # that filed it. Key nodes are the campaign's, the same for every project.
        register_unit_field("projects.keynode", "")
        register_unit_field("projects.project", "lead_unit")
        register_unit_field("projects.milestone", "project__lead_unit")
        register_unit_field("projects.stagechange", "project__lead_unit")
        register_unit_field("projects.dekadreport", "unit")
        register_unit_field("projects.reportednode", "report__unit")

        from vanguard.projects.lights import register_lights

        # Key nodes, projects and their lead units get status lights from the one engine.
        register_lights()

        from vanguard.projects.lights import subject_links
        from vanguard.supervision.orders.subjects import register_subject

        # Orders about projects, key nodes and units: the projects task force verifies
        # their answers, and each names its page.
        for kind, link in subject_links().items():
            register_subject(kind, battle=Battle.PROJECTS, link=link)

        from vanguard.projects.owed import KIND, owed_projects, owed_projects_of_units
        from vanguard.supervision.owed import register_owed

        # A unit's list names the projects it leads, due with their dekad reports.
        register_owed(KIND, owed_projects, for_units=owed_projects_of_units)

        from vanguard.projects import queue

        # The work queue: reports due and returned (reporters), to certify (task force).
        queue.register()

        from vanguard.projects import bulletin_facts
        from vanguard.supervision.bulletins.facts import register_facts

        # The monthly bulletin scores lead units on their dekad reports.
        register_facts(
            "dekad_reports",
            bulletin_facts.report_facts,
            facts=bulletin_facts.FACTS,
            link=bulletin_facts.reports_link,
            battle=Battle.PROJECTS,
        )

        from vanguard.calendar.services import on_holidays_changed
        from vanguard.projects.actions import do_recount_due_dates

        # Dekad reports store their due date; a year's holidays entered later settle it.
        on_holidays_changed(do_recount_due_dates)

        from vanguard.blockers.sources import register_source
        from vanguard.projects import problems

        # Dekad reports raise problems about their project into the one pool.
        register_source(problems.SOURCE)

        from vanguard.projects.casefile import reports_part
        from vanguard.supervision.talks.casefile import register_part

        # A referred case's file holds the reports and certifications behind its matter.
        register_part("reports", reports_part)

        from vanguard.projects.map_layers import register_layer

        # Projects with coordinates are a layer of the one map, coloured by their light.
        register_layer()

        from django.urls import reverse

        from vanguard.exchange.jobs import register_export, register_import
        from vanguard.projects.views import exchange, projects

        register_import(exchange.PROJECT_SHEET)
        register_export(
            "projects_export",
            title=_("Export projects"),
            build=projects.build_project_export,
            retry_url=lambda params: reverse("projects:list"),
        )
