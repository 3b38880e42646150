from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlockersConfig(AppConfig):
    name = "vanguard.blockers"
    label = "blockers"
    verbose_name = _("Blockers")

    def ready(self):
        from vanguard.blockers.sources import unit_scope
        from vanguard.org.access import register_unit_field

        # A reporter sees the problems their unit owns and those about what it answers for
        # (a project it leads, an enterprise it serves), wherever they were dispatched.
        register_unit_field("blockers.blocker", unit_scope)
