"""Enumerations of the supervision app: lights; orders, their steps, the ladder's proposals and
exemptions; talks, their outcomes, referrals and the commission's measures."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Light(models.TextChoices):
    """A status light (亮灯). Grey means there is nothing to judge against yet."""

    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")
    GREY = "grey", _("No data")


# Worse lights rank higher; a roll-up shows the worst that its rule lets through.
LIGHT_RANK = {Light.GREY: 0, Light.GREEN: 1, Light.YELLOW: 2, Light.RED: 3}


# --- supervision orders and the ladder -------------------------------------------------


class OrderColour(models.TextChoices):
    """How urgent an order is: blue approaching the deadline, yellow behind pace, red overdue."""

    BLUE = "blue", pgettext_lazy("order colour", "Blue")
    YELLOW = "yellow", pgettext_lazy("order colour", "Yellow")
    RED = "red", pgettext_lazy("order colour", "Red")


# The colour an unanswered order rises to after its grace period.
NEXT_COLOUR = {OrderColour.BLUE: OrderColour.YELLOW, OrderColour.YELLOW: OrderColour.RED}


class OrderState(models.TextChoices):
    """Where an order stands: issued, signed for, answered, returned to answer again, closed."""

    ISSUED = "issued", pgettext_lazy("order state", "Issued")
    SIGNED = "signed", pgettext_lazy("order state", "Signed for")
    ANSWERED = "answered", pgettext_lazy("order state", "Answered")
    RETURNED = "returned", pgettext_lazy("order state", "Returned")
    CLOSED = "closed", pgettext_lazy("order state", "Closed")


# An order waiting for the unit's answer: the ladder may raise its colour.
UNANSWERED = (OrderState.ISSUED, OrderState.SIGNED, OrderState.RETURNED)


class StepKind(models.TextChoices):
    """One step in an order's life, as its history shows it."""

    ISSUED = "issued", _("Issued")
    SIGNED = "signed", _("Signed for")
    ANSWERED = "answered", _("Answered")
    RETURNED = "returned", _("Returned")
    CLOSED = "closed", _("Verified and closed")
    ESCALATED = "escalated", _("Colour raised")


class ProposalKind(models.TextChoices):
    """What the ladder proposes: an order, a talk (约谈) or an accountability referral (问责)."""

    ORDER = "order", _("Supervision order")
    TALK = "talk", _("Talk")
    REFERRAL = "referral", _("Accountability referral")


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")


class ExemptionGround(models.TextChoices):
    """Why a matter is exempt from the ladder for a while."""

    FORCE_MAJEURE = "force_majeure", _("Force majeure")
    POLICY = "policy", _("Change of policy")
    OTHER = "other", _("Other documented ground")


# --- talks and accountability referrals ---------------------------------------------------


class TalkType(models.TextChoices):
    WORK = "work", _("Work talk")
    REMINDER = "reminder", _("Reminder talk")
    WARNING = "warning", _("Warning talk")


class TalkState(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("talk", "Proposed")
    APPROVED = "approved", _("Approved")
    NOTIFIED = "notified", _("Notified")
    HELD = "held", _("Held")
    REFERRAL_PROPOSED = "referral_proposed", _("Referral proposed")
    REFERRED = "referred", _("Referred")
    CLOSED = "closed", _("Closed")


class TalkOutcome(models.TextChoices):
    IMPROVED = "improved", _("Improved after the talk")
    STILL_RED = "still_red", _("Still red after the pledge deadline")
    DISMISSED = "dismissed", _("Referral dismissed")


class Measure(models.TextChoices):
    CIRCULATE = "circulate", _("Circulated criticism")
    ADMONISH = "admonish", _("Admonishment")
    ORGANISATIONAL = "organisational", _("Organisational handling")
    DISCIPLINARY = "disciplinary", _("Disciplinary sanction")
    NONE = "none", _("No action")


class ReferralState(models.TextChoices):
    REFERRED = "referred", _("Referred to the commission")
    DECIDED = "decided", _("Decided and closed")
