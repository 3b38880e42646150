from django.contrib import admin

from vanguard.core.readonly_admin import ReadOnlyAdmin
from vanguard.enterprises.models import EnterpriseMonth, KeyEnterprise, Sector, Visit


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
