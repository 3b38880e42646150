"""Enumerations of the notices app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    DUE_TODAY = "due_today", _("Due today")
    OVERDUE = "overdue", _("Overdue")
    REPORT_RETURNED = "report_returned", _("Report returned")
    ORDER_ISSUED = "order_issued", _("Supervision order issued")
    PROPOSAL_WAITING = "proposal_waiting", _("Proposal awaiting a decision")
    CASE_DISPATCHED = "case_dispatched", _("City case dispatched")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")
    WEBHOOK = "webhook", _("JSON webhook")


# The kinds of group robot a webhook may be: every channel but e-mail.
ROBOT_KINDS = [(c.value, c.label) for c in Channel if c != Channel.EMAIL]


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed (given up)")
