from django.contrib import admin

from vanguard.blockers.models import Blocker
from vanguard.core.readonly_admin import ReadOnlyAdmin


@admin.register(Blocker)
class BlockerAdmin(ReadOnlyAdmin):
    """Blockers from every source, as they stand."""

    list_display = ["title", "unit", "state", "raised_on", "resolved_on", "project"]
    list_filter = ["state"]
    search_fields = ["title", "unit__name"]
    list_select_related = ["unit", "project"]
