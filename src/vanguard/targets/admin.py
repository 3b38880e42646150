from django.contrib import admin

from vanguard.core.readonly_admin import PlanDataAdmin
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
class TargetAdmin(PlanDataAdmin):
    """Targets of a campaign, shown here; they change only by loading the plan file.

    A target's value decides its checkpoints and every light measured against it, so
    it changes where those follow it: the plan file, loaded with ``vanguard loadplan``.
    """

    list_display = ["code", "name", "battle", "period", "kind", "value", "unit_of_measure"]
    list_filter = ["campaign", "battle", "kind", "period"]
    search_fields = ["code", "name", "measure"]
    inlines = [CheckpointInline]
