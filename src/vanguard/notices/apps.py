from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "vanguard.notices"
    verbose_name = _("Notices")

    def ready(self):
        from vanguard.org import access

        # Each person reads their own notices; deliveries and robots are the office's.
        access.register_unit_field("notices.webhook", "unit")
