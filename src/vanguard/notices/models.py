"""Notices, their deliveries, the group robots they go to and when reminders are sent."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanguard.notices.choices import ROBOT_KINDS, Channel, DeliveryState, NoticeKind
from vanguard.org.choices import Cadence


class Notice(models.Model):
    """One thing one person is told: in their inbox at once, by e-mail alone or in a digest.

    ``key`` names what the notice is about (a reminder of one due date at one stage, a
    returned report): a person is told each thing once, however often it is asked.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("recipient"),
    )
    campaign = models.ForeignKey(
        "org.Campaign", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("campaign")
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NoticeKind)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    due = models.DateField(_("due date"), null=True, blank=True)
    key = models.CharField(_("key"), max_length=300)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # True once an e-mail carries it (sent at once, or in the day's digest).
    mailed = models.BooleanField(_("e-mailed"), default=False)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notice_once_per_key")
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notice_unread"),
            models.Index(fields=["recipient", "mailed"], name="notice_to_mail"),
        ]

    def __str__(self):
        return self.subject


class Webhook(models.Model):
    """A group robot (企业微信, 钉钉) or a JSON webhook of one unit or one task force."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=ROBOT_KINDS)
    url = models.CharField(_("webhook address"), max_length=500)
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_("DingTalk only: the secret (starting SEC) when the robot signs its messages."),
    )
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhooks",
        verbose_name=_("unit"),
    )
    task_force = models.ForeignKey(
        "org.TaskForce",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhooks",
        verbose_name=_("task force"),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    # The address holds the robot's key or token: never in the change log.
    audit_secret_fields = ("url", "secret")

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(unit__isnull=False, task_force__isnull=True)
                    | Q(unit__isnull=True, task_force__isnull=False)
                ),
                name="webhook_of_a_unit_or_a_task_force",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def owner(self):
        return self.unit or self.task_force

    def clean(self):
        from django.core.exceptions import ValidationError

        from vanguard.notices.addresses import check_webhook_url

        if (self.unit_id is None) == (self.task_force_id is None):
            raise ValidationError(_("Choose either a unit or a task force, not both."))
        check_webhook_url(self.url, resolve=False)


class Delivery(models.Model):
    """One message sent (or to be sent) on one channel: an e-mail to a person or a post to a
    robot. It carries one notice or a digest of several; a failed one is tried again later.
    """

    channel = models.CharField(_("channel"), max_length=16, choices=Channel)
    key = models.CharField(_("key"), max_length=300, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("recipient"),
    )
    address = models.CharField(_("e-mail address"), max_length=254, blank=True)
    webhook = models.ForeignKey(
        Webhook,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("group robot"),
    )
    notices = models.ManyToManyField(Notice, related_name="deliveries", blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=DeliveryState, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]

    def __str__(self):
        return "{} · {}".format(self.get_channel_display(), self.subject)

    @property
    def to(self):
        """Whom it goes to, for the office's page: the address or the robot's name."""
        return self.address if self.channel == Channel.EMAIL else str(self.webhook or "")


class ReminderPolicy(models.Model):
    """When a campaign reminds of a cadence's due dates: so many working days before, on
    the day, and again every so many working days while it is overdue."""

    campaign = models.ForeignKey(
        "org.Campaign",
        on_delete=models.CASCADE,
        related_name="reminder_policies",
        verbose_name=_("campaign"),
    )
    cadence = models.CharField(_("cadence"), max_length=16, choices=Cadence)
    days_before = models.PositiveSmallIntegerField(_("working days before"), default=2)
    overdue_every = models.PositiveSmallIntegerField(
        _("repeat when overdue every (working days)"), default=2
    )

    class Meta:
        verbose_name = _("reminder policy")
        verbose_name_plural = _("reminder policies")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "cadence"], name="one_reminder_policy_per_cadence"
            ),
            models.CheckConstraint(
                condition=Q(overdue_every__gte=1), name="reminder_overdue_every_positive"
            ),
        ]

    def __str__(self):
        return "{} · {}".format(self.campaign, self.get_cadence_display())
