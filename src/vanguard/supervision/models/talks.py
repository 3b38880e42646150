"""Talks (约谈) with a lagging unit's responsible people, and accountability referrals
(问责移交) of a case to the discipline commission.

A talk is about one matter: a subject as the light engine names it (``kind`` and
``object_id``, see ``supervision.kinds``) and the unit answerable for it. It moves
proposed → approved (by a leader) → notified (the notice is numbered) → held (the
record) → closed, or → referral proposed → referred (a ``Referral``) or closed when the
office dismisses the proposal with a reason. A referral moves referred → decided.
Every change goes through ``supervision.talks.actions`` and the change log.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanguard.supervision.choices import (  # noqa: F401  (named here by callers too)
    Light,
    Measure,
    ReferralState,
    TalkOutcome,
    TalkState,
    TalkType,
)
from vanguard.supervision.kinds import kind_choices

PLEDGE_DAYS = 15


class Talk(models.Model):
    """A talk (约谈) with the responsible people of a unit about one lagging matter."""

    campaign = models.ForeignKey(
        "org.Campaign", on_delete=models.PROTECT, related_name="+", verbose_name=_("campaign")
    )
    kind = models.CharField(_("subject kind"), max_length=16, choices=kind_choices)
    object_id = models.BigIntegerField(_("subject id"))
    subject_label = models.CharField(_("matter"), max_length=200)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="talks", verbose_name=_("unit")
    )
    talk_type = models.CharField(_("talk type"), max_length=16, choices=TalkType)
    reason = models.TextField(_("reason for the talk"))
    # The ladder's proposal this talk came from; a plain number, since the ladder's
    # models are kept apart and may come later.
    proposal_id = models.BigIntegerField(_("ladder proposal"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=TalkState, default=TalkState.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # The notice (约谈通知书): its number in the year, written 〔2026〕3号.
    notice_year = models.PositiveSmallIntegerField(_("notice year"), null=True, blank=True)
    notice_seq = models.PositiveIntegerField(_("notice number"), null=True, blank=True)
    scheduled_on = models.DateField(_("talk date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    # The record (约谈记录).
    held_on = models.DateField(_("held on"), null=True, blank=True)
    # When the record was entered: a bulletin counts the talks recorded by its cut-off.
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    interviewers = models.ManyToManyField(
        "org.Person", blank=True, related_name="+", verbose_name=_("talked to them")
    )
    interviewees = models.ManyToManyField(
        "org.Person", blank=True, related_name="+", verbose_name=_("talked with")
    )
    facts = models.TextField(_("facts"), blank=True)
    statement = models.TextField(_("statement and defence"), blank=True)
    requirements = models.TextField(_("requirements"), blank=True)
    pledge = models.TextField(_("written pledge"), blank=True)
    pledge_due = models.DateField(_("pledge deadline"), null=True, blank=True)
    # The follow-up after the pledge deadline.
    outcome = models.CharField(_("outcome"), max_length=16, choices=TalkOutcome, blank=True)
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)
    light_at_follow_up = models.CharField(
        _("light at follow-up"), max_length=8, choices=Light, blank=True
    )
    dismissal_reason = models.TextField(_("reason for dismissing the referral"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "notice_year", "notice_seq"],
                condition=Q(notice_seq__isnull=False),
                name="one_talk_notice_number",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "state"]),
            models.Index(fields=["campaign", "unit", "proposed_at"]),
            models.Index(fields=["kind", "object_id"]),
        ]

    def __str__(self):
        return "{} · {}".format(self.unit_id and self.unit.name, self.subject_label)

    @property
    def notice_number(self):
        """The notice's number as written: 〔2026〕3号 (without the office's prefix)."""
        if self.notice_seq is None:
            return ""
        return "〔{}〕{}号".format(self.notice_year, self.notice_seq)

    @staticmethod
    def default_pledge_due(held_on):
        return held_on + datetime.timedelta(days=PLEDGE_DAYS)


class Referral(models.Model):
    """A case referred to the discipline commission (问责移交), and its decision."""

    campaign = models.ForeignKey(
        "org.Campaign", on_delete=models.PROTECT, related_name="+", verbose_name=_("campaign")
    )
    talk = models.OneToOneField(
        Talk,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referral",
        verbose_name=_("talk"),
    )
    kind = models.CharField(_("subject kind"), max_length=16, choices=kind_choices)
    object_id = models.BigIntegerField(_("subject id"))
    subject_label = models.CharField(_("matter"), max_length=200)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("unit")
    )
    reason = models.TextField(_("grounds for referral"))
    state = models.CharField(
        _("state"), max_length=16, choices=ReferralState, default=ReferralState.REFERRED
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred by"),
    )
    referred_at = models.DateTimeField(_("referred at"))
    measures = models.JSONField(_("measures"), default=list, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("accountability referral")
        verbose_name_plural = _("accountability referrals")
        ordering = ["-referred_at", "-pk"]
        indexes = [
            models.Index(fields=["campaign", "state"]),
            models.Index(fields=["campaign", "unit", "referred_at"]),
        ]

    def __str__(self):
        return "{} · {}".format(self.unit_id and self.unit.name, self.subject_label)

    def measure_labels(self):
        labels = dict(Measure.choices)
        return [str(labels.get(code, code)) for code in self.measures]
