"""The admin: group robots kept by the system administrator; notices and deliveries shown."""

from django.contrib import admin

from vanguard.core.admin import AreaAdmin
from vanguard.core.readonly_admin import ReadOnlyAdmin
from vanguard.notices.models import Delivery, Notice, ReminderPolicy, Webhook


@admin.register(Webhook)
class WebhookAdmin(AreaAdmin):
    # The address and the secret carry the robot's credentials: not in the list.
    list_display = ("name", "kind", "unit", "task_force", "active")
    list_filter = ("kind", "active")
    search_fields = ("name",)


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(AreaAdmin):
    list_display = ("campaign", "cadence", "days_before", "overdue_every")


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ("subject", "kind", "recipient", "due", "created_at", "read_at", "mailed")
    list_filter = ("kind",)
    search_fields = ("subject", "key")


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("subject", "channel", "state", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("channel", "state")
    exclude = ("body",)
