from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "vanguard.targets"
    label = "targets"
    verbose_name = _("Targets")

    def ready(self):
        from vanguard.org.access import register_unit_field

        # Targets and their checkpoints are the campaign's, seen by every participant.
        register_unit_field("targets.target", "")
        register_unit_field("targets.checkpoint", "")
