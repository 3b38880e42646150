"""Holiday arrangements entered in the database, on top of the chinese_calendar package."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidayYear(models.Model):
    """A year whose arrangement is entered here, used for years the package does not cover yet."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("holiday year")
        verbose_name_plural = _("holiday years")

    def __str__(self):
        return str(self.year)


class DayOverride(models.Model):
    """One day declared a working day or a day off, winning over the package."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(
        _("name"), max_length=50, blank=True, help_text=_("The holiday, e.g. Spring Festival.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("day override")
        verbose_name_plural = _("day overrides")

    def __str__(self):
        state = _("working day") if self.is_working_day else _("day off")
        if self.name:
            return f"{self.date.isoformat()} {self.name} ({state})"
        return f"{self.date.isoformat()} ({state})"
