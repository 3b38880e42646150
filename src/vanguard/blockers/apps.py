from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlockersConfig(AppConfig):
    name = "vanguard.blockers"
    label = "blockers"
    verbose_name = _("Blockers")

    def ready(self):
        from vanguard.org.access import register_unit_field

        register_unit_field("blockers.blocker", "unit")
