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

        from vanguard.exchange.jobs import register_import
        from vanguard.indicators import views_exchange

        register_import(views_exchange.STATISTICS_TABLE)


def _describe_blocker(blocker):
    """The key enterprise, and the visit that found the problem."""
    from django.urls import reverse

    enterprise = blocker.enterprise
    parts = [(enterprise.name, reverse("indicators:enterprise", args=[enterprise.credit_code]))]
    if blocker.visit_id is not None:
        parts.append((_("visit of {date}").format(date=blocker.visit.visited_on.isoformat()), ""))
    return parts
