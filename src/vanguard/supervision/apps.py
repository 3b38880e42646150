from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "vanguard.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self):
        from vanguard.org.access import register_unit_field

        # A light belongs to the unit of its subject (a project's lead unit, the unit
        # itself), stored on the row, so a reporter sees the lights of their units only.
        register_unit_field("supervision.lightstate", "unit")
        register_unit_field("supervision.lightevent", "unit")
        register_unit_field("supervision.lightpolicy", "")
        register_unit_field("supervision.lightrecompute", "")
        # Orders, proposals and exemptions belong to the unit they concern; the ladder's
        # rules are the campaign's.
        register_unit_field("supervision.supervisionorder", "unit")
        register_unit_field("supervision.orderstep", "order__unit")
        register_unit_field("supervision.orderevidence", "order__unit")
        register_unit_field("supervision.proposal", "unit")
        register_unit_field("supervision.exemption", "unit")
        register_unit_field("supervision.ladderrules", "")

        from vanguard.org.views import register_unit_part
        from vanguard.supervision.views import owed_part

        # A unit's page lists what it owes, from what the domains register (owed.py).
        register_unit_part(owed_part)
