"""Admin bases: the three administrator areas (三员分立) and logged saves.

Each ModelAdmin declares its ``admin_area`` (system, security or audit). Who may do what
in an area is the rule of ``org.access``, and every save and delete is written to the
change log by ``audit.actions``; both apps plug their function in here when they start
(``register_area_rule``, ``register_logged_writes``), so this base imports neither.
Until a rule is registered nobody may do anything in the admin.
"""

from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured

# The three administrator areas; org.access decides who works in which.
ADMIN_AREA_SYSTEM = "system"
ADMIN_AREA_SECURITY = "security"
ADMIN_AREA_AUDIT = "audit"

_plugged = {}


def register_area_rule(may):
    """Decide the admin's permissions with ``may(user, area, action)``."""
    _plugged["may"] = may


def register_logged_writes(*, save, delete):
    """Save with ``save(obj, *, actor)`` and delete with ``delete(obj, *, actor)``, each logged."""
    _plugged["save"] = save
    _plugged["delete"] = delete


def _may(user, area, action):
    may = _plugged.get("may")
    return may is not None and may(user, area, action)


def _write(kind):
    try:
        return _plugged[kind]
    except KeyError:
        raise ImproperlyConfigured(f"No logged {kind} is registered for the admin.") from None


class AreaAdmin(admin.ModelAdmin):
    """A ModelAdmin whose permissions come from the rule for one administrator area."""

    admin_area = ADMIN_AREA_SYSTEM

    def has_module_permission(self, request):
        return _may(request.user, self.admin_area, "view")

    def has_view_permission(self, request, obj=None):
        return _may(request.user, self.admin_area, "view")

    def has_add_permission(self, request):
        return _may(request.user, self.admin_area, "add")

    def has_change_permission(self, request, obj=None):
        return _may(request.user, self.admin_area, "change")

    def has_delete_permission(self, request, obj=None):
        return _may(request.user, self.admin_area, "delete")

    def save_model(self, request, obj, form, change):
        _write("save")(obj, actor=request.user)

    def delete_model(self, request, obj):
        _write("delete")(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            _write("delete")(obj, actor=request.user)
