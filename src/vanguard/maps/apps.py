from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MapsConfig(AppConfig):
    name = "vanguard.maps"
    label = "maps"
    verbose_name = _("One map")

    def ready(self):
        from vanguard.maps.boundaries import register_layers

        # The district's boundary and its towns and streets, shipped as files: the map
        # draws them with no tile server at all.
        register_layers()
