from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from vanguard.core.admin import AreaAdmin
from vanguard.core.readonly_admin import PlanDataAdmin
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
class CampaignAdmin(PlanDataAdmin):
    """Campaigns (loaded from the plan file; edited here only to correct)."""

    list_display = ["code", "name", "year", "start_date", "end_date", "status"]
    list_filter = ["status", "year"]


@admin.register(Headquarters)
class HeadquartersAdmin(PlanDataAdmin):
    """Headquarters of each campaign."""

    list_display = ["name", "campaign", "commander"]


@admin.register(Office)
class OfficeAdmin(PlanDataAdmin):
    """The headquarters' office."""

    list_display = ["name", "headquarters"]


@admin.register(TaskForce)
class TaskForceAdmin(PlanDataAdmin):
    """Task forces and their cadence."""

    list_display = ["name", "campaign", "battle", "cadence"]
    list_filter = ["battle", "cadence"]


@admin.register(ReportDeadline)
class ReportDeadlineAdmin(PlanDataAdmin):
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

    def get_readonly_fields(self, request, obj=None):
        # The account is linked once, when the person is created; never re-pointed.
        return ["user"] if obj is not None else []


class RoleAssignmentForm(forms.ModelForm):
    """Refuses, in words, what the access rules refuse: a role to oneself, combined roles."""

    class Meta:
        model = RoleAssignment
        fields = ["person", "role", "task_force", "unit"]

    def clean(self):
        cleaned = super().clean()
        person, role = cleaned.get("person"), cleaned.get("role")
        if person is not None and role:
            try:
                access.check_role_assignment(self.actor, person, role)
            except PermissionDenied:
                raise ValidationError(_("Only a security administrator assigns roles.")) from None
        return cleaned


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
    form = RoleAssignmentForm

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        access.check_role_assignment(request.user, obj.person, obj.role)
        super().save_model(request, obj, form, change)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.person.user_id == request.user.pk:
            return False  # nobody changes their own role
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.person.user_id == request.user.pk:
            return False
        return super().has_delete_permission(request, obj)
