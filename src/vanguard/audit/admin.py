from django.contrib import admin

from vanguard.audit.models import ChainHead, ChangeEntry
from vanguard.core.admin import ADMIN_AREA_AUDIT, AreaAdmin


@admin.register(ChangeEntry)
class ChangeEntryAdmin(AreaAdmin):
    """The change log, read by the audit administrator alone; nobody can edit it."""

    admin_area = ADMIN_AREA_AUDIT
    list_display = ["seq", "created_at", "actor_name", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_name", "reason"]
    readonly_fields = [f.name for f in ChangeEntry._meta.fields]
    show_full_result_count = False


@admin.register(ChainHead)
class ChainHeadAdmin(AreaAdmin):
    """The chain's last sequence number and hash, to copy out as an anchor."""

    admin_area = ADMIN_AREA_AUDIT
    list_display = ["last_seq", "last_hash"]
