from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "vanguard.projects"
    label = "projects"
    verbose_name = _("Major projects")

    def ready(self):
        from django.urls import reverse

        from vanguard.exchange.jobs import register_export, register_import
        from vanguard.projects import views, views_exchange

        register_import(
            views_exchange.PROJECTS_KIND,
            title=_("Import projects"),
            build=views_exchange.build_project_importer,
            done_url=lambda importer, params: reverse("projects:list"),
            retry_url=lambda params: reverse("projects:import"),
        )
        register_export(
            "projects_export",
            title=_("Export projects"),
            build=views.build_project_export,
            retry_url=lambda params: reverse("projects:list"),
        )
