from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "vanguard.indicators"
    label = "indicators"
    verbose_name = _("Key economic indicators")

    def ready(self):
        from vanguard.exchange.jobs import register_import
        from vanguard.indicators import views_exchange

        register_import(views_exchange.STATISTICS_TABLE)
