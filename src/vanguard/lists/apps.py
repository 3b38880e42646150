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

        from vanguard.lists.access import register_battle_scopes

        # A task force sees its own battle's items, their rows and lights; not another's.
        register_battle_scopes()

        from vanguard.lists.lights import register_lights

        # Each item gets a light from the one engine, by 序时进度 against its checkpoints.
        register_lights()

        from django.urls import reverse

        from vanguard.lists.lights import KIND as LIGHT_KIND
        from vanguard.supervision.orders.subjects import register_subject

        # An order about a list item links to the item's page (named by its code). Items
        # of every battle share the kind, so the office verifies the answers.
        register_subject(
            LIGHT_KIND, link=lambda object_id, code: reverse("lists:detail", args=[code])
        )

        from vanguard.lists.owed import KIND, owed_items, owed_items_of_units
        from vanguard.supervision.owed import register_owed

        # A unit's page lists the items it owes, due with their next checkpoint.
        register_owed(KIND, owed_items, for_units=owed_items_of_units)

        from vanguard.lists import queue

        # The work queue: progress due and returned (reporters), to verify (task forces).
        queue.register()

        from vanguard.exchange.jobs import register_import
        from vanguard.lists.views.exchange import LIST_WORKBOOK

        register_import(LIST_WORKBOOK)
