from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "vanguard.indicators"
    label = "indicators"
    verbose_name = _("Key economic indicators")

    def ready(self):
        from vanguard.org.access import register_unit_field

        # Indicators and their figures are campaign-wide facts every participant sees; who
        # may enter a figure is org.access.may_enter_figures (responsible unit, task force).
        register_unit_field("indicators.area", "")
        register_unit_field("indicators.indicator", "")
        register_unit_field("indicators.observation", "")

        from vanguard.blockers.sources import register_source
        from vanguard.indicators import problems_enterprises as problems
        from vanguard.org.choices import Battle

        register_source(
            problems.SOURCE,
            model="indicators.keyenterprise",
            occasion="indicators.visit",
            battle=Battle.INDICATORS,
            label=_("Key enterprise"),
            unit_field="serving_unit",
            describe=problems.describe,
            reference=problems.reference,
        )

        from django.urls import reverse

        from vanguard.exchange.jobs import register_import
        from vanguard.indicators import views_exchange

        register_import(
            views_exchange.KIND,
            title=_("Import the statistics table"),
            build=views_exchange.build_statistics_importer,
            done_url=views_exchange.statistics_done_url,
            retry_url=lambda params: reverse("indicators:import"),
            check_title=_("Import the statistics table: check before applying"),
            preview_template="indicators/import_preview.html",
            apply_url=lambda params: reverse("indicators:import_apply"),
            preview_extra=views_exchange.statistics_preview_extra,
        )
