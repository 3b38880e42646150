from django.contrib import admin

from vanguard.core.admin import AreaAdmin
from vanguard.core.readonly_admin import ReadOnlyAdmin
from vanguard.projects.models import DekadReport, KeyNode, Milestone, Project, StageChange


@admin.register(KeyNode)
class KeyNodeAdmin(AreaAdmin):
    """The campaign's key nodes (loaded from the plan file)."""

    list_display = ["campaign", "order", "code", "name", "name_en"]
    list_filter = ["campaign"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    can_delete = False
    readonly_fields = ["node", "planned_date", "actual_date", "state", "evidence"]

    def has_add_permission(self, request, obj=None):
        return False


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
