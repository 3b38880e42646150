"""The admin's door and the accounts in it: who enters, accounts, API tokens, the throttle.

Only the three administrators (三员分立) enter; the system administrator keeps accounts,
the security administrator revokes tokens and reads the login throttle's records.
"""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessLog
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from vanguard.accounts.actions import do_reset_password, mark_must_change
from vanguard.accounts.models import ApiToken
from vanguard.core.admin import AreaAdmin
from vanguard.org import access


def _admin_has_permission(request):
    """Only the three administrators enter the admin; campaign roles use the pages."""
    return request.user.is_active and access.admin_enters(request.user)


admin.site.has_permission = _admin_has_permission


def _own_password_page(request, extra_context=None):
    """The admin's own "change password" link leads to the one page for it, which logs the
    change and revokes the account's tokens."""
    return redirect("accounts:password_change")


admin.site.password_change = _own_password_page
admin.site.unregister(Group)
admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class AccountAdmin(AreaAdmin, UserAdmin):
    """Accounts are kept by the system administrator, administrators' accounts excepted.

    A password is never chosen here for someone else: a reset gives a one-time password
    that its owner must change at the next login, and is logged.
    """

    admin_area = access.ADMIN_AREA_SYSTEM
    list_display = ["username", "first_name", "is_active", "last_login"]
    list_filter = ["is_active"]
    # Roles are assigned in the organisation app by the security administrator, never
    # through Django's groups, permissions or the superuser flag.
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("", {"fields": ["first_name", "last_name", "email", "is_active"]}),
    ]

    def has_change_permission(self, request, obj=None):
        if obj is not None and not access.may_change_account(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not access.may_change_account(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            mark_must_change(obj)  # the first password was chosen by the administrator

    def user_change_password(self, request, id, form_url=""):
        """Reset to a one-time password, shown once; never a password of the admin's choice."""
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404
        access.require_password_reset(request.user, user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "account": user,
            "title": _("Reset the password of %(name)s") % {"name": user.get_username()},
        }
        if request.method == "POST" and request.POST.get("confirm"):
            context["temporary"] = do_reset_password(user, actor=request.user)
        return TemplateResponse(request, "admin/accounts/password_reset.html", context)


@admin.register(ApiToken)
class ApiTokenAdmin(AreaAdmin):
    """API tokens are a security matter; a revoked token cannot be brought back."""

    admin_area = access.ADMIN_AREA_SECURITY
    list_display = ["prefix", "user", "name", "created_at", "expires_at", "last_used_at", "revoked"]
    list_filter = ["revoked"]
    fields = ["user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked"]
    readonly_fields = ["user", "prefix", "created_at", "expires_at", "last_used_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.revoked:
            return [*self.readonly_fields, "name", "revoked"]
        return self.readonly_fields

    def has_add_permission(self, request):
        return False  # created with `vanguard token create`, which shows the token once


class _ThrottleAdmin(AreaAdmin):
    """The login throttle's records are read and cleared by the security administrator."""

    admin_area = access.ADMIN_AREA_SECURITY

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessAttempt)
class LockoutAdmin(_ThrottleAdmin, axes_admin.AccessAttemptAdmin):
    """Failed logins by account and address; deleting a row lifts its lockout (logged)."""

    list_display = ["attempt_time", "username", "ip_address", "path_info", "failures_since_start"]
    list_filter = ["attempt_time", "path_info"]
    actions = []


@admin.register(AccessLog)
class LoginLogAdmin(_ThrottleAdmin, axes_admin.AccessLogAdmin):
    """Successful logins and logouts, for the security administrator to read."""

    def has_delete_permission(self, request, obj=None):
        return False
