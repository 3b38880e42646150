"""The inbox, the office's group robots and the deliveries page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanguard.core.forms import add_action_errors
from vanguard.notices.actions import (
    do_create_webhook,
    do_delete_webhook,
    do_mark_read,
    do_retry_delivery,
)
from vanguard.notices.choices import DeliveryState
from vanguard.notices.forms import WebhookForm
from vanguard.notices.models import Delivery, Notice, Webhook
from vanguard.org import access


@login_required
def inbox(request):
    """The user's own notices, newest first; unread ones stand out."""
    if not access.may_read_notices(request.user):
        raise PermissionDenied
    notices = Notice.objects.filter(recipient=request.user).select_related("unit")
    page = Paginator(notices, 50).get_page(request.GET.get("page"))
    return render(request, "notices/inbox.html", {"page": page})


@login_required
@require_POST
def mark_read(request, pk):
    """Mark one of the user's notices read and follow its link."""
    notice = get_object_or_404(Notice, pk=pk, recipient=request.user)
    do_mark_read([notice.pk], actor=request.user)
    target = notice.url if notice.url.startswith("/") and not notice.url.startswith("//") else ""
    return redirect(target or "notices:inbox")


@login_required
@require_POST
def mark_all_read(request):
    """Mark every notice of the user read."""
    do_mark_read(None, actor=request.user)
    return redirect("notices:inbox")


def _require_office(request):
    if not access.may_keep_notices(request.user):
        raise PermissionDenied


@login_required
def deliveries(request):
    """What was sent and what was not: failed ones first, then those waiting to be tried."""
    _require_office(request)
    troubled = (
        Delivery.objects.exclude(state=DeliveryState.SENT)
        .select_related("webhook", "recipient")
        .order_by("-state", "next_attempt_at", "-pk")
    )
    recent = Delivery.objects.filter(state=DeliveryState.SENT).select_related(
        "webhook", "recipient"
    )[:50]
    page = Paginator(troubled, 50).get_page(request.GET.get("page"))
    return render(request, "notices/deliveries.html", {"page": page, "recent": recent})


@login_required
@require_POST
def retry(request, pk):
    """Try a delivery again now."""
    _require_office(request)
    delivery = get_object_or_404(Delivery, pk=pk)
    try:
        do_retry_delivery(delivery, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        from vanguard.notices.tasks import send_deliveries

        send_deliveries()
        messages.success(request, _("The message will be sent again."))
    return redirect("notices:deliveries")


@login_required
def webhooks(request):
    """The group robots of units and task forces, and the form that adds one."""
    _require_office(request)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hook = do_create_webhook(
                name=data["name"],
                kind=data["kind"],
                url=data["url"],
                secret=data["secret"],
                unit=data["unit"],
                task_force=data["task_force"],
                actor=request.user,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Group robot {name} added.").format(name=hook.name))
            return redirect("notices:webhooks")
    hooks = Webhook.objects.select_related("unit", "task_force")
    return render(
        request,
        "notices/webhooks.html",
        {"form": form, "hooks": hooks},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def webhook_delete(request, pk):
    """Remove a group robot."""
    _require_office(request)
    hook = get_object_or_404(Webhook, pk=pk)
    do_delete_webhook(hook, actor=request.user)
    messages.success(request, _("Group robot {name} removed.").format(name=hook.name))
    return redirect("notices:webhooks")
