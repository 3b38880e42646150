import os

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from vanguard.core.readonly_admin import PlanDataAdmin, ReadOnlyAdmin
from vanguard.org import access
from vanguard.projects.models import DekadReport, KeyNode, Milestone, Project, StageChange


@admin.register(KeyNode)
class KeyNodeAdmin(PlanDataAdmin):
    """The campaign's key nodes (loaded from the plan file)."""

    list_display = ["campaign", "order", "code", "name", "name_en"]
    list_filter = ["campaign"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    can_delete = False
    fields = readonly_fields = [
        "node",
        "planned_date",
        "actual_date",
        "state",
        "not_needed_reason",
        "evidence_file",
    ]

    # The system administrator's view, like the project around it; never edited here.
    def has_view_permission(self, request, obj=None):
        return access.admin_may(request.user, access.ADMIN_AREA_SYSTEM, "view")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("evidence"))
    def evidence_file(self, obj):
        # The name only: evidence has no public URL, and its download view serves
        # campaign members who may see the project, not administrators.
        return os.path.basename(obj.evidence.name) if obj.evidence else "—"


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    """Major projects: changed through the projects pages, the API and Excel."""

    list_display = ["code", "name", "lead_unit", "investment_yuan", "size_class", "stage"]
    list_filter = ["campaign", "stage", "size_class", "kind"]
    search_fields = ["code", "name"]
    list_select_related = ["lead_unit"]
    inlines = [MilestoneInline]


@admin.register(DekadReport)
class DekadReportAdmin(ReadOnlyAdmin):
    """Dekad reports and their certification state."""

    list_display = ["project", "period", "unit", "status", "late", "submitted_at"]
    list_filter = ["status", "late", "period"]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project", "unit"]
    show_full_result_count = False


@admin.register(StageChange)
class StageChangeAdmin(ReadOnlyAdmin):
    """Moves of projects between stages."""

    list_display = ["project", "from_stage", "to_stage", "on", "reason"]
    list_select_related = ["project"]
