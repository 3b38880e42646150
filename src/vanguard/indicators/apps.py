from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "vanguard.indicators"
    label = "indicators"
    verbose_name = _("Key economic indicators")

    def ready(self):
        from vanguard.indicators.lights import register_lights

        # Early warning (跟踪预警): indicators get status lights from the one engine.
        register_lights()

        from vanguard.exchange.jobs import register_import
        from vanguard.indicators import views_exchange

        register_import(views_exchange.STATISTICS_TABLE)
