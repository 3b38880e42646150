"""An admin that shows records without letting anyone edit them there.

Facts such as reports, certifications and lights change only through their actions
(forms, the API, Excel, jobs), which check access and keep the invariants; the admin
lets the system administrator look them up.
"""

from django.contrib import messages
from django.utils.translation import gettext as _

from vanguard.core.admin import AreaAdmin


class ReadOnlyAdmin(AreaAdmin):
    """View-only in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PlanDataAdmin(ReadOnlyAdmin):
    """What the plan file defines (campaign, task forces, deadlines, key nodes, indicators,
    targets): shown here, changed in the file and loaded with ``vanguard loadplan``, so
    that what depends on it (checkpoints, due dates, lights) follows and is logged."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        messages.info(
            request,
            _(
                "This comes from the plan file. Change it there and load it with "
                "`vanguard loadplan PLAN.yaml`: what depends on it (checkpoints, due dates, "
                "lights) follows, and the change is logged. It cannot be edited here."
            ),
        )
        return super().changeform_view(request, object_id, form_url, extra_context)
