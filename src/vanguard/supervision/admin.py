from django.contrib import admin

from vanguard.core.readonly_admin import ReadOnlyAdmin
from vanguard.supervision.models import LightEvent, LightPolicy, LightState


@admin.register(LightPolicy)
class LightPolicyAdmin(ReadOnlyAdmin):
    """Each campaign's light thresholds (set by the office through its action)."""

    list_display = ["campaign"]


@admin.register(LightState)
class LightStateAdmin(ReadOnlyAdmin):
    """Current lights: derived data, recomputed by the engine."""

    list_display = ["kind", "object_id", "unit", "light", "reason", "since_date"]
    list_filter = ["campaign", "kind", "light"]
    show_full_result_count = False


@admin.register(LightEvent)
class LightEventAdmin(ReadOnlyAdmin):
    """Every change of a light."""

    list_display = ["kind", "object_id", "unit", "from_light", "to_light", "reason", "as_of"]
    list_filter = ["campaign", "kind", "to_light"]
    show_full_result_count = False
