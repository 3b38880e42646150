from django.contrib import admin

from vanguard.core.admin import AreaAdmin
from vanguard.org import access
from vanguard.org.models import (
    Campaign,
    Headquarters,
    Office,
    Person,
    ReportDeadline,
    RoleAssignment,
    TaskForce,
    Unit,
)


@admin.register(Campaign)
class CampaignAdmin(AreaAdmin):
    """Campaigns (loaded from the plan file; edited here only to correct)."""

    list_display = ["code", "name", "year", "start_date", "end_date", "status"]
    list_filter = ["status", "year"]


@admin.register(Headquarters)
class HeadquartersAdmin(AreaAdmin):
    """Headquarters of each campaign."""

    list_display = ["name", "campaign", "commander"]


@admin.register(Office)
class OfficeAdmin(AreaAdmin):
    """The headquarters' office."""

    list_display = ["name", "headquarters"]


@admin.register(TaskForce)
class TaskForceAdmin(AreaAdmin):
    """Task forces and their cadence."""

    list_display = ["name", "campaign", "battle", "cadence"]
    list_filter = ["battle", "cadence"]


@admin.register(ReportDeadline)
class ReportDeadlineAdmin(AreaAdmin):
    """When each cadence's report falls due."""

    list_display = ["campaign", "cadence", "working_days_after"]


@admin.register(Unit)
class UnitAdmin(AreaAdmin):
    """Responsible units."""

    list_display = ["code", "name", "short_name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "short_name", "aliases"]


@admin.register(Person)
class PersonAdmin(AreaAdmin):
    """People and their accounts."""

    list_display = ["name", "unit", "post", "phone", "user"]
    list_filter = ["unit__kind"]
    search_fields = ["name", "phone", "user__username"]
    list_select_related = ["unit", "user"]
    autocomplete_fields = ["unit"]
    raw_id_fields = ["user"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AreaAdmin):
    """Who holds which role: kept by the security administrator alone."""

    admin_area = access.ADMIN_AREA_SECURITY
    list_display = ["person", "role", "task_force", "unit"]
    list_filter = ["role"]
    search_fields = ["person__name", "unit__name"]
    list_select_related = ["person", "task_force", "unit"]
    autocomplete_fields = ["unit"]
    raw_id_fields = ["person"]
