"""Supervision orders (督办单, 一事一单), the escalation ladder's rules, its proposals and
the exemptions that suspend it.

A subject is named the way the light engine names it: a kind and an object id (a
project, a key node, a unit, an indicator), or ``blocker`` and a problem's id. No
foreign key: any kind a domain registers can be supervised.
"""

import os

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanguard.supervision.choices import (  # noqa: F401  (named here by callers too)
    NEXT_COLOUR,
    UNANSWERED,
    ExemptionGround,
    OrderColour,
    OrderState,
    ProposalKind,
    ProposalState,
    StepKind,
)

SUBJECT_KIND_LENGTH = 16


class LadderRules(models.Model):
    """One version of a campaign's ladder rules; a change adds a version, old ones are kept."""

    campaign = models.ForeignKey(
        "org.Campaign", on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign")
    )
    version = models.PositiveIntegerField(_("version"))
    rules = models.JSONField(_("rules"))
    # The text as loaded (YAML or JSON), so the office sees what it wrote.
    source = models.TextField(_("rule file"), blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        verbose_name = _("ladder rules")
        verbose_name_plural = _("ladder rules")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "version"], name="one_ladder_version")
        ]

    def __str__(self):
        return "{} v{}".format(self.campaign_id, self.version)


class Exemption(models.Model):
    """A documented exemption (force majeure, ...): the ladder leaves the matter alone meanwhile."""

    campaign = models.ForeignKey(
        "org.Campaign", on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign")
    )
    subject_kind = models.CharField(_("subject kind"), max_length=SUBJECT_KIND_LENGTH)
    object_id = models.BigIntegerField(_("subject id"))
    subject_label = models.CharField(_("subject"), max_length=200)
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    ground = models.CharField(_("ground"), max_length=16, choices=ExemptionGround)
    explanation = models.TextField(_("explanation"))
    # Under MEDIA_ROOT at no public URL: downloaded through a view that checks access.
    evidence = models.FileField(_("evidence"), upload_to="exemptions/%Y/%m/", max_length=255)
    evidence_sha256 = models.CharField(_("SHA-256"), max_length=64)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), default=timezone.now)

    class Meta:
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        ordering = ["-valid_until", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")), name="exemption_dates_ordered"
            )
        ]
        indexes = [models.Index(fields=["campaign", "subject_kind", "object_id"])]

    def __str__(self):
        return "{} {}–{}".format(self.subject_label, self.valid_from, self.valid_until)

    @property
    def evidence_name(self):
        return os.path.basename(self.evidence.name)


class Proposal(models.Model):
    """What the ladder (or the office) proposes for a matter; a person confirms or dismisses it."""

    campaign = models.ForeignKey(
        "org.Campaign", on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign")
    )
    kind = models.CharField(_("proposal"), max_length=16, choices=ProposalKind)
    subject_kind = models.CharField(_("subject kind"), max_length=SUBJECT_KIND_LENGTH)
    object_id = models.BigIntegerField(_("subject id"))
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    # For an order: the colour the ladder proposes.
    colour = models.CharField(_("colour"), max_length=8, choices=OrderColour, blank=True)
    # The rule that fired and the facts behind it (the lights, the orders).
    rule = models.CharField(_("rule"), max_length=32)
    facts = models.JSONField(_("facts"), default=dict)
    # The ladder version the proposal came from (0: the defaults, no version loaded).
    rules_version = models.PositiveIntegerField(_("rule version"), default=0)
    state = models.CharField(
        _("state"), max_length=16, choices=ProposalState, default=ProposalState.PROPOSED
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            # One open proposal of a kind per matter: the ladder runs again and again.
            models.UniqueConstraint(
                fields=["campaign", "kind", "subject_kind", "object_id"],
                condition=Q(state="proposed"),
                name="one_open_proposal_per_matter",
            ),
            models.CheckConstraint(
                condition=Q(state="proposed")
                | (Q(decided_at__isnull=False) & ~Q(decision_reason="")),
                name="decided_proposal_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "state", "kind"])]

    def __str__(self):
        return "{} {} {}".format(self.kind, self.subject_kind, self.object_id)


class OrderCounter(models.Model):
    """The last number given to an order of a campaign in a year (督办〔2026〕12号)."""

    campaign = models.ForeignKey(
        "org.Campaign", on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("order counter")
        verbose_name_plural = _("order counters")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "year"], name="one_order_counter_a_year")
        ]

    def __str__(self):
        return "{} {} {}".format(self.campaign_id, self.year, self.last)


class SupervisionOrder(models.Model):
    """A supervision order (督办单) to a unit about one matter, answered and closed (销号)."""

    campaign = models.ForeignKey(
        "org.Campaign", on_delete=models.PROTECT, related_name="+", verbose_name=_("campaign")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    number = models.CharField(_("number"), max_length=40)
    subject_kind = models.CharField(_("subject kind"), max_length=SUBJECT_KIND_LENGTH)
    object_id = models.BigIntegerField(_("subject id"))
    subject_label = models.CharField(_("subject"), max_length=200)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    responsible = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    # The battle whose task force may verify the answers; blank: the office alone.
    battle = models.CharField(_("battle"), max_length=16, blank=True)
    problem = models.TextField(_("problem"))
    requirement = models.TextField(_("requirement"))
    colour = models.CharField(_("colour"), max_length=8, choices=OrderColour)
    state = models.CharField(
        _("state"), max_length=16, choices=OrderState, default=OrderState.ISSUED
    )
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    answer_working_days = models.PositiveSmallIntegerField(_("answer within (working days)"))
    due_date = models.DateField(_("answer due"))
    due_provisional = models.BooleanField(_("due date provisional"), default=False)
    # The grace period of the escalation counts from here: the due date, then each rise.
    clock_from = models.DateField(_("escalation clock from"))
    signed_at = models.DateTimeField(_("signed for"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    returned_count = models.PositiveSmallIntegerField(_("times returned"), default=0)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    proposal = models.OneToOneField(
        Proposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="order",
        verbose_name=_("proposal"),
    )
    rules_version = models.PositiveIntegerField(_("rule version"), default=0)

    class Meta:
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "year", "serial"], name="one_order_number"),
        ]
        indexes = [
            models.Index(fields=["campaign", "state", "due_date"]),
            models.Index(fields=["campaign", "unit", "issued_at"]),
            models.Index(fields=["campaign", "subject_kind", "object_id"]),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self):
        return self.state != OrderState.CLOSED


class OrderStep(models.Model):
    """One step of an order (issued, signed, answered, returned, closed, colour raised)."""

    order = models.ForeignKey(
        SupervisionOrder, on_delete=models.CASCADE, related_name="steps", verbose_name=_("order")
    )
    kind = models.CharField(_("step"), max_length=16, choices=StepKind)
    note = models.TextField(_("note"), blank=True)
    from_colour = models.CharField(_("from colour"), max_length=8, choices=OrderColour, blank=True)
    to_colour = models.CharField(_("to colour"), max_length=8, choices=OrderColour, blank=True)
    rules_version = models.PositiveIntegerField(_("rule version"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("order step")
        verbose_name_plural = _("order steps")
        ordering = ["at", "pk"]

    def __str__(self):
        return "{} {}".format(self.order_id, self.kind)


class OrderEvidence(models.Model):
    """A file a unit sent with its answer; every file of every answer is kept."""

    order = models.ForeignKey(
        SupervisionOrder,
        on_delete=models.CASCADE,
        related_name="evidence_files",
        verbose_name=_("order"),
    )
    step = models.ForeignKey(
        OrderStep, on_delete=models.CASCADE, related_name="files", verbose_name=_("answer")
    )
    # Under MEDIA_ROOT at no public URL, like a key node's evidence.
    file = models.FileField(_("file"), upload_to="orders/%Y/%m/", max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("order evidence")
        verbose_name_plural = _("order evidence")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return os.path.basename(self.file.name)

    @property
    def name(self):
        return os.path.basename(self.file.name)
