"""What every weekly report (周报) of the third battle has: a week, a state, who and when."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vanguard.citywork.choices import ReportState


class WeeklyReport(models.Model):
    """A unit's report for one week: submitted, then verified or returned by the task force.

    One report per subject and week: a returned report is corrected and submitted again
    (its version moves on); a verified one is final. ``due_date`` is the week's due date
    on the one calendar when it was filed, so a report filed after it shows as late.
    """

    # The calendar's label of the ISO week (2026-W10) and its Monday.
    period = models.CharField(_("week"), max_length=16)
    period_start = models.DateField(_("week start"))
    due_date = models.DateField(_("due date"))
    note = models.TextField(_("note"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=ReportState, default=ReportState.SUBMITTED
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported at"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True

    @property
    def late(self):
        """Filed after its due date (in Beijing time)."""
        from django.utils import timezone

        return timezone.localtime(self.reported_at).date() > self.due_date
