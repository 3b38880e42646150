from django.contrib import admin

from vanguard.core.readonly_admin import PlanDataAdmin, ReadOnlyAdmin
from vanguard.indicators.models import (
    Area,
    EnterpriseMonth,
    Indicator,
    KeyEnterprise,
    Observation,
    Sector,
    Visit,
)


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


@admin.register(Sector)
class SectorAdmin(ReadOnlyAdmin):
    """Sectors and their plans: kept on the sectors page by the task force and the office."""

    list_display = ["name", "campaign", "responsible_unit", "guidance_growth_pct", "indicator"]
    list_filter = ["campaign"]
    list_select_related = ["campaign", "responsible_unit", "indicator"]


@admin.register(KeyEnterprise)
class KeyEnterpriseAdmin(ReadOnlyAdmin):
    """Key enterprises: registered and changed through the pages and the API."""

    list_display = ["name", "credit_code", "sector", "serving_unit", "expectation_yuan"]
    list_filter = ["campaign", "sector"]
    search_fields = ["name", "credit_code"]
    list_select_related = ["sector", "serving_unit"]
    show_full_result_count = False


@admin.register(EnterpriseMonth)
class EnterpriseMonthAdmin(ReadOnlyAdmin):
    """Key enterprises' monthly figures; revisions are in the change log."""

    list_display = ["enterprise", "month", "value_yuan", "last_year_yuan", "version"]
    list_filter = ["month"]
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    list_select_related = ["enterprise"]
    show_full_result_count = False


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    """Visits to key enterprises."""

    list_display = ["enterprise", "visited_on", "visitors"]
    search_fields = ["enterprise__name", "visitors"]
    list_select_related = ["enterprise"]
