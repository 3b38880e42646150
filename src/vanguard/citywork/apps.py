from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CityworkConfig(AppConfig):
    name = "vanguard.citywork"
    label = "citywork"
    verbose_name = _("Urban renewal and city management")

    def ready(self):
        from vanguard.citywork import checks  # noqa: F401 (the originals' folder is not served)
        from vanguard.citywork.standings import citywork_standings, standings_version
        from vanguard.targets.standings import register_measures

        # The cockpit, the board and the API read where the weekly work's targets stand;
        # they are kept until a verification (or anything else they count) changes.
        register_measures("citywork.", citywork_standings, version=standings_version)

        from vanguard.org.access import register_unit_field

        # A grid is looked after by its town or street office.
        register_unit_field("citywork.grid", "unit")

        from vanguard.citywork.map_layers import register_layers

        # Grids are a layer of the one map.
        register_layers()

        self._register_weekly_work(register_unit_field)
        self._register_cases(register_unit_field)
        self._register_patrols_and_volunteers(register_unit_field)

    def _register_patrols_and_volunteers(self, register_unit_field):
        """Patrols lie in a grid of a town or street; volunteer activities are their
        organising unit's, and so are their signups and the problems they found."""
        for label, unit in (
            ("patrol", "grid__unit"),
            ("patrolfinding", "case__unit"),
            ("volunteeractivity", "unit"),
            ("volunteersignup", "activity__unit"),
            ("volunteerfinding", "activity__unit"),
        ):
            register_unit_field("citywork." + label, unit)

        from vanguard.citywork.map_volunteers import register_activity_layer

        # Volunteer activities are a layer of the one map.
        register_activity_layer()

    def _register_cases(self, register_unit_field):
        """City cases: one pool, worked by the responsible unit, lit by their time limits."""
        from vanguard.citywork.lights import register_case_lights

        # A case is its responsible unit's once dispatched; categories and routes are the
        # office's data.
        for label, unit in (
            ("case", "unit"),
            ("caseevent", "case__unit"),
            ("casecategory", ""),
            ("caseroute", ""),
        ):
            register_unit_field("citywork." + label, unit)
        register_case_lights()
        self._register_case_figures()

    def _register_case_figures(self):
        """The monthly bulletin counts each unit's cases and names the laggards."""
        from vanguard.citywork.queries import case_bulletin
        from vanguard.org.choices import Battle
        from vanguard.supervision.bulletins.facts import register_facts
        from vanguard.supervision.bulletins.sections import register_section

        register_facts(
            "city_cases",
            case_bulletin.case_facts,
            facts=case_bulletin.FACTS,
            link=case_bulletin.cases_link,
            battle=Battle.CITYWORK,
        )
        register_section(
            "cases", _("City cases"), draft=case_bulletin.draft, table=case_bulletin.table
        )

        from vanguard.citywork import queue

        # The work queue: cases at a unit's door, reports to register, cases to dispatch,
        # returns and postponements to decide, replies to check.
        queue.register()

        from django.urls import reverse

        from vanguard.citywork.views.cases import build_case_export
        from vanguard.exchange.jobs import register_export

        # A long list of cases is written to Excel by a background job.
        register_export(
            "cases_export",
            title=_("Export city cases"),
            build=build_case_export,
            retry_url=lambda params: reverse("citywork:case_list"),
        )

    def _register_weekly_work(self, register_unit_field):
        """Renewal projects, city campaigns, zones and roads: the weekly cadence (周落实)."""
        from django.urls import reverse

        from vanguard.citywork import lights
        from vanguard.citywork.queries import owed
        from vanguard.org.choices import Battle
        from vanguard.supervision.orders.subjects import register_subject
        from vanguard.supervision.owed import register_owed

        # Each belongs to its lead unit; kinds and checklists are the campaign's.
        for label, unit in (
            ("renewalproject", "lead_unit"),
            ("renewalreport", "project__lead_unit"),
            ("citycampaign", "lead_unit"),
            ("campaignweek", "city_campaign__lead_unit"),
            ("campaignreport", "city_campaign__lead_unit"),
            ("place", "lead_unit"),
            ("inspection", "place__lead_unit"),
            ("renewalkind", ""),
            ("criterion", ""),
        ):
            register_unit_field("citywork." + label, unit)

        # Lights by 序时进度 from the one engine; orders about them link to their pages and
        # are verified by the city-work task force.
        lights.register_lights()
        for kind, page in (
            (lights.RENEWAL, "citywork:renewal_detail"),
            (lights.CAMPAIGN, "citywork:campaign_detail"),
            (lights.PLACE, "citywork:place_detail"),
        ):
            register_subject(
                kind,
                battle=Battle.CITYWORK,
                link=lambda object_id, code, page=page: reverse(page, args=[code]),
            )

        # A unit's page lists what it owes of them.
        register_owed(lights.RENEWAL, owed.owed_renewal)
        register_owed(lights.CAMPAIGN, owed.owed_campaigns)
        register_owed(lights.PLACE, owed.owed_places)

        from vanguard.citywork.views.exchange import HOTLINE_WORKBOOK, RENEWAL_WORKBOOK
        from vanguard.exchange.jobs import register_import

        register_import(RENEWAL_WORKBOOK)
        register_import(HOTLINE_WORKBOOK)
