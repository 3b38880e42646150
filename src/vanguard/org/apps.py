from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "vanguard.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self):
        from vanguard.core.admin import register_area_rule
        from vanguard.org.access import admin_may

        register_area_rule(admin_may)  # who may do what in each administrator's area
