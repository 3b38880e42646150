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

        from vanguard.blockers.sources import Source, register_source
        from vanguard.org.choices import Battle

        register_source(
            Source(
                key="enterprise",
                battle=Battle.INDICATORS,
                label=_("Key enterprise"),
                unit_path="enterprise__serving_unit",
                related=("visit",),
                describe=_describe_blocker,
            )
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


def _describe_blocker(blocker):
    """The key enterprise, and the visit that found the problem."""
    from django.urls import reverse

    enterprise = blocker.enterprise
    parts = [(enterprise.name, reverse("indicators:enterprise", args=[enterprise.credit_code]))]
    if blocker.visit_id is not None:
        parts.append((_("visit of {date}").format(date=blocker.visit.visited_on.isoformat()), ""))
    return parts
