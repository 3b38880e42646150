"""An admin that shows records without letting anyone edit them there.

Facts such as reports, certifications and lights change only through their actions
(forms, the API, Excel, jobs), which check access and keep the invariants; the admin
lets the system administrator look them up.
"""

from vanguard.core.admin import AreaAdmin


class ReadOnlyAdmin(AreaAdmin):
    """View-only in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
