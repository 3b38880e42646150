from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "vanguard.projects"
    label = "projects"
    verbose_name = _("Major projects")

    def ready(self):
        from vanguard.calendar.services import on_holidays_changed
        from vanguard.projects.actions import do_recount_due_dates

        # Dekad reports store their due date; a year's holidays entered later settle it.
        on_holidays_changed(do_recount_due_dates)
