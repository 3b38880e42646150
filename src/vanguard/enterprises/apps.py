from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "vanguard.enterprises"
    label = "enterprises"
    verbose_name = _("Sectors and key enterprises")

    def ready(self):
        from vanguard.blockers.sources import register_source
        from vanguard.enterprises import pack, problems, queries
        from vanguard.indicators.outlook import register_stock_source
        from vanguard.indicators.pack import register_part
        from vanguard.indicators.views.indicators import register_page_part
        from vanguard.org.access import register_unit_field

        # Sectors are campaign-wide; key enterprises, their figures and visits belong to
        # the unit that serves the enterprise.
        register_unit_field("enterprises.sector", "")
        register_unit_field("enterprises.keyenterprise", "serving_unit")
        register_unit_field("enterprises.enterprisemonth", "enterprise__serving_unit")
        register_unit_field("enterprises.visit", "enterprise__serving_unit")

        # The indicators' forecast, monthly pack and pages read the key enterprises through
        # these: the indicators app imports nothing of this one.
        register_stock_source("enterprises", queries.enterprise_support)
        register_part(pack.PART)
        register_page_part(
            "enterprises", "enterprises/_indicator_part.html", queries.sectors_feeding
        )

        # Visits raise problems about their key enterprise into the one pool.
        register_source(problems.SOURCE)
