"""The monthly bulletin (月通报): scoring rules as versioned data, bulletins and their lines.

A rule is never changed: loading a rule file adds the campaign's next version, and a
bulletin names the version it was scored with and the moment its data were read
(``cutoff``), so it can be recomputed as it was issued. An issued bulletin is locked; a
correction is a new bulletin that supersedes it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ScoringRule(models.Model):
    """One version of a campaign's scoring rule: the file as loaded and its checked form."""

    campaign = models.ForeignKey(
        "org.Campaign", on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign")
    )
    version = models.PositiveIntegerField(_("version"))
    source_name = models.CharField(_("file"), max_length=200, blank=True)
    text = models.TextField(_("rule file"))
    spec = models.JSONField(_("checked rule"))
    loaded_at = models.DateTimeField(_("loaded at"))
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("loaded by"),
    )

    class Meta:
        verbose_name = _("scoring rule")
        verbose_name_plural = _("scoring rules")
        ordering = ["campaign", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "version"], name="scoring_rule_version_once"
            )
        ]

    def __str__(self):
        return "{} v{}".format(self.campaign_id, self.version)


class BulletinState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", pgettext_lazy("bulletin", "Issued")
    SUPERSEDED = "superseded", _("Superseded")


class Bulletin(models.Model):
    """A campaign's bulletin for one month: drafted, reviewed, issued with a number, locked."""

    campaign = models.ForeignKey(
        "org.Campaign", on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign")
    )
    # The first day of the month the bulletin reports on.
    month = models.DateField(_("month"))
    state = models.CharField(
        _("state"), max_length=16, choices=BulletinState, default=BulletinState.DRAFT
    )
    # 西海岸攻坚办〔2026〕11号; blank until issued.
    number = models.CharField(_("document number"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=200)
    # {section code: text}: the office's narrative (overview, each battle, problems, ...).
    narrative = models.JSONField(_("narrative"), default=dict)
    issuer = models.CharField(_("issuing office"), max_length=100)
    copy_to = models.CharField(_("copied to"), max_length=300, blank=True)
    rule = models.ForeignKey(
        ScoringRule, on_delete=models.PROTECT, related_name="+", verbose_name=_("scoring rule")
    )
    # The data were read as recorded at this moment; the window is the month itself.
    cutoff = models.DateTimeField(_("data as of"))
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("corrects"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    drafted_at = models.DateTimeField(_("drafted at"))
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("bulletin", "issued by"),
    )

    class Meta:
        verbose_name = _("monthly bulletin")
        verbose_name_plural = _("monthly bulletins")
        ordering = ["campaign", "-month", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="bulletin_number_once"
            ),
            # One draft and one issued bulletin per month at most; the others are superseded.
            models.UniqueConstraint(
                fields=["campaign", "month", "state"],
                condition=Q(state__in=["draft", "issued"]),
                name="one_live_bulletin_per_state",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | ~Q(number=""), name="issued_bulletin_has_number"
            ),
        ]

    def __str__(self):
        return self.number or "{} {}".format(self.title, self.month.strftime("%Y-%m"))

    @property
    def locked(self):
        return self.state != BulletinState.DRAFT

    @property
    def month_label(self):
        return "{}年{}月".format(self.month.year, self.month.month)


class BulletinLine(models.Model):
    """One unit's line of a bulletin: group, score and its parts, rank, red or black list."""

    bulletin = models.ForeignKey(
        Bulletin, on_delete=models.CASCADE, related_name="lines", verbose_name=_("bulletin")
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    group = models.CharField(_("ranking group"), max_length=32)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2)
    # [{kind: item|deduction|bonus, code, facts, points, ...}]: how the score is made.
    components = models.JSONField(_("score components"), default=list)
    facts = models.JSONField(_("facts"), default=dict)
    ranked = models.BooleanField(_("ranked"), default=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    # "red" (红榜), "black" (黑榜) or "".
    listed = models.CharField(_("list"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("bulletin line")
        verbose_name_plural = _("bulletin lines")
        ordering = ["bulletin", "group", "rank", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "unit"], name="bulletin_line_once")
        ]

    def __str__(self):
        return "{} {} {}".format(self.bulletin_id, self.unit_id, self.score)
