"""Enumerations of the organisation app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class Battle(models.TextChoices):
    INDICATORS = "indicators", _("Key economic indicators")
    PROJECTS = "projects", _("Major projects")
    CITYWORK = "citywork", _("Urban renewal and city management")


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly cadence")
    DEKAD = "dekad", _("Dekad cadence")
    MONTHLY = "monthly", _("Monthly cadence")


# The calendar period each cadence schedules by.
CADENCE_PERIOD_KIND = {
    Cadence.WEEKLY: "week",
    Cadence.DEKAD: "dekad",
    Cadence.MONTHLY: "month",
}


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("District department")
    STREET = "street", _("Town or street office")
    ENTERPRISE = "enterprise", _("State enterprise")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    OFFICE = "office", _("Headquarters office")
    TASK_FORCE_MEMBER = "task_force_member", _("Task force member")
    UNIT_REPORTER = "unit_reporter", _("Unit reporter")
    LEADER = "leader", _("Leader")
    DISCIPLINE_INSPECTOR = "discipline_inspector", _("Discipline inspector")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


ADMIN_ROLES = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}
