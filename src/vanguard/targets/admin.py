from django.contrib import admin

from vanguard.core.admin import AreaAdmin
from vanguard.targets.models import Checkpoint, Target


class CheckpointInline(admin.TabularInline):
    """Checkpoints are derived from the plan; shown, not edited."""

    model = Checkpoint
    extra = 0
    can_delete = False
    readonly_fields = ["period_kind", "period", "end_date", "value"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Target)
class TargetAdmin(AreaAdmin):
    """Targets of a campaign (loaded from the plan file)."""

    list_display = ["code", "name", "battle", "period", "kind", "value", "unit_of_measure"]
    list_filter = ["campaign", "battle", "kind", "period"]
    search_fields = ["code", "name", "measure"]
    inlines = [CheckpointInline]
