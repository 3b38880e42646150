"""The list workbook written from the items a person sees: the layout the import reads."""

from vanguard.calendar.periods import parse_label
from vanguard.exchange.xlsx import DATE, Sheet
from vanguard.lists.models import Checkpoint
from vanguard.lists.sheets.columns import (
    BATTLE_LABELS,
    CADENCE_LABELS,
    CHECKPOINT_COLUMNS,
    CHECKPOINTS_SHEET,
    ITEM_COLUMNS,
    ITEMS_SHEET,
    MEASURE_LABELS,
)

NUMBER = "0.##"


def list_workbook(items, *, caption):
    """The two sheets of ``items`` (a queryset already narrowed by ``org.access``)."""
    items = items.select_related("unit", "responsible_person").order_by("unit__code", "code")

    def item_rows():
        for item in items.iterator(chunk_size=2000):
            yield [
                item.code,
                item.unit.name,
                BATTLE_LABELS.get(item.battle, item.battle),
                item.requirement,
                item.responsible_person.name,
                item.deadline,
                CADENCE_LABELS.get(item.cadence, item.cadence),
                MEASURE_LABELS.get(item.measure, item.measure),
                item.target_quantity,
                item.measuring_unit,
                item.verified_quantity,
            ]

    def checkpoint_rows():
        points = (
            Checkpoint.objects.filter(item__in=items.values("pk"))
            .select_related("item")
            .order_by("item__unit__code", "item__code", "period_start")
        )
        for point in points.iterator(chunk_size=2000):
            yield [
                point.item.code,
                parse_label(point.period).display_label,
                point.due_date,
                point.planned_quantity,
                point.milestone,
                point.reached_on,
            ]

    return [
        Sheet(
            title=ITEMS_SHEET,
            headers=[c.header for c in ITEM_COLUMNS],
            rows=item_rows(),
            caption=caption,
            formats={5: DATE},
            wrap_columns=frozenset({3}),
            widths={3: 48},
        ),
        Sheet(
            title=CHECKPOINTS_SHEET,
            headers=[c.header for c in CHECKPOINT_COLUMNS],
            rows=checkpoint_rows(),
            caption=caption,
            formats={2: DATE, 5: DATE},
            widths={4: 36},
        ),
    ]
