"""API: the caller's own notices (the inbox), and marking them read."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from vanguard.core.pagination import PageNumberPagination
from vanguard.notices.actions import do_mark_read
from vanguard.notices.models import Notice
from vanguard.org import access

router = Router(tags=["notices"])


class NoticeOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    url: str
    due: datetime.date | None
    unit: str | None
    created_at: datetime.datetime
    read_at: datetime.datetime | None

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.name if obj.unit_id else None


class MarkReadIn(Schema):
    """The notices to mark read; none named: every notice of the caller."""

    ids: list[int] | None = None


class MarkReadOut(Schema):
    marked: int


def _own(user):
    if not access.may_read_notices(user):
        raise PermissionDenied(_("Only those who take part in the campaign have an inbox."))
    return Notice.objects.filter(recipient=user).select_related("unit")


@router.get("/notices", response=list[NoticeOut])
@paginate(PageNumberPagination)
def list_notices(request, unread: bool = False):
    """The caller's notices, newest first (``unread=true``: the unread ones only)."""
    notices = _own(request.user)
    if unread:
        notices = notices.filter(read_at__isnull=True)
    return notices.order_by("-created_at", "-pk")


@router.post("/notices/read", response=MarkReadOut)
def mark_notices_read(request, payload: MarkReadIn):
    """Mark the caller's notices read: those named by ``ids``, or all of them."""
    _own(request.user)
    return {"marked": do_mark_read(payload.ids, actor=request.user)}
