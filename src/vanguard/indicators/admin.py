from django.contrib import admin

from vanguard.core.readonly_admin import PlanDataAdmin, ReadOnlyAdmin
from vanguard.indicators.models import Area, Indicator, Observation


@admin.register(Area)
class AreaAdmin(PlanDataAdmin):
    """The campaign's own area and its comparators (loaded from the plan file)."""

    list_display = ["campaign", "level", "name"]
    list_filter = ["campaign"]


@admin.register(Indicator)
class IndicatorAdmin(PlanDataAdmin):
    """The indicator catalogue (loaded from the plan file)."""

    list_display = [
        "code",
        "name",
        "unit_of_measure",
        "kind",
        "frequency",
        "sector",
        "responsible_unit",
        "main",
    ]
    list_filter = ["campaign", "kind", "frequency", "main"]
    search_fields = ["code", "name"]
    list_select_related = ["responsible_unit"]


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdmin):
    """Observations and their revisions: entered through the pages, the API and Excel."""

    list_display = [
        "indicator",
        "area",
        "month",
        "level",
        "growth_pct",
        "version",
        "is_current",
        "source",
        "recorded_at",
    ]
    list_filter = ["indicator__campaign", "area__level", "is_current", "source", "month"]
    search_fields = ["indicator__code", "indicator__name"]
    list_select_related = ["indicator", "area"]
    show_full_result_count = False
