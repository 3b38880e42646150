from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListsConfig(AppConfig):
    name = "vanguard.lists"
    label = "lists"
    verbose_name = _("Unit lists")

    def ready(self):
        from vanguard.org.access import register_unit_field

        # An item, its checkpoints and its reports belong to the unit that owes the item.
        register_unit_field("lists.listitem", "unit")
        register_unit_field("lists.checkpoint", "item__unit")
        register_unit_field("lists.progressreport", "item__unit")

        from vanguard.lists.lights import register_lights

        # Each item gets a light from the one engine, by 序时进度 against its checkpoints.
        register_lights()

        from vanguard.lists.owed import KIND, owed_items
        from vanguard.supervision.owed import register_owed

        # A unit's page lists the items it owes, due with their next checkpoint.
        register_owed(KIND, owed_items)

        from vanguard.exchange.jobs import register_import
        from vanguard.lists.views.exchange import LIST_WORKBOOK

        register_import(LIST_WORKBOOK)
