from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.calendar.models import DayOverride, HolidayYear
from vanguard.calendar.services import holidays_changed, missing_next_year
from vanguard.core.admin import AreaAdmin


class HolidayAdmin(AreaAdmin):
    """A table of the holiday arrangement: a change recounts the due dates it moves."""

    def year_of(self, obj):
        raise NotImplementedError

    def changelist_view(self, request, extra_context=None):
        year = missing_next_year(timezone.localdate())
        if year is not None:
            messages.warning(request, missing_year_notice(year))
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        years = {self.year_of(obj)}
        if obj.pk is not None:
            old = type(obj)._default_manager.filter(pk=obj.pk).first()
            if old is not None:
                years.add(self.year_of(old))
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            holidays_changed(years, actor=request.user)

    def delete_model(self, request, obj):
        with transaction.atomic():
            super().delete_model(request, obj)
            holidays_changed({self.year_of(obj)}, actor=request.user)

    def delete_queryset(self, request, queryset):
        years = {self.year_of(obj) for obj in queryset}
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            holidays_changed(years, actor=request.user)


def missing_year_notice(year):
    """The reminder shown while next year's holidays are not entered."""
    return _(
        "The holiday arrangement for {year} has not been entered: reports falling due in "
        "{year} have provisional due dates (weekends and fixed-date holidays only). Enter "
        "its holidays and make-up working days under Day overrides, then add {year} under "
        "Holiday years; the due dates then become final."
    ).format(year=year)


@admin.register(HolidayYear)
class HolidayYearAdmin(HolidayAdmin):
    """Years whose holiday arrangement is entered by hand."""

    list_display = ["year", "note"]

    def year_of(self, obj):
        return obj.year


@admin.register(DayOverride)
class DayOverrideAdmin(HolidayAdmin):
    """Single days that are working days or days off against the package."""

    list_display = ["date", "name", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    search_fields = ["name", "note"]

    def year_of(self, obj):
        return obj.date.year
