from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CityworkConfig(AppConfig):
    name = "vanguard.citywork"
    label = "citywork"
    verbose_name = _("Urban renewal and city management")

    def ready(self):
        from vanguard.org.access import register_unit_field

        # A grid is looked after by its town or street office.
        register_unit_field("citywork.grid", "unit")

        from vanguard.citywork.map_layers import register_layers

        # Grids are a layer of the one map.
        register_layers()
