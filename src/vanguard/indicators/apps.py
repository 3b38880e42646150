from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "vanguard.indicators"
    label = "indicators"
    verbose_name = _("Key economic indicators")

    def ready(self):
        from vanguard.indicators.standings import indicator_standings, standings_version
        from vanguard.targets.standings import register_measures

        # The cockpit, the board and the API read where the growth targets stand; figures
        # come monthly, so the standings are kept until one changes.
        register_measures("indicators.", indicator_standings, version=standings_version)

        from vanguard.org.access import register_unit_field

        # Indicators and their figures are campaign-wide facts every participant sees; who
        # may enter a figure is org.access.may_enter_figures (responsible unit, task force).
        register_unit_field("indicators.area", "")
        register_unit_field("indicators.indicator", "")
        register_unit_field("indicators.observation", "")

        from vanguard.indicators.lights import register_lights

        # Early warning (跟踪预警): indicators get status lights from the one engine.
        register_lights()

        from django.urls import reverse

        from vanguard.indicators.lights import SubjectKind
        from vanguard.org.choices import Battle
        from vanguard.supervision.orders.subjects import register_subject

        # Orders about an indicator: the indicators task force verifies their answers.
        register_subject(
            SubjectKind.INDICATOR,
            battle=Battle.INDICATORS,
            link=lambda object_id, code: reverse("indicators:detail", args=[code]),
        )

        from vanguard.indicators.owed import KIND, owed_indicators, owed_indicators_of_units
        from vanguard.supervision.owed import register_owed

        # A unit's list names the indicators it answers for, due with the month's figures.
        register_owed(KIND, owed_indicators, for_units=owed_indicators_of_units)

        from vanguard.indicators import queue

        # The work queue: the month's figures the responsible units' reporters owe.
        queue.register()

        from vanguard.indicators import bulletin_facts
        from vanguard.supervision.bulletins.facts import register_facts

        # The monthly bulletin scores responsible units on their statistics, due monthly.
        register_facts(
            "statistics",
            bulletin_facts.figure_facts,
            facts=bulletin_facts.FACTS,
            link=bulletin_facts.figures_link,
            battle=Battle.INDICATORS,
        )

        from vanguard.exchange.jobs import register_import
        from vanguard.indicators.views import exchange

        register_import(exchange.STATISTICS_TABLE)
