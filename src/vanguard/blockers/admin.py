from django.contrib import admin

from vanguard.blockers.models import Blocker, BlockerStep
from vanguard.core.readonly_admin import ReadOnlyAdmin


@admin.register(Blocker)
class BlockerAdmin(ReadOnlyAdmin):
    """Blockers from every source, as they stand."""

    list_display = [
        "title",
        "unit",
        "state",
        "raised_on",
        "resolved_on",
        "source_kind",
        "source_id",
    ]
    list_filter = ["state", "source_kind"]
    search_fields = ["title", "unit__name"]
    list_select_related = ["unit"]


@admin.register(BlockerStep)
class BlockerStepAdmin(ReadOnlyAdmin):
    """Dispatches and follow-ups of blockers, as recorded."""

    list_display = ["blocker", "kind", "from_unit", "to_unit", "actor", "at"]
    list_filter = ["kind"]
    list_select_related = ["blocker", "from_unit", "to_unit", "actor"]
