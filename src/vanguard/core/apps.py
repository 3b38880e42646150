from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "vanguard.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.backends.signals import connection_created
        from huey.contrib.djhuey import HUEY

        from vanguard.core import logs, metrics, slowqueries

        connection_created.connect(slowqueries.install, dispatch_uid="vanguard-slow-queries")
        metrics.connect(HUEY)
        logs.connect_jobs(HUEY)
