from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "vanguard.audit"
    label = "audit"
    verbose_name = _("Change log")

    def ready(self):
        from vanguard.audit.actions import do_delete_object, do_save_object
        from vanguard.core.admin import register_logged_writes

        register_logged_writes(save=do_save_object, delete=do_delete_object)  # admin saves
