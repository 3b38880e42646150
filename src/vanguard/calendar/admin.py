from django.contrib import admin

from vanguard.calendar.models import DayOverride, HolidayYear
from vanguard.core.admin import AreaAdmin


@admin.register(HolidayYear)
class HolidayYearAdmin(AreaAdmin):
    """Years whose holiday arrangement is entered by hand."""

    list_display = ["year", "note"]


@admin.register(DayOverride)
class DayOverrideAdmin(AreaAdmin):
    """Single days that are working days or days off against the package."""

    list_display = ["date", "name", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    search_fields = ["name", "note"]
